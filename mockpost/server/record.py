"""`mockpost record` put together: the recording file, the forwarding app, a line per call."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from rich.text import Text

from mockpost import __version__
from mockpost.record.exchange import Exchange
from mockpost.record.file import RecordFile
from mockpost.terminal.console import make_console, status_style
from mockpost.text import printable
from mockpost.web.proxy import Forwarder
from mockpost.web.recorder import create_record_app
from mockpost.web.run import log_in_one_line, serve


def run_recorder(
    target: str,
    out: Path,
    host: str,
    port: int,
    collection: Path | None,
    name: str | None,
    insecure: bool,
    keep_headers: tuple[str, ...],
) -> None:
    """Record until SIGINT or SIGTERM (raises MockpostError for what a person must fix)."""
    forwarder = Forwarder(target, insecure)
    record_file = RecordFile.open(out, forwarder.origin, collection, name, keep_headers)
    console = make_console()
    log_in_one_line(lambda line: console.print(Text(line, style="yellow")))

    def save(exchange: Exchange) -> None:
        added = record_file.add(exchange)
        line = Text.assemble(
            (time.strftime("%H:%M:%S "), "dim"),
            (f"{printable(exchange.method):<8}", "bold"),
            printable(exchange.path + (f"?{exchange.query}" if exchange.query else "")),
            (f"  {exchange.status}", status_style(exchange.status)),
            (
                f"  saved as {printable(repr(added.example))} of {printable(repr(added.request))}"
                if added.new
                else "  the same answer is saved already",
                "cyan" if added.new else "dim",
            ),
        )
        if added.redacted:
            line.append(f"  redacted: {printable(', '.join(added.redacted))}", style="yellow")
        console.print(line)

    def fail(method: str, path: str, why: str) -> None:
        said = f"{time.strftime('%H:%M:%S')} {method} {path}  not recorded: {why}"
        console.print(Text(printable(said), style="bold red"))

    def listening(url: str) -> None:
        console.print(
            Text.assemble(
                (f"mockpost {__version__} recording ", ""),
                (printable(target), "bold"),
                f" into {printable(str(out))}",
            )
        )
        console.print(Text(f"Listening on {url}  (Ctrl+C to stop)", style="bold green"))

    app = create_record_app(forwarder, save, fail)
    asyncio.run(serve(app, host, port, listening))
