"""Loading a collection and building its index, as fast as start-up can be.

Building tens of thousands of small objects makes Python's cyclic garbage collector run again
and again over everything built so far; none of it is garbage, so collection is paused while
loading, and `freeze` moves the result out of the collector's sight for the life of the server.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mockpost.matching.index import Index, build_index
from mockpost.postman.jsonfile import read_json
from mockpost.postman.model import Collection, Environment
from mockpost.postman.reader import load_collection, load_environment, parse_collection


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(
    collection_path: str | Path,
    environment_path: str | Path | None = None,
    recorded: Sequence[Any] = (),
) -> tuple[Collection, Environment | None, Index]:
    """Load both files and build the index (raises LoadError); `recorded`: items (of a
    recording) served too, in a folder "Recorded" after the collection's own."""
    with paused_gc():
        if recorded:
            data = read_json(Path(collection_path))
            if isinstance(data, dict) and isinstance(data.get("item"), list):
                data["item"] = [*data["item"], {"name": "Recorded", "item": list(recorded)}]
            collection = parse_collection(data, str(collection_path))
        else:
            collection = load_collection(collection_path)
        environment = load_environment(environment_path) if environment_path else None
        return collection, environment, build_index(collection, environment)


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
