"""Postman's current collection format (schema 3.0.0): a directory of YAML files.

A collection is a directory tree: one `*.request.yaml` per request, its saved examples under
`.resources/<stem>.resources/examples/*.example.yaml`, a folder's metadata (name, variables,
order) in its `.resources/definition.yaml`. The tree is read into the same document a v2.1
file holds, which the one reader (`reader.py`) turns into the collection model: nothing
downstream knows the source. Examples and drops are then named by their file, relative to
the collection's root. What the format allows is read (../shared/postman-v3-format.md); a
file that cannot be read is dropped with its reason, and the rest is served.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mockpost.errors import LoadError
from mockpost.postman.model import Collection, Dropped
from mockpost.postman.v3fields import http_request, kv, saved_response, text
from mockpost.postman.yamlfile import read_yaml

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
REQUEST = re.compile(r"^(?P<stem>.+)\.request\.ya?ml$", re.IGNORECASE)
EXAMPLE = re.compile(r"^(?P<stem>.+)\.example\.ya?ml$", re.IGNORECASE)
DEFINITIONS = ("definition.yaml", "definition.yml")
MAX_FILES = 200_000  # files of a tree looked at before it is refused as too large


def is_v3_directory(path: Path) -> bool:
    """A collection directory (it holds `*.request.yaml` files or a definition) or a
    project root (its `postman/collections/` holds collections)."""
    if (path / "postman" / "collections").is_dir():
        return True
    if any((path / ".resources" / name).is_file() for name in DEFINITIONS):
        return True
    return any(REQUEST.match(p.name) for p in _files(path, limit=MAX_FILES))


def collection_root(path: Path) -> Path:
    """The collection a path names: the directory itself, or the one collection under a
    project's `postman/collections/` (raises LoadError when there are none or several)."""
    folder = path / "postman" / "collections"
    if not folder.is_dir():
        return path
    found = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not found:
        raise LoadError(str(path), f"{folder} holds no collection")
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise LoadError(
            str(path), f"holds {len(found)} collections ({names}): name one, as {found[0]}"
        )
    return found[0]


def project_environment(collection: Path, name: str) -> Path | None:
    """`-e NAME` beside a v3 collection: `postman/environments/NAME.environment.yaml` (or
    `.yml`) of the project that holds it, if there is one."""
    projects = [collection]
    if collection.parent.name == "collections" and collection.parent.parent.name == "postman":
        projects.append(collection.parent.parent.parent)
    for project in projects:
        for suffix in (".environment.yaml", ".environment.yml"):
            found = project / "postman" / "environments" / f"{name}{suffix}"
            if found.is_file():
                return found
    return None


def _files(path: Path, limit: int) -> Iterator[Path]:
    """Every file under `path`, not in a directory starting with `.` but `.resources`."""
    seen = 0
    for here, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") or d == ".resources")
        for name in files:
            seen += 1
            if seen > limit:
                raise LoadError(str(path), f"holds more than {limit:,} files: not a collection?")
            yield Path(here) / name


@dataclass
class Tree:
    """What is read from a tree: places of examples, drops, notes. (Paths are text here:
    pathlib's objects were a quarter of a 30,000-file load.)"""

    root: str
    places: dict[str, str] = field(default_factory=dict)  # JSON path -> file, relative
    # Where a writer adds to the tree (record/tree.py), by JSON path: a request's file, its
    # examples' directory and their last `order`; a folder's directory; a directory's last.
    requests: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)
    last_order: dict[str, float] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # what was skipped, and how many

    def relative(self, path: str) -> str:
        if path.startswith(self.root + os.sep):
            path = path[len(self.root) + 1 :]
        return path if os.sep == "/" else path.replace(os.sep, "/")

    def yaml(self, path: str) -> dict[str, Any]:
        source = self.relative(path)
        data = read_yaml(path, source)
        if not isinstance(data, dict):
            raise LoadError(source, "is not a YAML mapping")
        return data

    def skip(self, what: str) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + 1


def v3_document(path: Path) -> tuple[dict[str, Any], Tree]:
    """A v3 directory or project root read into a v2.1 document (as `convert` writes it),
    and what was read on the way."""
    root = collection_root(path)
    tree = Tree(os.fspath(root))
    definition = _definition(tree, tree.root)
    document: dict[str, Any] = {
        "info": {
            "_postman_id": text(definition.get("id")) or root.name,
            "name": text(definition.get("name")) or root.name,
            "schema": V21,
        },
        "variable": kv(definition.get("variables")),
        "item": _items(tree, tree.root, "$.item"),
    }
    if text(definition.get("description")):
        document["info"]["description"] = text(definition.get("description"))
    return document, tree


def load_v3(path: Path) -> Collection:
    """The collection of a v3 directory or project root (raises LoadError when nothing in
    it can be served)."""
    from mockpost.postman.reader import parse_collection  # the one reader, shared with v2.1

    document, tree = v3_document(path)
    root = tree.root
    collection = parse_collection(document, root, tree.places)
    if not collection.requests and tree.dropped:
        first = tree.dropped[0]
        raise LoadError(
            str(root),
            f"nothing in it can be served: {len(tree.dropped)} files cannot be read; the "
            f"first, {first.where}: {first.reason}",
        )
    notes = tuple(tree.notes) + tuple(
        f"skipped {count} {what}" for what, count in sorted(tree.skipped.items())
    )
    return replace(
        collection,
        schema_version="3.0.0",
        dropped=tuple(tree.dropped) + collection.dropped,
        notes=notes,
    )


