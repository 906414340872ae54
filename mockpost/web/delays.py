"""Waiting out an answer's delay, cut short at once when the server stops."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[None]]


class Delays:
    """Waits out delays (`sleep`, asyncio's unless a test gives its own); `stop` ends every
    wait at once, so that a server with calls waiting 180 s still stops within a moment."""

    def __init__(self, sleep: Sleep = asyncio.sleep) -> None:
        self._sleep = sleep
        self._waiting: set[asyncio.Future[None]] = set()
        self.stopped = False

    async def wait(self, seconds: float) -> bool:
        """True once the delay is over; False when a stop cut it short."""
        if self.stopped:
            return False
        waiting = asyncio.ensure_future(self._sleep(seconds))
        self._waiting.add(waiting)
        try:
            await waiting
            return True
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self.stopped and task is not None and not task.cancelling():
                return False  # the stop cancelled the wait, not the call's own task
            raise
        finally:
            self._waiting.discard(waiting)

    def stop(self) -> None:
        self.stopped = True
        for waiting in list(self._waiting):
            waiting.cancel()
