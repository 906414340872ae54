"""A recording kept as a v3 collection tree (Postman's current format, a directory of YAML
files), added to file by file.

A new tree starts with its `.resources/definition.yaml`. An existing tree is read as `serve`
reads it and only added to: a new request is a new `<stem>.request.yaml` (beside the tree's
others, or in the folder `Recorded` of a copy made with `--collection`), a new answer a new
`<stem>.example.yaml` in its request's examples directory. No file already in the tree is
rewritten, so the author's formatting, comments and order stay as they are; each new file is
written whole (a temporary file renamed into place), and a name already taken in its
directory gets Postman's `-1`, `-2`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockpost.errors import LoadError
from mockpost.postman.items import as_text
from mockpost.postman.v3 import EXAMPLE, REQUEST, Tree
from mockpost.postman.v3write import (
    collection_definition,
    dump,
    example,
    examples_directory,
    folder_definition,
    request_file,
    stem,
)
from mockpost.record.collection import Recorder, Recording
from mockpost.whole import WriteError, write_whole

STEP = 1000  # between the `order` of one new item and the next, as Postman spaces them


@dataclass
class _Placed:
    """A request on disk: where its new examples go, and how many of its examples are."""

    examples: Path
    written: int
    order: float  # the last example's
    taken: set[str] | None = None  # example stems in use, lower case: listed on first use


@dataclass
class _Directory:
    order: float  # the last item's
    requests: set[str] = field(default_factory=set)  # request stems in use, lower case
    folders: set[str] = field(default_factory=set)  # folder names in use, lower case


class RecordTree(Recorder):
    """A recording kept as a v3 tree, added to file by file."""

    def __init__(self, path: Path, recording: Recording, tree: Tree | None = None) -> None:
        """`tree`: what was read of an existing tree (None: a new one, whose definition is
        mockpost's to write)."""
        super().__init__(path, recording)
        self._own_definition = tree is None
        self._definition = ""  # the definition last written
        self._requests: dict[int, _Placed] = {}  # by id() of the document's item
        self._folders: dict[int, Path] = {}
        self._directories: dict[Path, _Directory] = {}
        self._orders: dict[Path, float] = {}  # the last `order` in each directory read
        if tree is not None:
            self._orders = {Path(folder): order for folder, order in tree.last_order.items()}
            self._place(recording.document.get("item") or [], "$.item", tree)

    def _place(self, items: list[Any], where: str, tree: Tree) -> None:
        """Tie the items read from the tree to their files (by the place the reader names)."""
        for i, item in enumerate(items):
            here = f"{where}[{i}]"
            if here in tree.folders:
                self._folders[id(item)] = Path(tree.folders[here])
                self._place(item.get("item") or [], f"{here}.item", tree)
            elif here in tree.requests:
                _, examples, order = tree.requests[here]
                written = len(item.get("response") or [])
                self._requests[id(item)] = _Placed(Path(examples), written, order)

    def pending(self) -> Callable[[], None]:
        """The new files, made into text now; the function returned writes them, each
        counted as written only once it is."""
        files: list[tuple[Path, str, Callable[[], None]]] = []
        if self._own_definition:
            text = dump(collection_definition(self.recording.document, self.path.name))
            if text != self._definition:
                files.append((self.path / ".resources" / "definition.yaml", text, _nothing))
                self._definition = text
        self._items(self.recording.document.get("item") or [], self.path, files)

        def write() -> None:
            for path, text, done in files:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_whole(path, text)
                done()

        return write

    def _items(
        self, items: list[Any], folder: Path, files: list[tuple[Path, str, Callable[[], None]]]
    ) -> None:
        directory = self._directory(folder)
        for item in items:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("item"), list):
                place = self._folders.get(id(item))
                if place is None:
                    directory.order += STEP
                    place = folder / stem(as_text(item.get("name")), directory.folders, True)
                    definition = folder_definition(item, place.name, directory.order)
                    files.append(
                        (
                            place / ".resources" / "definition.yaml",
                            dump(definition),
                            _setter(self._folders, id(item), place),
                        )
                    )
                    self._directories[place] = _Directory(0.0)
                self._items(item["item"], place, files)
            elif "request" in item:
                self._request(item, folder, directory, files)

    def _request(
        self,
        item: Mapping[str, Any],
        folder: Path,
        directory: _Directory,
        files: list[tuple[Path, str, Callable[[], None]]],
    ) -> None:
        placed = self._requests.get(id(item))
        if placed is None:
            directory.order += STEP
            file_stem = stem(as_text(item.get("name")), directory.requests)
            data = request_file(item, file_stem, directory.order)
            placed = _Placed(examples_directory(folder, file_stem), 0, 0.0, set())
            files.append(
                (
                    folder / f"{file_stem}.request.yaml",
                    dump(data),
                    _setter(self._requests, id(item), placed),
                )
            )
        if placed.taken is None:
            placed.taken = _stems(placed.examples, EXAMPLE)
        responses = [r for r in item.get("response") or [] if isinstance(r, dict)]
        for response in responses[placed.written :]:
            placed.order += STEP
            example_stem = stem(as_text(response.get("name")), placed.taken)
            text = dump(example(response, example_stem, placed.order))
            files.append((placed.examples / f"{example_stem}.example.yaml", text, _counter(placed)))

    def _directory(self, folder: Path) -> _Directory:
        found = self._directories.get(folder)
        if found is None:
            found = self._directories[folder] = _listed(folder, self._orders.get(folder, 0.0))
        return found


