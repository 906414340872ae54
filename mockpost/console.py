"""What a person sees in the terminal: the start-up banner and one line per call.

Everything that comes from a file or a call is put in `rich.text.Text`, never in markup, so
`/[bold]x` prints as it is.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.text import Text

from mockpost.calllog import CallRecord
from mockpost.collection import Collection, Environment


def make_console(file: TextIO | None = None) -> Console:
    """A console that never wraps log lines (they go to pipes and files too)."""
    return Console(
        file=file or sys.stdout, soft_wrap=True, highlight=False, markup=False, emoji=False
    )


def _status_style(status: int) -> str:
    if status >= 500:
        return "bold red"
    if status >= 400:
        return "yellow"
    if status >= 300:
        return "cyan"
    return "green"


class Banner:
    """Start-up messages."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def loaded(self, collection: Collection, environment: Environment | None, version: str) -> None:
        line = Text()
        line.append(f"mockpost {version} ", style="bold")
        line.append("serving ")
        line.append(collection.name, style="bold cyan")
        schema = f" (collection v{collection.schema_version})" if collection.schema_version else ""
        line.append(schema)
        self.console.print(line)
        served = sum(1 for r in collection.requests if r.example_count)
        self.console.print(
            Text(
                f"  {len(collection.requests)} requests, {served} with examples; "
                f"{len(collection.examples)} examples"
            )
        )
        if environment is not None:
            self.console.print(
                Text(f"  environment {environment.name!r}: {len(environment.values)} values")
            )
        for dropped in collection.dropped:
            warning = Text("  dropped ", style="yellow")
            warning.append(f"{dropped.where} {dropped.name!r}: {dropped.reason}")
            self.console.print(warning)
        if not collection.examples:
            self.console.print(
                Text(
                    "  this collection has no saved examples: every call will get the "
                    "not-found response (save examples in Postman first)",
                    style="yellow",
                )
            )

    def listening(self, url: str) -> None:
        line = Text("Listening on ")
        line.append(url, style="bold underline")
        line.append("  (Ctrl+C to stop)")
        self.console.print(line)


class CallPrinter:
    """A call-log listener that prints one line per call (more when nothing matched)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def __call__(self, record: CallRecord) -> None:
        self.console.print(render_call(record))


def render_call(record: CallRecord) -> Text:
    """The lines for one call, as `Text` (request data never read as markup)."""
    clock = time.strftime("%H:%M:%S", time.localtime(record.received))
    millis = int(record.received * 1000) % 1000
    line = Text(f"{clock}.{millis:03d} ", style="dim")
    line.append(f"{record.method:<7}", style="bold")
    target = record.path + (f"?{record.query}" if record.query else "")
    line.append(target)
    line.append(f"  {record.status}", style=_status_style(record.status))
    if record.matched:
        line.append(f"  {record.example_name!r}", style="cyan")
        if record.request_name:
            line.append(f" of {record.request_name!r}", style="dim")
        if record.how == "score" and record.score is not None:
            line.append(f"  score {record.score:g} ({record.path_step})")
        else:
            line.append(f"  by {record.how}")
    elif record.how in ("score", "x-mock-response-id", "x-mock-response-name"):
        line.append("  No matching requests", style="bold red")
    else:
        line.append(f"  {record.how}", style="magenta")
    line.append(f"  {record.duration_ms:.1f} ms", style="dim")
    for note in record.notes:
        line.append("\n    note: ", style="yellow")
        line.append(note)
    for near in record.closest:
        line.append("\n    closest: ", style="red")
        line.append(f"{near.method} {near.path} {near.name!r}")
        line.append(f" - {near.reason}", style="red")
    return line
