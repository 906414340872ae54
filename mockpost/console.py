"""What a person sees in the terminal: the start-up banner and one line per call.

Everything that comes from a file or a call is put in `rich.text.Text`, never in markup, so
`/[bold]x` prints as it is.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, deque
from collections.abc import Generator
from functools import lru_cache
from operator import attrgetter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mockpost.calllog import CallRecord, Outcome
from mockpost.collection import Collection, Environment
from mockpost.index import IndexedExample
from mockpost.report import Report, Route
from mockpost.variables import TOKEN

RECEIVED = attrgetter("received")


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

    def warn(self, message: str) -> None:
        self.console.print(Text(message, style="yellow"))

    def listening(self, url: str, workers: int = 1) -> None:
        line = Text("Listening on ")
        line.append(url, style="bold underline")
        if workers > 1:
            line.append(f" with {workers} worker processes")
        line.append("  (Ctrl+C to stop)")
        self.console.print(line)


class CallPrinter:
    """A call-log listener that prints one line per call (more when nothing matched).

    Recording a call only queues it; `flush` (every 0.1 s from the server's loop, and once at
    the end) prints the queue, so printing never holds up a call. To a file or a pipe every
    call gets its plain-text line. On a terminal, a flush with more than `max_lines` calls
    prints one summary line that says how many calls it stands for, then the calls nothing
    answered or that got a 5xx, up to `max_shown`. At most `limit` calls wait between
    flushes; any beyond are counted in a summary line, not kept.
    """

    def __init__(
        self,
        console: Console,
        *,
        max_lines: int = 20,
        max_shown: int = 5,
        limit: int = 50_000,
    ) -> None:
        self.console = console
        self.max_lines = max_lines
        self.max_shown = max_shown
        self.limit = limit
        self._pending: deque[CallRecord] = deque()
        self._overflow: Counter[int] = Counter()
        self._since = time.monotonic()
        self._unwritten: deque[CallRecord | str] = deque()  # taken from the queue, not printed

    def __call__(self, record: CallRecord) -> None:
        if len(self._pending) < self.limit:
            self._pending.append(record)
        else:
            self._overflow[record.status] += 1

    def flush(self) -> None:
        """Print what is queued."""
        for _ in self.flush_steps():
            pass

    def flush_steps(self, step: int = 256) -> Generator[None, None, None]:
        """Print what is queued, pausing (a `yield`) after each `step` lines written to a file.

        A server's event loop answers calls during the pauses, so that thousands of lines
        never hold up a call for long. Lines a flush left when it was stopped in a pause
        are printed first by the next.
        """
        pending = sorted(self._pending, key=RECEIVED)  # workers' batches come interleaved
        self._pending = deque()
        overflow, self._overflow = self._overflow, Counter()
        elapsed, self._since = time.monotonic() - self._since, time.monotonic()
        if self.console.is_terminal:
            self._print_on_terminal(pending, overflow, elapsed)
            return
        unwritten = self._unwritten
        unwritten.extend(pending)
        if overflow:
            unwritten.append(_summary(overflow, elapsed, "not logged one by one: over the limit"))
        while unwritten:
            count = min(step, len(unwritten))
            lines = [unwritten.popleft() for _ in range(count)]
            text = "\n".join(x if isinstance(x, str) else plain_call(x) for x in lines)
            self.console.file.write(text + "\n")
            self.console.file.flush()
            if unwritten:
                yield

    def _print_on_terminal(
        self, pending: list[CallRecord], overflow: Counter[int], elapsed: float
    ) -> None:
        if len(pending) <= self.max_lines and not overflow:
            for record in pending:
                self.console.print(render_call(record))
            return
        statuses = overflow + Counter(record.status for record in pending)
        shown = [r for r in pending if not r.matched or r.status >= 500][: self.max_shown]
        self.console.print(Text(_summary(statuses, elapsed, "summarised"), style="dim"))
        for record in shown:
            self.console.print(render_call(record))


def _summary(statuses: Counter[int], elapsed: float, what: str) -> str:
    calls = sum(statuses.values())
    counts = ", ".join(f"{n:,} x {status}" for status, n in sorted(statuses.items()))
    return f"... {calls:,} calls in {elapsed:.1f} s {what}: {counts}"


@lru_cache(maxsize=4)
def _clock(second: int) -> str:
    return time.strftime("%H:%M:%S", time.localtime(second))


def _outcome_parts(
    status: int,
    how: str,
    example_name: str | None,
    request_name: str | None,
    score: float | None,
    path_step: str,
) -> list[tuple[str, str]]:
    """What answered, as (text, style) parts: the same for every call answered alike."""
    parts = [(f"  {status}", _status_style(status))]
    if example_name is not None:
        parts.append((f"  {example_name!r}", "cyan"))
        if request_name:
            parts.append((f" of {request_name!r}", "dim"))
        if how == "score" and score is not None:
            parts.append((f"  score {score:g} ({path_step})", ""))
        else:
            parts.append((f"  by {how}", ""))
    elif how in ("score", "x-mock-response-id", "x-mock-response-name"):
        parts.append(("  No matching requests", "bold red"))
    else:
        parts.append((f"  {how}", "magenta"))
    return parts


def _outcome_key(outcome: Outcome) -> tuple[int, str, str | None, str | None, float | None, str]:
    return (
        outcome.status,
        outcome.how,
        outcome.example_name,
        outcome.request_name,
        outcome.score,
        outcome.path_step,
    )


@lru_cache(maxsize=1 << 16)  # as many as the server keeps replies: a rotation never misses
def _outcome_text(
    key: tuple[int, str, str | None, str | None, float | None, str],
) -> str:
    """`_outcome_parts` as plain text, made once for the calls answered alike."""
    return "".join(text for text, _ in _outcome_parts(*key))


def _head_parts(record: CallRecord) -> list[tuple[str, str]]:
    """When, which method, which path: as (text, style) parts."""
    received = record.received
    return [
        (f"{_clock(int(received))}.{int(received * 1000) % 1000:03d} ", "dim"),
        (f"{record.method:<7}", "bold"),
        (record.path + (f"?{record.query}" if record.query else ""), ""),
    ]


def _tail_parts(record: CallRecord) -> list[tuple[str, str]]:
    """The time taken, then the notes and the closest examples, each on a line of its own."""
    parts = [(f"  {record.duration_ms:.1f} ms", "dim")]
    for note in record.notes:
        parts += [("\n    note: ", "yellow"), (note, "")]
    for near in record.outcome.closest:
        parts += [
            ("\n    closest: ", "red"),
            (f"{near.method} {near.path} {near.name!r}", ""),
            (f" - {near.reason}", "red"),
        ]
    return parts


def render_call(record: CallRecord) -> Text:
    """The lines for one call, as `Text` (request data never read as markup)."""
    return Text.assemble(
        *_head_parts(record),
        *_outcome_parts(*_outcome_key(record.outcome)),
        *_tail_parts(record),
    )


def plain_call(record: CallRecord) -> str:
    """The lines for one call, as plain text (for files and pipes).

    The same text as `render_call`, made faster: a busy server logs thousands of calls a
    second, so the part that says what answered is made once for all the calls answered alike.
    """
    received = record.received
    query = record.query
    line = (
        f"{_clock(int(received))}.{int(received * 1000) % 1000:03d} {record.method:<7}"
        f"{record.path}{'?' if query else ''}{query}"
        f"{_outcome_text(_outcome_key(record.outcome))}"
    )
    if not record.notes and not record.outcome.closest:
        return f"{line}  {record.duration_ms:.1f} ms"
    return line + "".join(text for text, _ in _tail_parts(record))


def _example_label(example: IndexedExample) -> Text:
    label = Text(f"{example.code} ", style=_status_style(example.code))
    label.append(example.name or "(no name)")
    query = "&".join(f"{k}={v}" for (k, v), n in example.query.items() for _ in range(n))
    if query:
        label.append(f" ?{query}", style="dim")
    return label


def _path_text(path: str) -> Text:
    """A path with its wildcards highlighted (built as Text: no markup is read)."""
    text = Text()
    last = 0
    for found in TOKEN.finditer(path):
        text.append(path[last : found.start()])
        text.append(found.group(0), style="magenta")
        last = found.end()
    text.append(path[last:])
    return text


def routes_table(routes: tuple[Route, ...]) -> Table:
    table = Table(title="Routes", title_justify="left", show_lines=False)
    table.add_column("method", style="bold")
    table.add_column("path")
    table.add_column("examples (code, name, query)")
    for route in routes:
        labels = Text("\n").join(_example_label(e) for e in route.examples)
        table.add_row(route.method, _path_text(route.path), labels)
    return table


def print_report(console: Console, report: Report) -> None:
    """`mockpost validate`: what the collection holds and what may surprise a user."""
    index = report.index
    collection = index.collection
    summary = Table(title=collection.name, title_justify="left", show_header=False)
    summary.add_column("what", style="bold")
    summary.add_column("count", justify="right")
    summary.add_row("requests", str(len(collection.requests)))
    summary.add_row(
        "requests with examples", str(sum(1 for r in collection.requests if r.example_count))
    )
    summary.add_row("examples served", str(len(index.examples)))
    summary.add_row("examples dropped", str(len(collection.dropped)))
    summary.add_row("endpoints (method + path)", str(len(report.routes)))
    summary.add_row("wildcard variables", str(len(report.unresolved)))
    summary.add_row("examples never chosen by path", str(len(report.shadowed)))
    summary.add_row("duplicate example names", str(len(report.duplicate_names)))
    summary.add_row("unknown {{$…}} variables", str(len(report.unknown_dynamic)))
    console.print(summary)

    if collection.dropped:
        table = Table(title="Dropped examples", title_justify="left")
        for column in ("where", "name", "why"):
            table.add_column(column)
        for dropped in collection.dropped:
            table.add_row(Text(dropped.where), Text(dropped.name), Text(dropped.reason))
        console.print(table)
    if report.unresolved:
        table = Table(
            title="Variables left unresolved in paths (each matches any one segment)",
            title_justify="left",
        )
        table.add_column("variable", style="magenta")
        table.add_column("example paths", justify="right")
        for name, count in report.unresolved.items():
            table.add_row(Text("{{" + name + "}}"), str(count))
        console.print(table)
    if report.shadowed:
        table = Table(
            title="Examples never chosen by path (reach them with x-mock-response-"
            "code, -name or -id)",
            title_justify="left",
        )
        table.add_column("method", style="bold")
        table.add_column("path")
        table.add_column("example")
        table.add_column("answered instead by")
        for shadowed in report.shadowed:
            by = shadowed.by
            table.add_row(
                shadowed.example.method,
                _path_text(shadowed.example.path.text),
                _example_label(shadowed.example),
                _example_label(by) if by is not None else Text("nothing", "red"),
            )
        console.print(table)
    if report.duplicate_names:
        table = Table(
            title="Example names used more than once (x-mock-response-name picks "
            "the first with code 200)",
            title_justify="left",
        )
        table.add_column("name")
        table.add_column("examples", justify="right")
        for name, count in report.duplicate_names.items():
            table.add_row(Text(name), str(count))
        console.print(table)
    if report.unknown_dynamic:
        table = Table(title="Unknown {{$…}} variables (served as written)", title_justify="left")
        table.add_column("variable", style="magenta")
        table.add_column("examples", justify="right")
        for name, count in report.unknown_dynamic.items():
            table.add_row(Text("{{" + name + "}}"), str(count))
        console.print(table)
    if not report.servable:
        console.print(
            Text("Nothing to serve: this collection has no saved examples.", style="bold red")
        )
    else:
        console.print(
            Text(f"OK: {len(index.examples)} examples can be served.", style="bold green")
        )
