"""`mockpost serve` put together: a runtime, its web app, the terminal, the logs and exports,
and the command run against it.

Kept out of the command line so that it only turns options into `Settings` and `Outputs`;
everything here is plain Python that a test can drive.
"""

from __future__ import annotations

import asyncio
import copy
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mockpost import __version__
from mockpost.calls.jsonlines import JsonLines
from mockpost.calls.store import CallStore
from mockpost.lifecycle.reload import RECORDING, Reloaded, Reloader
from mockpost.lifecycle.watch import stamp, watch
from mockpost.matching.index import Index
from mockpost.postman.model import Collection, Environment
from mockpost.record.file import RecordFile
from mockpost.report import emptied_lines, emptied_paths
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.server import DEFAULT_PORT
from mockpost.server.command import Command
from mockpost.server.files import OutputError, open_log, write_environment, write_har
from mockpost.terminal.banner import Banner
from mockpost.terminal.console import make_console
from mockpost.terminal.printer import CallPrinter
from mockpost.text import plural
from mockpost.web.admin import PREFIX
from mockpost.web.app import create_app
from mockpost.web.fallthrough import FallThrough
from mockpost.web.guard import Access
from mockpost.web.proxy import Forwarder
from mockpost.web.run import log_in_one_line, serve
from mockpost.whole import check_writable


