"""CRUD resources: a path prefix whose calls keep a small store, as json-server does.

`--crud /todos` (repeatable; `/todos:uuid` for UUID ids, `/todos:id=key` to name the id
field), or a folder whose name ends with `[crud]` (its prefix: the shortest path of its
examples). For each resource, per session:

* `POST /todos` stores the call's JSON object, an id added (the next integer, or a UUID);
* `GET /todos` lists, with `?FIELD=value` filters, `_page`/`_limit` paging and an
  `X-Total-Count` header;
* `GET|PUT|PATCH|DELETE /todos/ID`: the item, replaced, merged, removed; an unknown id is
  404 with Postman's not-found shape.

The store starts from the resource's saved list (a GET example of the prefix whose body is a
JSON array, or an object holding one). The status and headers of each answer, and the
envelope of its body (`{"data": [...], "total": N}` keeps its wrapper), come from the example
matching answered with; without one, mockpost's own (201, 200, 204).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockpost.matching.compile import IndexedExample

CRUD_TAG = re.compile(r"\s*\[\s*crud\s*\]\s*$", re.IGNORECASE)
MAX_ITEMS = 10_000  # items one resource keeps per session


class CrudError(ValueError):
    """A --crud value that cannot be read."""


@dataclass(frozen=True, slots=True)
class Resource:
    prefix: str  # the path its calls start with, no trailing slash
    uuid_ids: bool = False
    id_field: str = "id"
    initial: tuple[Any, ...] = ()  # the saved list it starts from

    def id_of(self, path: str) -> str | bool | None:
        """For a call's path: True for the list, the item's id, or None (not this one)."""
        if path.rstrip("/") == self.prefix:
            return True
        head, _, rest = path.partition(self.prefix + "/")
        if head or not rest or "/" in rest.rstrip("/"):
            return None
        return rest.rstrip("/")


def parse_crud(value: str) -> Resource:
    """`/todos`, `/todos:uuid`, `/todos:id=key`, `/todos:uuid:id=key`."""
    prefix, *options = value.split(":")
    if not prefix.startswith("/") or len(prefix) < 2:
        raise CrudError(f"{value!r}: a path prefix starting with /, as /todos")
    uuid_ids, id_field = False, "id"
    for option in options:
        if option == "uuid":
            uuid_ids = True
        elif option.startswith("id=") and option[3:].strip():
            id_field = option[3:].strip()
        else:
            raise CrudError(f"{value!r}: {option!r} is neither uuid nor id=NAME")
    return Resource(prefix.rstrip("/"), uuid_ids, id_field)


def resources_of(examples: Sequence[IndexedExample], given: Sequence[str]) -> tuple[Resource, ...]:
    """The resources of `--crud` and of `[crud]` folders, each with its saved list."""
    found = [parse_crud(value) for value in given]
    tagged: dict[str, list[IndexedExample]] = {}
    for example in examples:
        folders = example.example.folders
        if folders and CRUD_TAG.search(folders[-1]):
            tagged.setdefault("/".join(folders), []).append(example)
    for members in tagged.values():
        prefix = min((e.path.text.rstrip("/") for e in members), key=len)
        if prefix and all(r.prefix != prefix for r in found):
            found.append(Resource(prefix))
    return tuple(_with_initial(r, examples) for r in found)


def _with_initial(resource: Resource, examples: Sequence[IndexedExample]) -> Resource:
    for example in examples:
        if example.method == "GET" and example.path.text.rstrip("/") == resource.prefix:
            listed = _listed(_json(example.example.body))
            if listed is not None:
                items = tuple(i for i in listed[0] if isinstance(i, dict))
                return Resource(resource.prefix, resource.uuid_ids, resource.id_field, items)
    return resource


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _listed(body: Any) -> tuple[list[Any], str | None] | None:
    """The list a body holds: itself, or the one list field of an object (its key)."""
    if isinstance(body, list):
        return body, None
    if isinstance(body, dict):
        lists = [key for key, value in body.items() if isinstance(value, list)]
        if len(lists) == 1:
            return body[lists[0]], lists[0]
    return None


@dataclass
class Items:
    """One resource's items in one session."""

    items: list[dict[str, Any]]
    next_id: int

    @classmethod
    def start(cls, resource: Resource) -> Items:
        items = json.loads(json.dumps(list(resource.initial)))  # a copy per session
        ids = [i.get(resource.id_field) for i in items]
        numbers = [n for n in ids if isinstance(n, int) and not isinstance(n, bool)]
        return cls(items, max(numbers, default=0) + 1)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    body: Any  # the item, the list, or None (no body)
    total: int | None = None  # a list's count before paging (X-Total-Count)
    found: bool = True


