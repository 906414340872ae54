"""Serving: listen, tell who listens where, print the call log as it fills, stop on a signal."""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator
from typing import Protocol

from aiohttp import web

from mockpost.errors import MockpostError
from mockpost.text import printable
from mockpost.web.admin import STREAMS
from mockpost.web.handler import DELAYS

FLUSH_EVERY = 0.1  # seconds between prints of the call log
SHUTDOWN_TIMEOUT = 1.0  # seconds calls in flight get to finish once mockpost stops

Flush = Callable[[], Iterator[None]]  # prints what is queued, pausing at each `yield`


Runner = web.AppRunner


class ListenError(MockpostError):
    """The address cannot be listened on."""


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class OneLine(logging.Handler):
    """What aiohttp and mockpost log (a malformed call, a failure inside mockpost) as one
    concise line, never a traceback: the message and the error's type and text."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = record.getMessage()
            error = record.exc_info[1] if record.exc_info else None
            if error is not None:
                text = str(getattr(error, "message", "") or error)
                first = next((part.strip() for part in text.splitlines() if part.strip()), "")
                line = line.replace("Error handling request", "bad HTTP call")
                line += f": {type(error).__name__}" + (f": {first}" if first else "")
            self.say(printable(line))
        except Exception:  # never let logging break serving
            self.handleError(record)


def log_in_one_line(say: Callable[[str], None]) -> None:
    """Send the logs of aiohttp and mockpost to `say`, one line each."""
    handler = OneLine(say)
    for name in ("aiohttp", "mockpost"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False


async def _flush_every(flush: Flush) -> None:
    while True:
        await asyncio.sleep(FLUSH_EVERY)
        for _ in flush():
            await asyncio.sleep(0)  # calls are answered between the steps


async def listen(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, str]:
    """Start answering on host:port (0: a free port); the runner, and the URL listened on."""
    runner = web.AppRunner(
        app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        hint = ""
        if exc.errno == errno.EADDRINUSE:
            hint = " (another program listens there: choose another --port, or --port 0)"
        raise ListenError(
            f"cannot listen on {url_of(host, port)}: {exc.strerror or exc}{hint}"
        ) from None
    bound_host, bound_port = runner.addresses[0][:2]
    return runner, url_of(host or bound_host, bound_port)


async def close(runner: web.AppRunner) -> None:
    """Stop: calls waiting out a delay are answered now (and logged so), event streams end,
    calls in flight get SHUTDOWN_TIMEOUT to finish."""
    app = runner.app
    if DELAYS in app:
        app[DELAYS].stop()
    if STREAMS in app:
        app[STREAMS].stop()
    await runner.cleanup()


class Listener:
    """An app answering on host:port (0: a free port) once started, until stopped."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        """Listen (raises ListenError); the URL listened on."""
        self.runner, self.url = await listen(self.app, self.host, self.port)
        return self.url

    async def stop(self) -> None:
        runner, self.runner = self.runner, None
        if runner is not None:
            await close(runner)


class Startable(Protocol):
    async def start(self) -> str: ...
    async def stop(self) -> None: ...


async def serve(
    server: Startable,
    on_listening: Callable[[str], None],
    flush: Flush | None = None,
    on_hangup: Callable[[], Awaitable[None]] | None = None,
    until: Callable[[str], Awaitable[None]] | None = None,
) -> None:
    """Start `server` and serve until SIGINT or SIGTERM (or until `until(url)` is done);
    `flush` runs every 0.1 s, and once more at the end; `on_hangup` runs on each SIGHUP
    (reload), in the background of the calls; `until` (a command run against the mock) is
    cancelled if a signal comes first."""
    flushing = asyncio.create_task(_flush_every(flush)) if flush is not None else None
    try:
        url = await server.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        hangups: set[asyncio.Task[None]] = set()
        if on_hangup is not None:
            reload = on_hangup

            def hangup() -> None:
                task = asyncio.ensure_future(reload())
                hangups.add(task)
                task.add_done_callback(hangups.discard)

            loop.add_signal_handler(signal.SIGHUP, hangup)
        # Said once every signal is handled: whoever reads the line may signal at once.
        on_listening(url)
        main = asyncio.ensure_future(until(url)) if until is not None else None
        if main is not None:
            main.add_done_callback(lambda _: stop.set())
        try:
            await stop.wait()
        finally:
            if main is not None:
                main.cancel()
                await asyncio.gather(main, return_exceptions=True)
    finally:
        await server.stop()
        if flushing is not None:
            flushing.cancel()
        if flush is not None:
            for _ in flush():
                pass
