"""Loading a collection and building its index, as fast as start-up can be.

Building tens of thousands of small objects makes Python's cyclic garbage collector run again
and again over everything built so far; none of it is garbage, so collection is paused while
loading, and `freeze` moves the result out of the collector's sight for the life of the server.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mockpost.collection import Collection, Environment, load_collection, load_environment
from mockpost.index import Index, build_index


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
    collection_path: str | Path, environment_path: str | Path | None = None
) -> tuple[Collection, Environment | None, Index]:
    """Load both files and build the index (raises LoadError)."""
    with paused_gc():
        collection = load_collection(collection_path)
        environment = load_environment(environment_path) if environment_path else None
        return collection, environment, build_index(collection, environment)


def freeze() -> None:
    """Keep everything built so far out of later garbage collections.

    No collection first: loading leaves no cycles worth a pass over 20,000 examples.
    """
    gc.freeze()
