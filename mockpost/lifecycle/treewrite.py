"""The workbench's changes written into a v3 tree (Postman's directory of YAML files): only
the files of the edited example or request change.

A new example is a new `<stem>.example.yaml` in its request's examples directory, and a new
request a new `<stem>.request.yaml` with its example, written as a recording into a tree
writes them (`record/tree.py`: after the others' `order`, a name already taken gets `-1`).
An edited example's file is written anew in that format, keeping its `order` and what the
edit does not touch (its description, say); a removed example's file is deleted. Every file
is written whole (a temporary file renamed into place).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockpost.errors import MockpostError
from mockpost.postman.edit import EditError, keys_of
from mockpost.postman.items import as_text
from mockpost.postman.v3 import EXAMPLE
from mockpost.postman.v3fields import saved_response
from mockpost.postman.v3write import dump, example, stem
from mockpost.postman.yamlfile import read_yaml
from mockpost.record.tree import STEP, open_tree
from mockpost.whole import write_whole

Merge = Callable[[dict[str, Any]], dict[str, Any]]


def _holder(document: dict[str, Any], where: str) -> Any:
    holder: Any = document
    try:
        for key in keys_of(where):
            holder = holder[key]
    except (KeyError, IndexError, TypeError):
        raise EditError(f"nothing at {where} in the collection") from None
    return holder


def add_example_to_tree(root: Path, request_where: str, saved: dict[str, Any]) -> None:
    """A new example file for the request at `request_where` (a place in the tree as the
    reader lists it)."""
    tree = open_tree(root, "")
    item = _holder(tree.recording.document, request_where)
    if not isinstance(item, dict) or "request" not in item:
        raise EditError(f"{request_where} is not a request")
    item.setdefault("response", []).append(saved)
    tree.save()


def add_item_to_tree(
    root: Path, folder_of: Callable[[dict[str, Any]], str], item: dict[str, Any]
) -> None:
    """A new request file (and its examples' files) in the folder `folder_of` names, given
    the tree read as a v2.1 document (`$`: the top of the tree)."""
    tree = open_tree(root, "")
    document = tree.recording.document
    folder_where = folder_of(document)
    folder = document if folder_where == "$" else _holder(document, folder_where)
    if not isinstance(folder, dict) or not isinstance(folder.get("item"), list):
        raise EditError(f"{folder_where} is not a folder")
    folder["item"].append(item)
    tree.save()


def example_file(root: Path, where: str) -> Path:
    """The example file a served example of the tree was read from (`where`: its path in
    the tree); raises EditError for anything else."""
    path = root / where
    inside = os.path.normpath(path).startswith(os.path.normpath(root) + os.sep)
    if not inside or not EXAMPLE.match(path.name) or not path.is_file() or path.is_symlink():
        raise EditError(f"{where} is not an example file of the collection")
    return path


def _example_read(root: Path, where: str) -> tuple[Path, dict[str, Any], str, float]:
    """The example file at `where`: its path, data, stem and `order` (0 when it has none)."""
    path = example_file(root, where)
    data = read_yaml(path, where)
    if not isinstance(data, dict):
        raise MockpostError(f"{where}: is not a YAML mapping")
    return path, data, _stem(path), _order(data)


def _mapping(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def _stem(path: Path) -> str:
    found = EXAMPLE.match(path.name)
    return found["stem"] if found else path.name


def _order(data: dict[str, Any]) -> float:
    try:
        return float(str(data.get("order")))  # the reader's YAML leaves scalars as text
    except ValueError:
        return 0.0


def change_example_in_tree(root: Path, where: str, merge: Merge) -> None:
    """The example file at `where` written anew with what `merge` makes of its example."""
    path, data, file_stem, order = _example_read(root, where)
    written = example(merge(saved_response(data, file_stem.strip())), file_stem, order)
    if "order" not in data:
        del written["order"]
    kept = {k: v for k, v in data.items() if k not in written and k != "name"}
    write_whole(path, dump(written | kept))


def copy_example_in_tree(root: Path, where: str, merge: Merge) -> None:
    """A new example file beside the one at `where`, of what `merge` makes of its example
    (with an id of its own), after its request's other examples."""
    path, data, file_stem, _ = _example_read(root, where)
    copy = merge(saved_response(data, file_stem.strip()))
    copy["id"] = str(uuid.uuid4())  # its own, as Postman gives every example
    others = [p for p in path.parent.iterdir() if EXAMPLE.match(p.name)]
    last = max((_order(_mapping(read_yaml(p, p.name))) for p in others), default=0.0)
    new_stem = stem(as_text(copy.get("name")), {_stem(p).lower() for p in others})
    written = example(copy, new_stem, last + STEP)
    write_whole(path.parent / f"{new_stem}.example.yaml", dump(written))


def remove_example_from_tree(root: Path, where: str) -> None:
    example_file(root, where).unlink()
