"""`mockpost record` put together: the recording file, the forwarding app, a line per call."""

from __future__ import annotations

import asyncio
from pathlib import Path

from mockpost.record.exchange import Exchange
from mockpost.record.file import open_recording
from mockpost.terminal.console import make_console
from mockpost.terminal.recording import RecordLines
from mockpost.web.proxy import Forwarder
from mockpost.web.recorder import create_record_app
from mockpost.web.run import Listener, log_in_one_line, serve


def run_recorder(
    target: str,
    out: Path,
    host: str,
    port: int,
    collection: Path | None,
    name: str | None,
    insecure: bool,
    keep_headers: tuple[str, ...],
    keep_query: tuple[str, ...] = (),
) -> None:
    """Record until SIGINT or SIGTERM (raises MockpostError for what a person must fix)."""
    forwarder = Forwarder(target, insecure)
    record_file = open_recording(out, forwarder.origin, collection, name, keep_headers, keep_query)
    lines = RecordLines(make_console())
    log_in_one_line(lines.warn)

    def save(exchange: Exchange) -> None:
        lines.saved(exchange, record_file.add(exchange))

    def listening(url: str) -> None:
        lines.listening(forwarder.target, str(out), url)

    app = create_record_app(forwarder, save, lines.failed)
    try:
        asyncio.run(serve(Listener(app, host, port), listening))
    finally:
        lines.stopped(record_file.added, str(out))
