"""A recording's file: started new, continued, or made from an existing collection, and
written whole (a temporary file renamed into place) as soon as an answer is new, before the
call is answered: a crash or Ctrl-C loses no call already answered.

A target that is a directory, or a path not ending in `.json` that is not there yet, is a v3
collection tree instead (`tree.py`), as `mockpost convert` decides."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockpost.errors import LoadError
from mockpost.postman.jsonfile import read_json
from mockpost.postman.reader import parse_collection
from mockpost.record.collection import Recorder, Recording
from mockpost.whole import check_writable, write_whole


def document_of(path: Path) -> dict[str, Any]:
    """The document of a v2.1 file or a v3 tree (raises LoadError when it is not one)."""
    if path.is_dir():
        from mockpost.postman.v3 import is_v3_directory, v3_document

        if not is_v3_directory(path):
            raise LoadError(str(path), "is a directory that holds no Postman collection")
        return v3_document(path)[0]
    data = read_json(path)
    parse_collection(data, str(path))  # a LoadError naming what is wrong, if anything
    if not isinstance(data, dict):
        raise LoadError(str(path), "is not a collection")
    return data


def is_tree(path: Path) -> bool:
    """Is a recording into `path` a v3 tree: a directory, or not there and not `.json`."""
    return path.is_dir() or (not path.exists() and path.suffix.lower() != ".json")


def open_recording(
    path: Path,
    origin: str,
    collection: Path | None = None,
    name: str | None = None,
    keep_headers: tuple[str, ...] = (),
    keep_query: tuple[str, ...] = (),
) -> Recorder:
    """A v2.1 file or a v3 tree to record into, as `path` says (raises MockpostError)."""
    if is_tree(path):
        from mockpost.record.tree import open_tree  # when used: it needs YAML

        record_tree = open_tree(path, origin, collection, name, keep_headers, keep_query)
        record_tree.save()  # the tree there from the start, and writable
        return record_tree
    return RecordFile.open(path, origin, collection, name, keep_headers, keep_query)


class RecordFile(Recorder):
    """A recording kept as one v2.1 file, written whole."""

    @classmethod
    def open(
        cls,
        path: Path,
        origin: str,
        collection: Path | None = None,
        name: str | None = None,
        keep_headers: tuple[str, ...] = (),
        keep_query: tuple[str, ...] = (),
    ) -> RecordFile:
        """With `collection`, a copy of it with a folder "Recorded"; else `path` continued
        if it exists, or a new collection. Raises LoadError for a file that is not one."""
        check_writable(path)
        base = None
        if collection is not None:
            base = document_of(collection)
        elif path.exists():
            base = document_of(path)
        recording = Recording(
            name or f"Recorded from {origin}",
            origin,
            base,
            keep_headers,
            into_folder=collection is not None,
            keep_query=keep_query,
        )
        if name is not None:
            recording.document["info"]["name"] = name
        record_file = cls(path, recording)
        record_file.save()  # a file there from the start, and writable
        return record_file

    def pending(self) -> Callable[[], None]:
        """The file as it is now, made into text; the function returned writes it whole."""
        return functools.partial(write_whole, self.path, self.recording.to_json())
