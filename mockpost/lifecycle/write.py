"""Writing a saved example into the collection file the mock serves (a v2.1 JSON file), as
`postman/edit.py` adds it, refused when the file changed on disk since the mock loaded it: the
user's editor, or a `git pull`, wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockpost.errors import MockpostError
from mockpost.postman.edit import add_example
from mockpost.whole import write_whole


class ConflictError(MockpostError):
    """The file changed on disk since it was loaded: nothing was written."""


class NotWritable(MockpostError):
    """The mock serves nothing a saved example can be written into."""


def digest(path: Path) -> str | None:
    """The file's content digest (None for a directory, or no file)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:
        return None


def write_example(path: Path, loaded: str | None, where: str, example: dict[str, Any]) -> str:
    """Add `example` to the request at `where` in the file at `path`, whose digest when it
    was loaded was `loaded`; the file's new digest (raises ConflictError, EditError,
    NotWritable, WriteError)."""
    return write_edit(path, loaded, lambda text: add_example(text, where, example))


def write_edit(path: Path, loaded: str | None, edit: Callable[[str], str]) -> str:
    """The file at `path` changed by `edit` (its text in, the new text out), unless it
    changed on disk since it was loaded; the new digest."""
    if not path.is_file():
        raise NotWritable(f"{path}: examples are written into a v2.1 JSON file only")
    data = path.read_bytes()
    if loaded is not None and hashlib.sha256(data).hexdigest() != loaded:
        raise ConflictError(
            f"{path} changed on disk since the mock loaded it: reload it, then save again"
        )
    text = data.decode("utf-8-sig")
    edited = edit(text)
    if data.startswith(b"\xef\xbb\xbf"):
        edited = "\ufeff" + edited
    write_whole(path, edited)
    return hashlib.sha256(edited.encode("utf-8")).hexdigest()
