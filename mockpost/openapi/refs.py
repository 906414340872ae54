"""`$ref`s of a definition: to a place in the same file (`#/components/schemas/Pet`), or in a
file beside it (`models/pet.yaml`, `common.yaml#/Pet`), each file read once. A remote `$ref`
(`https://...`) is refused: mockpost works offline. Chains are followed; a loop of `$ref`s
that leads nowhere is an error, and a schema that refers to itself is left to the walker that
asked (`sample.py` bounds its depth), as Postman's converter does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from mockpost.openapi.source import DefinitionError, read_document

MAX_HOPS = 64  # `$ref`s followed from one place before it is called a loop


class RefError(DefinitionError):
    """A `$ref` that cannot be followed: where it is written, and why."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value was found: its file and its JSON pointer inside it (a pointer a `$ref`
    led to, then the keys walked from there: joined only when a pointer is asked for)."""

    file: Path
    base: str = ""
    keys: tuple[str | int, ...] = ()

    def child(self, *keys: str | int) -> Place:
        return Place(self.file, self.base, self.keys + keys)

    @property
    def pointer(self) -> str:
        escaped = (
            str(k).replace("~", "~0").replace("/", "~1").replace("%", "%25") for k in self.keys
        )
        return "/".join((self.base, *escaped))


@dataclass
class Refs:
    """The definition's root file and every file read so far."""

    root: Path
    files: dict[Path, Any] = field(default_factory=dict)
    found: dict[tuple[Path, str], Path | None] = field(default_factory=dict)
    followed: dict[tuple[Path, str], tuple[Any, Place]] = field(default_factory=dict)

    def document(self, file: Path) -> Any:
        found = self.files.get(file)
        if found is None and file not in self.files:
            found = self.files[file] = read_document(file, self.name(file))
        return found

    def name(self, file: Path) -> str:
        """The file as errors name it: relative to the root's directory where it can be."""
        try:
            return os.path.relpath(file, self.root.parent)
        except ValueError:
            return str(file)

    def resolve(self, value: Any, place: Place) -> tuple[Any, Place]:
        """The value a `$ref` (or a chain of them) leads to, and its place; anything else
        as it is."""
        for _ in range(MAX_HOPS):
            if not isinstance(value, dict) or not isinstance(value.get("$ref"), str):
                return value, place
            value, place = self._follow(value["$ref"], place)
        raise RefError(
            self.name(place.file), "a loop of $refs that leads to no value", place.pointer
        )

    def _follow(self, ref: str, place: Place) -> tuple[Any, Place]:
        key = (place.file, ref)  # the same `$ref` in the same file: followed once
        found = self.followed.get(key)
        if found is None:
            found = self.followed[key] = self._lookup(ref, place)
        return found

    def _lookup(self, ref: str, place: Place) -> tuple[Any, Place]:
        target, _, pointer = ref.partition("#")
        if "://" in target or ref.startswith("//"):
            raise RefError(
                self.name(place.file),
                f"$ref {ref!r} is remote: mockpost works offline",
                place.pointer,
            )
        file: Path | None = place.file
        if target:
            file = self._file(place.file.parent, target)
        if file is None:
            raise RefError(self.name(place.file), f"$ref {ref!r}: no such file", place.pointer)
        data = self.document(file)
        return _pointed(data, pointer, ref, self, place), Place(file, pointer)

    def _file(self, folder: Path, target: str) -> Path | None:
        """The file a relative `$ref` names, None when there is none (each looked up once)."""
        key = (folder, target)
        if key not in self.found:
            file = Path(os.path.normpath(folder / unquote(target)))
            self.found[key] = file if file.is_file() else None
        return self.found[key]


def _pointed(data: Any, pointer: str, ref: str, refs: Refs, place: Place) -> Any:
    if pointer in ("", "/"):
        return data
    if not pointer.startswith("/"):
        raise RefError(refs.name(place.file), f"$ref {ref!r}: not a JSON pointer", place.pointer)
    for raw in pointer[1:].split("/"):
        key = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            raise RefError(
                refs.name(place.file), f"$ref {ref!r}: nothing at {key!r}", place.pointer
            )
    return data
