"""Reloading the collection (and environment) while mockpost runs.

The new index is built away from the calls being served (in a thread) and swapped in at once:
calls in flight finish on the old one, none waits on the build. A file saved broken leaves the
last good version serving, and the error is kept to be shown in one line.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from mockpost.errors import MockpostError
from mockpost.lifecycle.load import load as load_files
from mockpost.lifecycle.load import served_with
from mockpost.lifecycle.watch import Stamp, stamp
from mockpost.matching.index import Index
from mockpost.runtime.runtime import Runtime

BUILD_SWITCH_INTERVAL = 0.0005  # s: how long the build holds the interpreter while calls wait
RECORDING = "a recording"  # the cause of the reloads that serve what was just recorded


class _CallsFirst:
    """While an index is built in a thread, the thread answering calls gets the interpreter
    back within 0.5 ms instead of Python's 5 ms: it waits for it after every read and write,
    and a CPU-bound build would hold it the whole interval each time.

    The interval is the process's: the first build to start sets it, the last to end puts
    back what it was, however many mocks of one process reload at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds = 0
        self._before = 0.0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._builds == 0:
                self._before = sys.getswitchinterval()
                sys.setswitchinterval(min(self._before, BUILD_SWITCH_INTERVAL))
            self._builds += 1
        try:
            yield
        finally:
            with self._lock:
                self._builds -= 1
                if self._builds == 0:
                    sys.setswitchinterval(self._before)


calls_first = _CallsFirst()


class Same(Enum):
    """The environment in force (as opposed to another file, or None for none)."""

    SAME = "same"


SAME = Same.SAME


@dataclass(frozen=True, slots=True)
class Reloaded:
    ok: bool
    version: int  # 1 at start-up, one more for each good reload
    examples: int
    error: str | None = None  # the one-line error of a reload that failed
    cause: str = ""  # what asked for it: "a save", "the API", "SIGHUP", "a recording"...


class Reloader:
    """Loads the files again (raising MockpostError for what is wrong) and swaps the result in."""

    def __init__(
        self,
        runtime: Runtime,
        collection: Path,
        environment: Path | None,
        spec: Path | None = None,
        loaded: Stamp | Same = SAME,
    ) -> None:
        """`loaded`: the collection's stamp when it was read, if the caller took it (a tree's
        is a walk of every file: taken once)."""
        self.runtime = runtime
        self.collection = collection
        self.environment = environment
        self.spec = spec  # an API definition that calls are checked against
        self.started_with = environment  # what `reset` goes back to
        self.version = 1
        self.reloaded_at: float | None = None
        self._lock = asyncio.Lock()
        self.listeners: list[Callable[[Reloaded], None]] = []  # told of every reload tried
        self.recorded: Callable[[], Sequence[Any]] = tuple  # items recorded while serving
        # The index of the files alone at the last load, and the environment it was built
        # with: what a recording grows from without loading the files again.
        self._base: tuple[Path | None, Index] | None = None
        # What a write checks the collection against.
        self.loaded_stamp = stamp(collection) if isinstance(loaded, Same) else loaded
        # One write of the workbench at a time, from reading the index to the reload: a
        # place read from the index is then the place in the file.
        self.writing = asyncio.Lock()

    def load(
        self, environment: Path | Same | None = SAME, recorded: Sequence[Any] | None = None
    ) -> Index:
        """The files built into an index (raises MockpostError); `environment`: another
        file, or None for none; `recorded`: a snapshot of the recorded items."""
        chosen = self.environment if environment is SAME else environment
        items = self.recorded() if recorded is None else recorded
        loaded = stamp(self.collection)
        base = load_files(self.collection, chosen, spec=self.spec)[2]
        self.loaded_stamp = loaded
        self._base = (chosen, base)
        return served_with(base, items)

    async def grow(self) -> Reloaded:
        """Serve what a recording holds now: its items are read and compiled on top of the
        index of the files at the last load, which are not loaded again (a full reload when
        there is none yet)."""
        async with self._lock:
            if self._base is None or self._base[0] != self.environment:
                return await self._reload(cause=RECORDING)
            base = self._base[1]
            recorded = self.recorded()
            with calls_first():
                index = await asyncio.to_thread(served_with, base, recorded)
            return self.apply(index, cause=RECORDING)

    def apply(
        self, index: Index, environment: Path | Same | None = SAME, cause: str = ""
    ) -> Reloaded:
        """Serve `index` from the next call on (built from `environment`, if another)."""
        self.runtime.swap(index=index)
        if not isinstance(environment, Same):
            self.environment = environment
        self.version += 1
        self.reloaded_at = self.runtime.clock()
        return self._tell(Reloaded(True, self.version, len(index.examples), cause=cause))

    def _tell(self, done: Reloaded) -> Reloaded:
        for listener in self.listeners:
            listener(done)
        return done

    def environment_file(self, named: str) -> Path:
        """The environment file that a caller of the API names, if it is one the user could
        have named at start-up: a file beside the collection or the start-up environment
        (or in a folder below), a relative name read from the collection's folder. Raises
        MockpostError for any other: the API never reads an arbitrary path."""
        if "\0" in named or not named.strip():
            raise MockpostError("expected the name of an environment file")
        folders = [self.collection.resolve().parent]
        if self.started_with is not None:
            folders.append(self.started_with.resolve().parent)
        path = (folders[0] / named).resolve()
        if not any(path.is_relative_to(folder) for folder in folders):
            shown = " or ".join(str(folder) for folder in dict.fromkeys(folders))
            raise MockpostError(
                f"{named}: an environment is read from the folder of the collection or of "
                f"the start-up environment ({shown}) only"
            )
        if not path.is_file():
            raise MockpostError(f"{named}: no such file")
        return path

    async def switch_environment(
        self, environment: Path | None, cause: str = "the API"
    ) -> Reloaded:
        """Serve with another environment (None: none); on failure the old one stays."""
        async with self._lock:
            return await self._reload(environment, cause)

    async def reload(self, cause: str = "") -> Reloaded:
        async with self._lock:  # one build at a time; a second waits and builds again
            return await self._reload(cause=cause)

    async def _reload(self, environment: Path | Same | None = SAME, cause: str = "") -> Reloaded:
        try:
            recorded = self.recorded()  # taken here: the calls go on adding to it
            with calls_first():
                index = await asyncio.to_thread(self.load, environment, recorded)
        except MockpostError as error:
            examples = len(self.runtime.state.index.examples)
            return self._tell(Reloaded(False, self.version, examples, str(error), cause))
        return self.apply(index, environment, cause)
