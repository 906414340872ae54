"""Serving: listen, tell who listens where, print the call log as it fills, stop on a signal."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterator

from aiohttp import web

from mockpost.errors import MockpostError

FLUSH_EVERY = 0.1  # seconds between prints of the call log

Flush = Callable[[], Iterator[None]]  # prints what is queued, pausing at each `yield`


class ListenError(MockpostError):
    """The address cannot be listened on."""


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


async def _flush_every(flush: Flush) -> None:
    while True:
        await asyncio.sleep(FLUSH_EVERY)
        for _ in flush():
            await asyncio.sleep(0)  # calls are answered between the steps


async def serve(
    app: web.Application,
    host: str,
    port: int,
    on_listening: Callable[[str], None],
    flush: Flush | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM; `flush` runs every 0.1 s, and once more at the end."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    flushing = asyncio.create_task(_flush_every(flush)) if flush is not None else None
    try:
        site = web.TCPSite(runner, host, port, reuse_address=True)
        try:
            await site.start()
        except OSError as exc:
            raise ListenError(
                f"cannot listen on {url_of(host, port)}: {exc.strerror or exc}"
            ) from None
        bound_host, bound_port = runner.addresses[0][:2]
        on_listening(url_of(host or bound_host, bound_port))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
        if flushing is not None:
            flushing.cancel()
        if flush is not None:
            for _ in flush():
                pass
