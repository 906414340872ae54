"""Reloading the collection (and environment) while mockpost runs.

The new index is built away from the calls being served (in a thread) and swapped in at once:
calls in flight finish on the old one, none waits on the build. A file saved broken leaves the
last good version serving, and the error is kept to be shown in one line.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from mockpost.errors import MockpostError
from mockpost.matching.index import Index
from mockpost.runtime import startup
from mockpost.runtime.runtime import Runtime


@dataclass(frozen=True, slots=True)
class Reloaded:
    ok: bool
    version: int  # 1 at start-up, one more for each good reload
    examples: int
    error: str | None = None  # the one-line error of a reload that failed


class Reloader:
    """Loads the files again (raising MockpostError for what is wrong) and swaps the result in."""

    def __init__(self, runtime: Runtime, collection: Path, environment: Path | None) -> None:
        self.runtime = runtime
        self.collection = collection
        self.environment = environment
        self.version = 1
        self.reloaded_at: float | None = None
        self._lock = asyncio.Lock()

    def load(self) -> Index:
        return startup.load(self.collection, self.environment)[2]

    async def switch_environment(self, environment: Path | None) -> Reloaded:
        """Serve with another environment (None: none); on failure the old one stays."""
        async with self._lock:
            before, self.environment = self.environment, environment
            done = await self._reload()
            if not done.ok:
                self.environment = before
            return done

    async def reload(self) -> Reloaded:
        async with self._lock:  # one build at a time; a second waits and builds again
            return await self._reload()

    async def _reload(self) -> Reloaded:
        try:
            index = await asyncio.to_thread(self.load)
        except MockpostError as error:
            examples = len(self.runtime.state.index.examples)
            return Reloaded(False, self.version, examples, str(error))
        self.runtime.swap(index=index)
        self.version += 1
        self.reloaded_at = self.runtime.clock()
        return Reloaded(True, self.version, len(index.examples))
