"""`mockpost serve` around a `MockServer` (server/assembly.py): the terminal, the logs and
exports, signals, and the command run against it.

Kept out of the command line so that it only turns options into `Settings`, `ServerOptions`
and `Outputs`; everything here is plain Python that a test can drive.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mockpost.calls.jsonlines import JsonLines
from mockpost.lifecycle.load import Loaded
from mockpost.lifecycle.reload import RECORDING, Reloaded
from mockpost.lifecycle.watch import stamp
from mockpost.matching.report import emptied_lines, emptied_paths
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.server.assembly import MockServer, Proxying, ServerOptions, Sources
from mockpost.server.command import Command
from mockpost.server.files import open_log, write_environment, write_har
from mockpost.terminal.banner import Banner
from mockpost.terminal.console import make_console
from mockpost.terminal.printer import CallPrinter
from mockpost.text import plural
from mockpost.version import __version__
from mockpost.web.admin import PREFIX
from mockpost.web.fallthrough import FallThrough
from mockpost.web.run import log_in_one_line, serve
from mockpost.whole import check_writable


@dataclass(frozen=True, slots=True)
class Outputs:
    """What `serve` shows, writes and runs, besides serving."""

    quiet: bool = False  # no line per call in the terminal
    log_format: str = "text"  # "json": the call log as JSON lines on standard output
    log_file: Path | None = None  # also append every call as a JSON line here
    har_file: Path | None = None  # write the calls kept as HAR here when mockpost stops
    write_env: Path | None = None  # a Postman environment holding the mock's URL, for newman
    url_var: str = "url"  # the name of that environment's variable
    command: tuple[str, ...] = ()  # run against the mock; mockpost stops when it ends


Flushes = list[Callable[[], Generator[None, None, None]]]


def _flushing(steps: Flushes) -> Iterator[None]:
    for flush in steps:
        yield from flush()


def run(
    loaded: Loaded,
    settings: Settings,
    options: ServerOptions,
    outputs: Outputs,
    sources: Sources | None = None,
    proxying: Proxying | None = None,
) -> int | None:
    """Serve until SIGINT or SIGTERM, or until the command ends: then its exit code (raises
    MockpostError for what a person must fix).

    With `sources`, SIGHUP, `POST /__mockpost/reload` and saving the files load them again.
    """
    watched = [p for p in sources if p is not None] if sources is not None else []
    stamps = [stamp(p) for p in watched]  # as near to when they were read as can be
    for path in (outputs.har_file, outputs.write_env):  # --record-to: when it is opened
        if path is not None:  # said now, not once a session is lost at exit
            check_writable(path)
    with ExitStack() as files:
        log_file = files.enter_context(open_log(outputs.log_file)) if outputs.log_file else None
        as_json = outputs.log_format == "json"
        console = make_console(sys.stderr if as_json else sys.stdout)
        banner = Banner(console)
        _said_at_start(banner, loaded, settings, options)
        server = MockServer(
            loaded[2],
            settings,
            options,
            sources,
            proxying=proxying,
            stamps=stamps,
            say=banner.note,
        )
        if options.admin and settings.api_key is None and server.access.beyond_loopback:
            changes = "from any machine" if options.remote_admin else "from this machine only"
            banner.warn(
                f"  listening on {options.host or 'every address'} without --api-key: anyone "
                "who can reach it reads the call log (with the headers calls sent) and its "
                f"page; changes to the mock are taken {changes}"
            )
        if server.fallthrough is not None:
            record_to = proxying.record_to if proxying is not None else None
            recording = f" and recorded into {record_to}" if record_to is not None else ""
            target = server.fallthrough.forwarder.target  # a user:password in it never shown
            banner.note(f"  proxy: calls no example answers go to {target}{recording}")
        return _serve(server, loaded, banner, outputs, log_file)


def _said_at_start(
    banner: Banner, loaded: Loaded, settings: Settings, options: ServerOptions
) -> None:
    collection, environment, index = loaded
    banner.loaded(collection, environment, __version__)
    banner.settings(settings)
    log_in_one_line(banner.warn)
    for line in emptied_lines(emptied_paths(index)):
        banner.warn("  " + line)
    if options.admin and any(e.path.text.startswith(PREFIX + "/") for e in index.examples):
        banner.warn(
            f"  some examples' paths start with {PREFIX}/: mockpost's API answers those paths "
            "(serve with --no-admin to have the examples answer them)"
        )


def _call_log(
    runtime: Runtime, banner: Banner, outputs: Outputs, log_file: TextIO | None
) -> tuple[Flushes, JsonLines | None]:
    """Where each call is told: a line in the terminal, or a JSON line on standard output;
    and a JSON line in the log file. Their flushes, and the JSON lines of standard output."""
    flushes: Flushes = []
    stdout_lines = JsonLines(sys.stdout) if outputs.log_format == "json" else None
    if stdout_lines is not None:
        runtime.store.subscribe(stdout_lines)
        flushes.append(stdout_lines.flush_steps)
    elif not outputs.quiet:
        printer = CallPrinter(banner.console)
        runtime.store.subscribe(printer)
        flushes.append(printer.flush_steps)
    if log_file is not None:
        file_lines = JsonLines(log_file)
        runtime.store.subscribe(file_lines)
        flushes.append(file_lines.flush_steps)
    return flushes, stdout_lines


def _serve(
    server: MockServer,
    loaded: Loaded,
    banner: Banner,
    outputs: Outputs,
    log_file: TextIO | None,
) -> int | None:
    runtime, reloader, options = server.runtime, server.reloader, server.options
    flushes, stdout_lines = _call_log(runtime, banner, outputs, log_file)
    listening_at: list[str] = []

    def listening(url: str) -> None:
        listening_at.append(url)
        if outputs.write_env is not None:
            write_environment(outputs.write_env, url, outputs.url_var, loaded[0], loaded[1])
        banner.listening(
            url,
            f"{url}{PREFIX}/" if options.admin else None,
            runtime.state.settings.api_key is not None,
        )
        if stdout_lines is not None:
            stdout_lines.event(event="listening", url=url)

    hangup = None
    if reloader is not None:  # every reload said, but a recording's (its calls say so)

        def told(done: Reloaded) -> None:
            if done.cause != RECORDING:
                banner.reloaded(done.ok, done.version, done.examples, done.error, done.cause)

        reloader.listeners.append(told)

        async def hangup() -> None:
            await reloader.reload("SIGHUP")

    command = Command(outputs.command, banner.warn) if outputs.command else None
    try:
        asyncio.run(
            serve(
                server,
                listening,
                lambda: _flushing(flushes),
                hangup,
                command.run if command is not None else None,
            )
        )
    finally:
        _said_on_exit(banner, outputs, runtime, listening_at, server.fallthrough)
    return command.code if command is not None else None


def _said_on_exit(
    banner: Banner,
    outputs: Outputs,
    runtime: Runtime,
    listening_at: list[str],
    fallthrough: FallThrough | None,
) -> None:
    """The files written as mockpost stops, and what they hold."""
    calls = plural(runtime.store.last_id, "call")
    if outputs.har_file is not None and listening_at:
        write_har(outputs.har_file, runtime.store, listening_at[0])
        banner.note(f"wrote {plural(len(runtime.store), 'call')} as HAR to {outputs.har_file}")
    if outputs.log_file is not None:
        banner.note(f"the call log of {calls} is in {outputs.log_file}")
    record_file = fallthrough.record_file if fallthrough is not None else None
    if record_file is not None:
        banner.note(
            f"recording stopped: {plural(record_file.added, 'new example')} saved in "
            f"{record_file.path}"
        )
