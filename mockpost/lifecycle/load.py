"""Loading a collection (and environment) and building the index that serves it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from mockpost.matching.index import Index, build_index, extend_index
from mockpost.postman.model import Collection, Environment
from mockpost.postman.reader import load_collection, load_environment, with_recorded

Loaded = tuple[Collection, Environment | None, Index]


def load(
    collection_path: str | Path,
    environment_path: str | Path | None = None,
    recorded: Sequence[Any] = (),
    spec: Path | None = None,
) -> Loaded:
    """Load both files and build the index (raises LoadError); `recorded`: items (of a
    recording) served too, in a folder "Recorded" after the collection's own; `spec`: an API
    definition that calls are checked against."""
    collection = load_collection(collection_path)
    if spec is not None:
        from mockpost.openapi.drift import checker_for  # only for --spec

        collection = replace(collection, checker=checker_for(spec))
    environment = load_environment(environment_path) if environment_path else None
    index = served_with(build_index(collection, environment), recorded)
    return index.collection, environment, index


def served_with(base: Index, recorded: Sequence[Any]) -> Index:
    """The collection's index with a recording's items served after its own examples: only
    the items are read and compiled (`base` is the index of the files alone)."""
    if not recorded:
        return base
    return extend_index(base, with_recorded(base.collection, recorded))
