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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockpost.errors import MockpostError
from mockpost.postman.edit import EditError, keys_of
from mockpost.postman.v3 import EXAMPLE
from mockpost.postman.v3fields import saved_response
from mockpost.postman.v3write import dump, example
from mockpost.postman.yamlfile import read_yaml
from mockpost.record.tree import open_tree
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


def change_example_in_tree(root: Path, where: str, merge: Merge) -> None:
    """The example file at `where` written anew with what `merge` makes of its example."""
    path = example_file(root, where)
    data = read_yaml(path, where)
    if not isinstance(data, dict):
        raise MockpostError(f"{where}: is not a YAML mapping")
    file_stem = EXAMPLE.match(path.name)["stem"]  # type: ignore[index]
    try:
        order = float(str(data.get("order")))  # the reader's YAML leaves scalars as text
    except ValueError:
        order = 0.0
    written = example(merge(saved_response(data, file_stem.strip())), file_stem, order)
    if "order" not in data:
        del written["order"]
    kept = {k: v for k, v in data.items() if k not in written and k != "name"}
    write_whole(path, dump(written | kept))


def remove_example_from_tree(root: Path, where: str) -> None:
    example_file(root, where).unlink()
