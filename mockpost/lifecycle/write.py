"""Writing the workbench's changes into the collection the mock serves — a v2.1 JSON file,
as `postman/edit.py` edits it in place, or a v3 tree, file by file (`treewrite.py`) — refused
when it changed on disk since the mock loaded it: the user's editor, or a `git pull`, wins.
"Changed" is the watcher's rule (`watch.stamp`: mtime, size, inode; for a tree, of every
file), so that loading a file costs one `stat`, not a second read of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Change:
    """One change to the collection, as it is made in either kind of source."""

    in_text: Callable[[str], str]  # a v2.1 file's text in, the changed text out
    in_tree: Callable[[Path], None]  # a v3 tree (its root) changed file by file


def adding_example(where: str, example: dict[str, Any]) -> Change:
    """`example` added to the request at `where`."""

    def in_tree(root: Path) -> None:
        from mockpost.lifecycle.treewrite import add_example_to_tree  # YAML: when needed

        add_example_to_tree(root, where, example)

    return Change(lambda text: add_example(text, where, example), in_tree)


def write_example(path: Path, loaded: Stamp, where: str, example: dict[str, Any]) -> Stamp:
    """Add `example` to the request at `where` in the collection at `path`, whose stamp
    when it was loaded was `loaded`; the new stamp (raises ConflictError, EditError,
    NotWritable, WriteError)."""
    return write_change(path, loaded, adding_example(where, example))


def write_change(path: Path, loaded: Stamp, change: Change) -> Stamp:
    """The collection file or tree at `path` changed, unless it changed on disk since it
    was loaded; the new stamp."""
    if not path.is_dir():
        return write_edit(path, loaded, change.in_text)
    from mockpost.postman.v3 import collection_root  # YAML: when a tree is written to

    _unchanged(path, loaded)
    change.in_tree(collection_root(path))
    return stamp(path)


def _unchanged(path: Path, loaded: Stamp) -> None:
    if loaded is not None and stamp(path) != loaded:
        raise ConflictError(
            f"{path} changed on disk since the mock loaded it: reload it, then save again"
        )


def write_edit(path: Path, loaded: Stamp, edit: Callable[[str], str]) -> Stamp:
    """The file at `path` changed by `edit` (its text in, the new text out), unless it
    changed on disk since it was loaded; the new stamp."""
    if not path.is_file():
        raise NotWritable(f"{path}: examples are written into a v2.1 JSON file only")
    _unchanged(path, loaded)
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    edited = edit(text)
    if data.startswith(b"\xef\xbb\xbf"):
        edited = "\ufeff" + edited
    write_whole(path, edited)
    return stamp(path)