def handle(
    resource: Resource, items: Items, method: str, target: str | bool, query: Mapping[str, str],
    body: bytes,
) -> Outcome | None:  # fmt: skip
    """What a call does to the resource's items (None: a method it does not take)."""
    field = resource.id_field
    if target is True:
        if method == "GET":
            return _list(items.items, query)
        if method == "POST":
            sent = _json(body.decode("utf-8", "replace")) if body else {}
            if not isinstance(sent, dict):
                return Outcome(400, {"error": "a JSON object is stored"})
            if len(items.items) >= MAX_ITEMS:
                return Outcome(507, {"error": f"a resource keeps at most {MAX_ITEMS} items"})
            if resource.uuid_ids:
                sent[field] = str(uuid.uuid4())
            else:
                sent[field] = items.next_id
                items.next_id += 1
            items.items.append(sent)
            return Outcome(201, sent)
        return None
    position = next(
        (i for i, item in enumerate(items.items) if str(item.get(field)) == target), None
    )
    if method not in ("GET", "PUT", "PATCH", "DELETE"):
        return None
    if position is None:
        return Outcome(404, None, found=False)
    item = items.items[position]
    if method == "GET":
        return Outcome(200, item)
    if method == "DELETE":
        del items.items[position]
        return Outcome(204, None)
    sent = _json(body.decode("utf-8", "replace")) if body else {}
    if not isinstance(sent, dict):
        return Outcome(400, {"error": "a JSON object is stored"})
    changed = {**item, **sent} if method == "PATCH" else dict(sent)
    changed[field] = item.get(field)
    items.items[position] = changed
    return Outcome(200, changed)


def _list(items: list[dict[str, Any]], query: Mapping[str, str]) -> Outcome:
    kept = [
        item
        for item in items
        if all(
            str(item.get(key)) == value or json.dumps(item.get(key)) == value
            for key, value in query.items()
            if not key.startswith("_")
        )
    ]
    total = len(kept)
    limit, page = _number(query.get("_limit")), _number(query.get("_page"))
    if limit is not None:
        start = ((page or 1) - 1) * limit
        kept = kept[start : start + limit]
    return Outcome(200, kept, total)


def _number(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() and int(text) > 0 else None


def enveloped(example_body: str, value: Any, total: int | None, id_field: str = "id") -> str:
    """The stored item or list in place of a saved body, keeping its wrapper (an object
    whose one list is the list, or whose one object, not itself an item, is the item)."""
    saved = _json(example_body)
    listed = _listed(saved) if isinstance(value, list) else None
    if listed is not None and listed[1] is not None and isinstance(saved, dict):
        wrapped = dict(saved)
        wrapped[listed[1]] = value
        for key in ("total", "count", "totalCount", "total_count"):
            if isinstance(wrapped.get(key), int) and total is not None:
                wrapped[key] = total
        return json.dumps(wrapped, ensure_ascii=False)
    if isinstance(value, dict) and isinstance(saved, dict) and id_field not in saved:
        inner = [k for k, v in saved.items() if isinstance(v, dict) and id_field in v]
        if len(inner) == 1:
            return json.dumps({**saved, inner[0]: value}, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)
