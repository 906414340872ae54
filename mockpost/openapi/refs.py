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


@dataclass(frozen=True)
class Place:
    """Where a value was found: its file and its JSON pointer inside it."""

    file: Path
    pointer: str = ""

    def child(self, *keys: str | int) -> Place:
        escaped = (str(k).replace("~", "~0").replace("/", "~1").replace("%", "%25") for k in keys)
        return Place(self.file, "/".join((self.pointer, *escaped)))


@dataclass
class Refs:
    """The definition's root file and every file read so far."""

    root: Path
    files: dict[Path, Any] = field(default_factory=dict)

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
        where = self.name(place.file)
        if "://" in ref.partition("#")[0] or ref.startswith("//"):
            raise RefError(where, f"$ref {ref!r} is remote: mockpost works offline", place.pointer)
        target, _, pointer = ref.partition("#")
        file = place.file
        if target:
            file = Path(os.path.normpath(place.file.parent / unquote(target)))
            if not file.is_file():
                raise RefError(where, f"$ref {ref!r}: no such file", place.pointer)
        data = self.document(file)
        return _pointed(data, pointer, ref, where, place.pointer), Place(file, pointer)


def _pointed(data: Any, pointer: str, ref: str, where: str, at: str) -> Any:
    if pointer in ("", "/"):
        return data
    if not pointer.startswith("/"):
        raise RefError(where, f"$ref {ref!r}: not a JSON pointer", at)
    for raw in pointer[1:].split("/"):
        key = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            raise RefError(where, f"$ref {ref!r}: nothing at {key!r}", at)
    return data