def _definition(tree: Tree, folder: str) -> dict[str, Any]:
    for name in DEFINITIONS:
        path = os.path.join(folder, ".resources", name)
        if os.path.isfile(path):
            try:
                return tree.yaml(path)
            except LoadError as exc:
                tree.dropped.append(Dropped(exc.source, os.path.basename(folder), exc.problem))
    return {}


def _order(data: dict[str, Any]) -> tuple[int, float]:
    """Items without `order` first (by name), then by `order` (then name)."""
    try:
        return (1, float(text(data.get("order"))))
    except ValueError:
        return (0, 0.0)


def _items(tree: Tree, folder: str, where: str) -> list[dict[str, Any]]:
    """A directory's requests and sub-folders, as v2.1 items, in the collection's order."""
    found: list[tuple[tuple[int, float], str, Callable[[str], dict[str, Any] | None]]] = []
    try:
        with os.scandir(folder) as listing:  # one call; each entry knows its own type
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        tree.notes.append(f"{tree.relative(folder) or '.'}: cannot be read: {exc.strerror}")
        return []
    for entry in entries:
        path = entry.path
        if entry.is_dir() and entry.is_symlink():
            tree.skip("linked directories")
        elif entry.is_dir() and not entry.name.startswith("."):
            definition = _definition(tree, path)
            name = text(definition.get("name")) or entry.name
            found.append((_order(definition), name, _folder(tree, path, name, definition)))
        elif entry.is_file() and (match := REQUEST.match(entry.name)):
            try:
                data = tree.yaml(path)
            except LoadError as exc:
                tree.dropped.append(Dropped(exc.source, match["stem"], exc.problem))
                continue
            name = text(data.get("name")) or match["stem"].strip()
            found.append((_order(data), name, _request(tree, path, match["stem"], name, data)))
        elif entry.is_file() and not entry.name.startswith("."):
            tree.skip("files of other kinds")
    found.sort(key=lambda entry: (entry[0], entry[1]))
    tree.last_order[folder] = max((order for (_, order), _, _ in found), default=0.0)
    items: list[dict[str, Any]] = []
    for _, _, make in found:
        item = make(f"{where}[{len(items)}]")
        if item is not None:
            items.append(item)
    return items


def _folder(
    tree: Tree, path: str, name: str, definition: dict[str, Any]
) -> Callable[[str], dict[str, Any] | None]:
    def make(where: str) -> dict[str, Any]:
        tree.folders[where] = path
        item: dict[str, Any] = {"name": name, "item": _items(tree, path, f"{where}.item")}
        variables = kv(definition.get("variables"))
        if variables:
            item["variable"] = variables
        return item

    return make


def _request(
    tree: Tree, path: str, stem: str, name: str, data: dict[str, Any]
) -> Callable[[str], dict[str, Any] | None]:
    def make(where: str) -> dict[str, Any] | None:
        kind = text(data.get("$kind")) or "http-request"
        if kind != "http-request":
            tree.skip(f"{kind}s (not HTTP)" if kind.endswith("-request") else "unknown kinds")
            return None
        read = []
        place, files = _example_files(tree, path, stem, data)
        for example_path in files:
            try:
                example = tree.yaml(example_path)
            except LoadError as exc:
                tree.dropped.append(Dropped(exc.source, _stem(example_path), exc.problem))
                continue
            example_kind = text(example.get("$kind")) or "http-example"
            if example_kind != "http-example":
                tree.skip(f"{example_kind}s (not HTTP)")
                continue
            response = saved_response(example, _stem(example_path))
            read.append((_order(example), response["name"], response, example_path))
        read.sort(key=lambda entry: (entry[0], entry[1]))
        for j, (_, _, _, example_path) in enumerate(read):
            tree.places[f"{where}.response[{j}]"] = tree.relative(example_path)
        tree.requests[where] = (path, place, max((o for (_, o), *_ in read), default=0.0))
        responses = [response for _, _, response, _ in read]
        return {"name": name, "request": http_request(data), "response": responses}

    return make


def _stem(path: str) -> str:
    match = EXAMPLE.match(os.path.basename(path))
    return match["stem"].strip() if match else os.path.basename(path)


def _example_files(
    tree: Tree, request: str, stem: str, data: dict[str, Any]
) -> tuple[str, list[str]]:
    """The request's examples' directory (its `examples:`, else the default one) and the
    example files in it."""
    folder = os.path.dirname(request)
    default = os.path.join(folder, ".resources", f"{stem}.resources", "examples")
    given = text(data.get("examples")).strip()
    place = default
    if given:
        # Written text only (no link followed): a path that leaves .resources is not taken.
        resources = os.path.normpath(os.path.join(folder, ".resources"))
        named = os.path.normpath(os.path.join(folder, given.removeprefix("./").rstrip("/")))
        if not (named + os.sep).startswith(resources + os.sep):
            tree.notes.append(
                f"{tree.relative(request)}: examples: {given} leaves the request's .resources: "
                "not followed"
            )
        elif not os.path.isdir(named):
            tree.notes.append(f"{tree.relative(request)}: examples: {given} names no directory")
        else:
            place = named
    elif os.path.isdir(default):
        tree.notes.append(
            f"{tree.relative(request)}: no examples: key; read from the default place"
        )
    try:
        with os.scandir(place) as listing:
            return place, sorted(e.path for e in listing if e.is_file() and EXAMPLE.match(e.name))
    except OSError:  # no such directory: no examples
        return place, []
