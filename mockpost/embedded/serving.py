"""`mockpost.serving(...)`: a mock started in-process on a free port, stopped on the way out.

    with mockpost.serving("api.postman_collection.json") as mock:    # a thread of its own
        requests.get(mock.url + "/users/1")
    async with mockpost.serving("api.postman_collection.json") as mock:  # this event loop
        ...

With `with`, the mock runs its own event loop in a thread: the calling code may block (a
`requests` call, Selenium) while it answers. With `async with`, it runs on the caller's loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from mockpost.embedded.mock import Mock
from mockpost.lifecycle.load import load
from mockpost.lifecycle.reload import Reloader
from mockpost.lifecycle.watch import stamp
from mockpost.runtime.patch import patched
from mockpost.runtime.settings import Settings
from mockpost.server.assembly import MockServer, ServerOptions

T = TypeVar("T")


def settings_of(
    *,
    delay: int | str | None = 0,
    server_response: int | dict[str, Any] | None = None,
    match_body: bool = False,
    match_headers: Sequence[str] = (),
    fuzzy: bool = True,
    api_key: str | None = None,
    keep_cors_headers: bool = False,
    seed: int | None = None,
    locale: str | None = None,
    faults: dict[str, Any] | None = None,
) -> Settings:
    """Settings from serve's options, checked as `PATCH /__mockpost/settings` checks them
    (raises `SettingsError`)."""
    base = Settings(api_key=api_key, keep_cors_headers=keep_cors_headers, seed=seed, locale=locale)
    response = {"code": server_response} if isinstance(server_response, int) else server_response
    patch = {
        "delay": delay,
        "server_response": response,
        "match_body": match_body,
        "match_headers": list(match_headers),
        "fuzzy": fuzzy,
        "faults": faults,
    }
    return patched(base, patch)


class Serving:
    """A mock of COLLECTION to be started with `with` (in a thread) or `async with`."""

    def __init__(
        self,
        collection: str | Path,
        environment: str | Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_capacity: int = 1000,
        admin: bool = True,
        watch: bool = False,
        **options: Any,
    ) -> None:
        self.collection = Path(collection)
        self.environment = Path(environment) if environment is not None else None
        self.options = ServerOptions(host, port, admin, watch=watch, log_capacity=log_capacity)
        self.settings = settings_of(**options)  # a bad option fails here, before anything
        self._started: MockServer | None = None
        self._thread: _LoopThread | None = None

    async def _start(self) -> MockServer:
        sources = (self.collection, self.environment, None)
        stamps = [stamp(p) for p in sources if p is not None]
        index = (await asyncio.to_thread(load, self.collection, self.environment))[2]
        server = MockServer(index, self.settings, self.options, sources, stamps=stamps)
        await server.start()
        return server

    # -- in a thread of its own ---------------------------------------------------------

    def __enter__(self) -> Mock:
        thread = _LoopThread()
        try:
            started = thread.run(self._start())
        except BaseException:
            thread.close()
            raise
        self._thread, self._started = thread, started
        return Mock(started.url, started.runtime, _reloader(started), thread.call)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        thread, started = self._thread, self._started
        self._thread = self._started = None
        if thread is not None and started is not None:
            try:
                thread.run(started.stop())
            finally:
                thread.close()

    # -- on the caller's event loop -----------------------------------------------------

    async def __aenter__(self) -> Mock:
        started = self._started = await self._start()
        return Mock(started.url, started.runtime, _reloader(started), _call_here)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        started, self._started = self._started, None
        if started is not None:
            await started.stop()


def _reloader(server: MockServer) -> Reloader:
    assert server.reloader is not None  # a mock of files reloads them
    return server.reloader


def _call_here(function: Callable[[], T]) -> T:
    return function()


class _LoopThread:
    """An event loop running in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="mockpost", daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def call(self, function: Callable[[], T]) -> T:
        """Run a function on the loop (between two calls) and wait for its result."""

        async def called() -> T:
            return function()

        return self.run(called())

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


def serving(
    collection: str | Path, environment: str | Path | None = None, **options: Any
) -> Serving:
    """A mock of `collection`, to start with `with` or `async with` (see the module).

    Options: `host`, `port` (0, the default: a free one), `delay` (300, "2g", "100-500",
    "lognormal:200:0.5"), `server_response`, `match_body`, `match_headers`, `fuzzy`,
    `faults` ({"error_rate": "10", "rate_limit": "5/s", "connection": ["5:reset"]}),
    `api_key`, `keep_cors_headers`, `seed`, `locale`, `log_capacity`, `admin`, `watch`
    (reload when the files are saved; off by default).
    A file that cannot be served raises `LoadError` on entering, a bad option
    `SettingsError`: both `MockpostError`.
    """
    return Serving(collection, environment, **options)
