"""Loading a collection and building its index, as fast as start-up can be.

Building tens of thousands of small objects makes Python's cyclic garbage collector run again
and again over everything built so far; none of it is garbage, so collection is paused while
loading. What a server loads lives as long as it does: loaded `for_life`, it is moved out of
the collector's sight before collection resumes (else the first collection after the pause
walks every object built, about 80 ms for 20,000 examples).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeGuard

from mockpost.matching.index import Index, build_index, extend_index
from mockpost.postman.jsonfile import read_bytes
from mockpost.postman.model import Collection, Environment
from mockpost.postman.reader import load_collection, load_environment, with_recorded
from mockpost.runtime.snapshot import Snapshots


@contextmanager
def paused_gc(freeze_after: bool = False) -> Iterator[None]:
    """No garbage collection inside; with `freeze_after`, what is alive at the end (when it
    ends without an error) is kept out of every later collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze_after:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def load(
    collection_path: str | Path,
    environment_path: str | Path | None = None,
    recorded: Sequence[Any] = (),
    *,
    for_life: bool = False,
    snapshots: Snapshots | None = None,
) -> tuple[Collection, Environment | None, Index]:
    """Load both files and build the index (raises LoadError); `recorded`: items (of a
    recording) served too, in a folder "Recorded" after the collection's own; `for_life`:
    what is loaded lives as long as the process (a server's first load); `snapshots`: what
    was loaded from the same files before is read from there, and what is loaded is kept."""
    with paused_gc(freeze_after=for_life):
        if snapshots is not None and not recorded:
            environment_path = Path(environment_path) if environment_path else None
            return _through(snapshots, Path(collection_path), environment_path)
        collection = load_collection(collection_path)
        environment = load_environment(environment_path) if environment_path else None
        index = served_with(build_index(collection, environment), recorded)
        return index.collection, environment, index


def served_with(base: Index, recorded: Sequence[Any]) -> Index:
    """The collection's index with a recording's items served after its own examples: only
    the items are read and compiled (`base` is the index of the files alone)."""
    if not recorded:
        return base
    return extend_index(base, with_recorded(base.collection, recorded))


Loaded = tuple[Collection, Environment | None, Index]


def _through(snapshots: Snapshots, collection_path: Path, environment_path: Path | None) -> Loaded:
    """From the snapshot of the same files, or from the files (and a snapshot kept)."""
    collection_bytes = read_bytes(collection_path)
    environment_bytes = read_bytes(environment_path) if environment_path is not None else b""
    key = snapshots.key(
        (
            str(collection_path).encode("utf-8", "surrogateescape"),
            collection_bytes,
            str(environment_path or "").encode("utf-8", "surrogateescape"),
            environment_bytes,
        )
    )
    found = snapshots.read(key)
    if _is_loaded(found):
        return found
    collection = load_collection(collection_path, collection_bytes)
    environment = (
        load_environment(environment_path, environment_bytes)
        if environment_path is not None
        else None
    )
    loaded = (collection, environment, build_index(collection, environment))
    snapshots.keep(key, loaded)  # written by the caller, when it is alone (`write_kept`)
    return loaded


def _is_loaded(found: object) -> TypeGuard[Loaded]:
    return (
        isinstance(found, tuple)
        and len(found) == 3
        and isinstance(found[0], Collection)
        and isinstance(found[1], Environment | None)
        and isinstance(found[2], Index)
    )


class GrowthFreezer:
    """Keeps what a server builds to last out of the collector's sight as it grows.

    The replies a server keeps live as long as it does; with tens of thousands of them, every
    full collection walks them all again (about 25 ms for 10,000, a pause for every call in
    flight). Each time the count of kept replies reaches twice the count at the last freeze,
    `grew` collects the garbage and freezes what is alive. That happens a few times in a
    process's life (from `first`, doubling), which bounds what it can cost: an object alive at
    a freeze that later becomes cyclic garbage is no longer seen by the collector.
    """

    def __init__(self, first: int = 1024) -> None:
        self.next = first

    def grew(self, count: int) -> None:
        if count >= self.next:
            gc.collect()
            gc.freeze()
            self.next = count * 2


def freeze() -> None:
    """Keep everything built so far out of later garbage collections.

    No collection first: loading leaves no cycles worth a pass over 20,000 examples.
    """
    gc.freeze()