@dataclass(frozen=True, slots=True)
class Outputs:
    """Where serve listens, what it writes, and what it runs."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    quiet: bool = False  # no line per call in the terminal
    log_format: str = "text"  # "json": the call log as JSON lines on standard output
    log_file: Path | None = None  # also append every call as a JSON line here
    har_file: Path | None = None  # write the calls kept as HAR here when mockpost stops
    log_capacity: int = 1000  # calls kept in full
    admin: bool = True  # the API and page under /__mockpost/
    watch: bool = True  # reload when the collection or environment file is saved
    fast_replies: bool = True  # a kept reply's repeats sent as bytes made once (web/wire.py)
    write_env: Path | None = None  # a Postman environment holding the mock's URL, for newman
    url_var: str = "url"  # the name of that environment's variable
    command: tuple[str, ...] = ()  # run against the mock; mockpost stops when it ends
    proxy: str | None = None  # calls no example answers go to this real API
    record_to: Path | None = None  # and its answers are recorded here as examples
    insecure: bool = False  # accept the proxy target's self-signed certificate
    keep_headers: tuple[str, ...] = ()  # secrets recorded as they are
    keep_query: tuple[str, ...] = ()  # secret query parameters recorded as they are
    allow_hosts: tuple[str, ...] = ()  # more Host names mockpost's API answers
    remote_admin: bool = False  # changes from other machines taken without an API key


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
) -> int | None:
    """Serve until SIGINT or SIGTERM, or until the command ends: then its exit code (raises
    MockpostError for what a person must fix).

    With `sources`, SIGHUP, `POST /__mockpost/reload` and saving the files load them again.
    """
    for path in (outputs.har_file, outputs.write_env):  # --record-to: when it is opened
        if path is not None:  # said now, not once a session is lost at exit
            check_writable(path)
    with ExitStack() as files:
        log_file = files.enter_context(open_log(outputs.log_file)) if outputs.log_file else None
        return _serve(collection, environment, index, settings, outputs, log_file, sources)


def _serve(
    collection: Collection,
    environment: Environment | None,
    index: Index,
    settings: Settings,
    outputs: Outputs,
    log_file: TextIO | None,
    sources: Sources | None,
) -> int | None:
    watched = [p for p in sources if p is not None] if sources is not None else []
    loaded = [stamp(p) for p in watched]  # as near to when they were read as can be
    as_json = outputs.log_format == "json"
    console = make_console(sys.stderr if as_json else sys.stdout)
    banner = Banner(console)
    banner.loaded(collection, environment, __version__)
    banner.settings(settings)
    log_in_one_line(banner.warn)
    for line in emptied_lines(emptied_paths(index)):
        banner.warn("  " + line)
    if outputs.admin and any(e.path.text.startswith(PREFIX + "/") for e in index.examples):
        banner.warn(
            f"  some examples' paths start with {PREFIX}/: mockpost's API answers those paths "
            "(serve with --no-admin to have the examples answer them)"
        )
    runtime = Runtime(index, settings, CallStore(outputs.log_capacity))
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
        if outputs.write_env is not None:
            write_environment(outputs.write_env, url, outputs.url_var, collection, environment)
        banner.listening(
            url, f"{url}{PREFIX}/" if outputs.admin else None, settings.api_key is not None
        )
        if stdout_lines is not None:
            stdout_lines.event(event="listening", url=url)

    reloader = Reloader(runtime, *sources) if sources is not None else None
    fallthrough = _fallthrough(outputs, reloader)
    if fallthrough is not None:
        recording = f" and recorded into {outputs.record_to}" if outputs.record_to else ""
        target = fallthrough.forwarder.target  # a user:password in it never shown
        banner.note(f"  proxy: calls no example answers go to {target}{recording}")
        if fallthrough.record_file is not None and fallthrough.record_file.recording.items:
            assert reloader is not None
            runtime.swap(index=reloader.load())  # what was recorded before is served too

    if reloader is not None:  # every reload said, but a recording's (its calls say so)

        def told(done: Reloaded) -> None:
            if done.cause != RECORDING:
                banner.reloaded(done.ok, done.version, done.examples, done.error, done.cause)

        reloader.listeners.append(told)

    async def hangup() -> None:
        assert reloader is not None
        await reloader.reload("SIGHUP")

    async def saved() -> None:
        assert reloader is not None
        await reloader.reload("a save")

    async def watching() -> None:
        await watch(watched, saved, loaded=loaded)

    access = Access(outputs.host, outputs.allow_hosts, outputs.remote_admin)
    if outputs.admin and access.beyond_loopback and settings.api_key is None:
        changes = "from any machine" if outputs.remote_admin else "from this machine only"
        banner.warn(
            f"  listening on {outputs.host or 'every address'} without --api-key: anyone who "
            "can reach it reads the call log (with the headers calls sent) and its page; "
            f"changes to the mock are taken {changes}"
        )
    command = Command(outputs.command, banner.warn) if outputs.command else None
    app = create_app(
        runtime,
        admin=outputs.admin,
        reloader=reloader,
        fallthrough=fallthrough,
        access=access,
        say=banner.note,
        fast_replies=outputs.fast_replies,
    )
    try:
        asyncio.run(
            serve(
                app,
                outputs.host,
                outputs.port,
                listening,
                lambda: _flushing(flushes),
                hangup if reloader is not None else None,
                watching if reloader is not None and outputs.watch else None,
                command.run if command is not None else None,
            )
        )
    finally:
        _said_on_exit(banner, outputs, runtime, listening_at, fallthrough)
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


def _fallthrough(outputs: Outputs, reloader: Reloader | None) -> FallThrough | None:
    """The proxy for calls no example answers, and its recording (raises MockpostError)."""
    if outputs.proxy is None:
        return None
    forwarder = Forwarder(outputs.proxy, outputs.insecure)
    if outputs.record_to is None:
        return FallThrough(forwarder)
    if reloader is not None and outputs.record_to.resolve() == reloader.collection.resolve():
        raise OutputError(
            f"{outputs.record_to}: --record-to needs another file than the collection"
        )
    record_file = RecordFile.open(
        outputs.record_to,
        forwarder.origin,
        keep_headers=outputs.keep_headers,
        keep_query=outputs.keep_query,
    )
    if reloader is None:
        return FallThrough(forwarder, record_file)
    reloader.recorded = lambda: copy.deepcopy(record_file.recording.items)
    return FallThrough(forwarder, record_file, reloader.grow)
