"""Writing a saved example into the collection file the mock serves (a v2.1 JSON file), as
`postman/edit.py` adds it, refused when the file changed on disk since the mock loaded it: the
user's editor, or a `git pull`, wins. "Changed" is the watcher's rule (`watch.stamp`: mtime,
size, inode), so that loading costs one `stat`, not a second read of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockpost.errors import MockpostError
from mockpost.lifecycle.watch import Stamp, stamp
from mockpost.postman.edit import add_example
from mockpost.whole import write_whole


class ConflictError(MockpostError):
    """The file changed on disk since it was loaded: nothing was written."""


class NotWritable(MockpostError):
    """The mock serves nothing a saved example can be written into."""


def file_stamp(path: Path) -> Stamp:
    """A collection file's stamp (None for a directory, which nothing is written into)."""
    return stamp(path) if path.is_file() else None


def write_example(path: Path, loaded: Stamp, where: str, example: dict[str, Any]) -> Stamp:
    """Add `example` to the request at `where` in the file at `path`, whose stamp when it
    was loaded was `loaded`; the file's new stamp (raises ConflictError, EditError,
    NotWritable, WriteError)."""
    return write_edit(path, loaded, lambda text: add_example(text, where, example))


def write_edit(path: Path, loaded: Stamp, edit: Callable[[str], str]) -> Stamp:
    """The file at `path` changed by `edit` (its text in, the new text out), unless it
    changed on disk since it was loaded; the new stamp."""
    if not path.is_file():
        raise NotWritable(f"{path}: examples are written into a v2.1 JSON file only")
    if loaded is not None and stamp(path) != loaded:
        raise ConflictError(
            f"{path} changed on disk since the mock loaded it: reload it, then save again"
        )
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    edited = edit(text)
    if data.startswith(b"\xef\xbb\xbf"):
        edited = "\ufeff" + edited
    write_whole(path, edited)
    return stamp(path)
