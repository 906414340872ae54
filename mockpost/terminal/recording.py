"""What `mockpost record` prints: where it records, and a line per call."""

from __future__ import annotations

import time

from rich.console import Console
from rich.text import Text

from mockpost.record.collection import Added
from mockpost.record.exchange import Exchange
from mockpost.terminal.console import status_style
from mockpost.text import plural, printable
from mockpost.version import __version__


class RecordLines:
    def __init__(self, console: Console) -> None:
        self.console = console

    def listening(self, target: str, out: str, url: str) -> None:
        self.console.print(
            Text.assemble(
                f"mockpost {__version__} recording ",
                (printable(target), "bold"),
                f" into {printable(out)}",
            )
        )
        self.console.print(Text(f"Listening on {url}  (Ctrl+C to stop)", style="bold green"))

    def saved(self, exchange: Exchange, added: Added) -> None:
        target = exchange.path + (f"?{exchange.query}" if exchange.query else "")
        said = (
            f"  saved as {printable(repr(added.example))} of {printable(repr(added.request))}"
            if added.new
            else "  the same answer is saved already"
        )
        line = Text.assemble(
            (time.strftime("%H:%M:%S "), "dim"),
            (f"{printable(exchange.method):<8}", "bold"),
            printable(target),
            (f"  {exchange.status}", status_style(exchange.status)),
            (said, "cyan" if added.new else "dim"),
        )
        if added.redacted:
            line.append(f"  redacted: {printable(', '.join(added.redacted))}", style="yellow")
        self.console.print(line)

    def failed(self, method: str, path: str, why: str) -> None:
        said = f"{time.strftime('%H:%M:%S')} {method} {path}  not recorded: {why}"
        self.console.print(Text(printable(said), style="bold red"))

    def stopped(self, added: int, out: str) -> None:
        said = f"recording stopped: {plural(added, 'new example')} saved in {out}"
        self.console.print(Text(printable(said), style="cyan"))

    def warn(self, line: str) -> None:
        self.console.print(Text(printable(line), style="yellow"))
