"""A recording's file: started new, continued, or made from an existing collection, and
written whole (a temporary file renamed into place) as soon as an answer is new, before the
call is answered: a crash or Ctrl-C loses no call already answered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockpost.errors import LoadError
from mockpost.postman.jsonfile import read_json
from mockpost.postman.reader import parse_collection
from mockpost.record.collection import Added, Recording
from mockpost.record.exchange import Exchange
from mockpost.whole import check_writable, write_whole


def _collection(path: Path) -> dict[str, Any]:
    data = read_json(path)
    parse_collection(data, str(path))  # a LoadError naming what is wrong, if anything
    if not isinstance(data, dict):
        raise LoadError(str(path), "is not a collection")
    return data


class RecordFile:
    def __init__(self, path: Path, recording: Recording) -> None:
        self.path = path
        self.recording = recording
        self.added = 0  # new examples recorded since it was opened

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
            base = _collection(collection)
        elif path.exists():
            base = _collection(path)
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

    def add(self, exchange: Exchange) -> Added:
        """Record the exchange and, when its answer is new, save the file at once."""
        added = self.remember(exchange)
        if added.new:
            self.save()
        return added

    def remember(self, exchange: Exchange) -> Added:
        """Record the exchange in memory only: the caller saves (`save`, or `text` written
        elsewhere), so that many new answers can share one write."""
        added = self.recording.add(exchange)
        self.added += added.new
        return added

    def text(self) -> str:
        return self.recording.to_json()

    def save(self) -> None:
        """Written whole (raises WriteError)."""
        write_whole(self.path, self.recording.to_json())
