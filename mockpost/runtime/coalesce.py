"""Work that many callers ask for at once, done once for all of them.

A recording proxy saves its file and rebuilds the served index after every new example; 200
new calls at once would write the file and rebuild the index 200 times, one after another.
`Coalesced` runs the work for the first caller and, while it runs, gathers every caller that
comes: they are served by one more run, which starts once the first ends. Each caller returns
once a run that began after it asked has finished, so it still sees its own change done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class Coalesced:
    def __init__(self, work: Callable[[], Awaitable[None]]) -> None:
        self._work = work
        self._waiting: asyncio.Future[None] | None = None  # the callers of the next run
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self) -> None:
        """Return once a run that began after this call has finished (its error raised)."""
        if self._waiting is None:
            self._waiting = asyncio.get_running_loop().create_future()
        waiting = self._waiting
        if self._runner is None:
            self._runner = asyncio.ensure_future(self._run())
        await asyncio.shield(waiting)

    async def _run(self) -> None:
        try:
            while self._waiting is not None:
                waiting, self._waiting = self._waiting, None
                try:
                    await self._work()
                except Exception as error:
                    waiting.set_exception(error)
                else:
                    waiting.set_result(None)
        finally:
            self._runner = None
