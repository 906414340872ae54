"""One mock put together, the one way: the `mockpost` command (server/run.py) and
`mockpost.serving` (the Python API and the pytest plugin) both build a `MockServer`.

It holds the runtime over a loaded index, the reloader of its files, the proxy for calls no
example answers (and its recording), the aiohttp app, and once started, the listener and
the watcher of the files. What only the command does (the terminal, the logs, signals, a
command run against the mock) stays with the command.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mockpost.calls.store import CallStore
from mockpost.lifecycle.reload import Reloader
from mockpost.lifecycle.watch import Stamp, stamp, watch
from mockpost.matching.index import Index
from mockpost.record.file import open_recording
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.server.files import OutputError
from mockpost.web.app import create_app
from mockpost.web.fallthrough import FallThrough
from mockpost.web.guard import Access
from mockpost.web.proxy import Forwarder
from mockpost.web.run import Listener

# The collection, environment and API definition (--spec) files, to load again.
Sources = tuple[Path, Path | None, Path | None]


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """Where and how a mock serves."""

    host: str = "127.0.0.1"
    port: int = 0  # 0: a free one
    admin: bool = True  # the API and page under /__mockpost/
    allow_hosts: tuple[str, ...] = ()  # more Host names mockpost's API answers
    remote_admin: bool = False  # changes from other machines taken without an API key
    watch: bool = False  # reload when the collection or environment file is saved
    log_capacity: int = 1000  # calls kept in full
    fast_replies: bool = False  # a kept reply's repeats as bytes made once (web/wire.py)


@dataclass(frozen=True, slots=True)
class Proxying:
    """Calls no example answers go to a real API, and its answers may be recorded."""

    target: str
    record_to: Path | None = None  # recorded here as examples, served from the next call on
    insecure: bool = False  # accept the target's self-signed certificate
    keep_headers: tuple[str, ...] = ()  # secrets recorded as they are
    keep_query: tuple[str, ...] = ()  # secret query parameters recorded as they are


class MockServer:
    """A mock of a loaded index: its parts, put together; `start` listens, `stop` stops.

    With `sources`, the reloader loads those files again (the API, SIGHUP, a save when
    `watch`); `stamps`: the files' stamps when they were read (else now); `say`: a line for
    whoever shows what the API changed and why the fast path is off. Raises MockpostError
    for a recording file that cannot be used.
    """

    def __init__(
        self,
        index: Index,
        settings: Settings,
        options: ServerOptions,
        sources: Sources | None = None,
        *,
        proxying: Proxying | None = None,
        stamps: Sequence[Stamp] | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.options = options
        self.watched = [p for p in sources if p is not None] if sources is not None else []
        self.stamps = list(stamps) if stamps is not None else [stamp(p) for p in self.watched]
        self.runtime = Runtime(index, settings, CallStore(options.log_capacity))
        self.reloader = (
            Reloader(self.runtime, *sources, loaded=self.stamps[0]) if sources is not None else None
        )
        self.fallthrough = _fallthrough(proxying, self.reloader)
        record_file = self.fallthrough.record_file if self.fallthrough is not None else None
        if record_file is not None and record_file.recording.items:
            assert self.reloader is not None  # a recording needs the files (`_fallthrough`)
            self.runtime.swap(index=self.reloader.load())  # what was recorded is served too
        self.access = Access(options.host, options.allow_hosts, options.remote_admin)
        self.app = create_app(
            self.runtime,
            admin=options.admin,
            reloader=self.reloader,
            fallthrough=self.fallthrough,
            access=self.access,
            say=say,
            fast_replies=options.fast_replies,
        )
        self.listener = Listener(self.app, options.host, options.port)
        self._watcher: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return self.listener.url

    async def start(self) -> str:
        """Listen (raises ListenError), and watch the files if asked; the URL."""
        url = await self.listener.start()
        reloader = self.reloader
        if self.options.watch and reloader is not None:

            async def saved() -> None:
                await reloader.reload("a save")

            self._watcher = asyncio.ensure_future(watch(self.watched, saved, loaded=self.stamps))
        return url

    async def stop(self) -> None:
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
        await self.listener.stop()


def _fallthrough(proxying: Proxying | None, reloader: Reloader | None) -> FallThrough | None:
    """The proxy for calls no example answers, and its recording (raises MockpostError)."""
    if proxying is None:
        return None
    forwarder = Forwarder(proxying.target, proxying.insecure)
    if proxying.record_to is None:
        return FallThrough(forwarder)
    if reloader is not None and proxying.record_to.resolve() == reloader.collection.resolve():
        raise OutputError(
            f"{proxying.record_to}: --record-to needs another file than the collection"
        )
    record_file = open_recording(
        proxying.record_to,
        forwarder.origin,
        keep_headers=proxying.keep_headers,
        keep_query=proxying.keep_query,
    )
    if reloader is None:
        return FallThrough(forwarder, record_file)
    reloader.recorded = lambda: copy.deepcopy(record_file.recording.items)
    return FallThrough(forwarder, record_file, reloader.grow)