def _listed(folder: Path, order: float) -> _Directory:
    """A directory of the tree, with the names its requests and folders already use."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        entries = []
    requests = {m["stem"].lower() for e in entries if (m := REQUEST.match(e.name))}
    folders = {e.name.lower() for e in entries if e.is_dir()}
    return _Directory(order, requests, folders)


def _stems(folder: Path, kind: re.Pattern[str]) -> set[str]:
    try:
        return {m["stem"].lower() for e in os.scandir(folder) if (m := kind.match(e.name))}
    except OSError:
        return set()


def _setter(table: dict[int, Any], key: int, value: Any) -> Callable[[], None]:
    return lambda: table.__setitem__(key, value)


def _counter(placed: _Placed) -> Callable[[], None]:
    def done() -> None:
        placed.written += 1

    return done


def _nothing() -> None:
    return None


def open_tree(
    path: Path,
    origin: str,
    collection: Path | None = None,
    name: str | None = None,
    keep_headers: tuple[str, ...] = (),
    keep_query: tuple[str, ...] = (),
) -> RecordTree:
    """With `collection`, a copy of it written as a new tree in `path`, recorded into its
    folder "Recorded"; else the tree in `path` added to (its name kept), or a new one
    (written by the first `save`). Raises LoadError for a directory that holds something
    else, WriteError for one that cannot be written."""
    from mockpost.postman.v3 import is_v3_directory, v3_document
    from mockpost.postman.v3write import write_v3
    from mockpost.record.file import document_of

    _check_directory(path)
    holds = path.is_dir() and any(path.iterdir())
    if collection is not None:
        if holds:
            raise WriteError(f"{path}: --collection copies into a new directory: it is not empty")
        base = document_of(collection)
        if name is not None:
            base["info"]["name"] = name
        try:
            write_v3(base, path)
        except OSError as exc:
            raise WriteError(f"{path}: cannot be written: {exc.strerror or exc}") from None
        holds = True
    if not holds:
        recording = Recording(
            name or f"Recorded from {origin}", origin, None, keep_headers, False, keep_query
        )
        record_tree = RecordTree(path, recording)
    else:
        if not is_v3_directory(path):
            raise LoadError(str(path), "is a directory that holds no Postman collection")
        document, tree = v3_document(path)
        recording = Recording(
            name or "", origin, document, keep_headers, collection is not None, keep_query
        )
        record_tree = RecordTree(path, recording, tree)
    return record_tree


def _check_directory(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise WriteError(f"{path}: cannot be written: it is not a directory")
    folder = path if path.exists() else path.parent
    if not folder.is_dir():
        raise WriteError(f"{path}: cannot be written: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WriteError(f"{path}: cannot be written: {folder} is not writable")
