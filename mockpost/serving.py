"""`mockpost serve` put together: a runtime, its web app, the terminal, the logs and exports.

Kept out of `cli.py` so that the command line only turns options into `Settings` and
`Outputs`; everything here is plain Python that a test can drive.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mockpost import __version__
from mockpost.calls.har import har
from mockpost.calls.jsonlines import JsonLines
from mockpost.calls.store import CallStore
from mockpost.errors import MockpostError
from mockpost.matching.index import Index
from mockpost.postman.model import Collection, Environment
from mockpost.runtime import startup
from mockpost.runtime.reload import Reloader
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.runtime.watch import stamp, watch
from mockpost.terminal.banner import Banner
from mockpost.terminal.console import make_console
from mockpost.terminal.printer import CallPrinter
from mockpost.web.admin import PREFIX, RELOADER
from mockpost.web.app import create_app
from mockpost.web.run import log_in_one_line, serve


@dataclass(frozen=True, slots=True)
class Outputs:
    """Where serve listens and what it writes."""

    host: str = "127.0.0.1"
    port: int = 8080
    quiet: bool = False  # no line per call in the terminal
    log_format: str = "text"  # "json": the call log as JSON lines on standard output
    log_file: Path | None = None  # also append every call as a JSON line here
    har_file: Path | None = None  # write the calls kept as HAR here when mockpost stops
    log_capacity: int = 1000  # calls kept in full
    admin: bool = True  # the API and page under /__mockpost/
    watch: bool = True  # reload when the collection or environment file is saved


class OutputError(MockpostError):
    """A file serve was asked to write cannot be written."""


def _open_log(path: Path) -> TextIO:
    try:
        return path.open("a", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written: {exc.strerror or exc}") from None


def write_har(path: Path, store: CallStore, base_url: str) -> None:
    """The calls kept, as HAR, written whole (a temporary file renamed into place)."""
    document = har(store, base_url, __version__)
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_text(json.dumps(document), encoding="utf-8")  # ASCII: \u-escaped
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written: {exc.strerror or exc}") from None


def _flushing(steps: list[Callable[[], Generator[None, None, None]]]) -> Iterator[None]:
    for flush in steps:
        yield from flush()


Sources = tuple[Path, Path | None]  # the collection and environment files, to load again


def run(
    collection: Collection,
    environment: Environment | None,
    index: Index,
    settings: Settings,
    outputs: Outputs,
    sources: Sources | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM (raises MockpostError for what a person must fix).

    With `sources`, SIGHUP and `POST /__mockpost/reload` load them again.
    """
    with ExitStack() as files:
        log_file = files.enter_context(_open_log(outputs.log_file)) if outputs.log_file else None
        _serve(collection, environment, index, settings, outputs, log_file, sources)


def _serve(
    collection: Collection,
    environment: Environment | None,
    index: Index,
    settings: Settings,
    outputs: Outputs,
    log_file: TextIO | None,
    sources: Sources | None,
) -> None:
    watched = [p for p in sources if p is not None] if sources is not None else []
    loaded = [stamp(p) for p in watched]  # as near to when they were read as can be
    as_json = outputs.log_format == "json"
    console = make_console(sys.stderr if as_json else sys.stdout)
    banner = Banner(console)
    banner.loaded(collection, environment, __version__)
    banner.settings(settings)
    log_in_one_line(banner.warn)
    if outputs.admin and any(e.path.text.startswith(PREFIX + "/") for e in index.examples):
        banner.warn(
            f"  some examples' paths start with {PREFIX}/: mockpost's API answers those paths "
            "(serve with --no-admin to have the examples answer them)"
        )
    runtime = Runtime(index, settings, CallStore(outputs.log_capacity))
    runtime.cache.on_grow = startup.GrowthFreezer().grew
    flushes: list[Callable[[], Generator[None, None, None]]] = []
    stdout_lines = JsonLines(sys.stdout) if as_json else None
    if stdout_lines is not None:
        runtime.store.subscribe(stdout_lines)
        flushes.append(stdout_lines.flush_steps)
    elif not outputs.quiet:
        printer = CallPrinter(console)
        runtime.store.subscribe(printer)
        flushes.append(printer.flush_steps)
    if log_file is not None:
        file_lines = JsonLines(log_file)
        runtime.store.subscribe(file_lines)
        flushes.append(file_lines.flush_steps)
    listening_at: list[str] = []

    def listening(url: str) -> None:
        listening_at.append(url)
        banner.listening(url, f"{url}{PREFIX}/" if outputs.admin else None)
        if stdout_lines is not None:
            stdout_lines.event(event="listening", url=url)

    reloader = None
    if sources is not None:
        reloader = Reloader(runtime, *sources)

    async def hangup() -> None:
        assert reloader is not None
        done = await reloader.reload()
        banner.reloaded(done.ok, done.version, done.examples, done.error)

    async def watching() -> None:
        await watch(watched, hangup, loaded=loaded)

    startup.freeze()
    app = create_app(runtime, admin=outputs.admin)
    if reloader is not None and outputs.admin:
        app[RELOADER] = reloader
    asyncio.run(
        serve(
            app,
            outputs.host,
            outputs.port,
            listening,
            lambda: _flushing(flushes),
            hangup if reloader is not None else None,
            watching if reloader is not None and outputs.watch else None,
        )
    )
    if outputs.har_file is not None and listening_at:
        write_har(outputs.har_file, runtime.store, listening_at[0])
