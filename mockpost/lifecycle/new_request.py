"""A new request with one example, as the workbench makes it (Postman's "new mock" form: a
method, a path, a status, a body), and where it goes: the top, or a folder named by its name
or place — a `Change` for a v2.1 file and a v3 tree (`write.py`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mockpost.calls.body import preview_language
from mockpost.calls.record import CallRecord
from mockpost.lifecycle.changes import FieldError, headers_of, new_id, original_of
from mockpost.lifecycle.write import Change
from mockpost.postman.edit import EditError, add_item, keys_of
from mockpost.status import phrase


def folder_place(data: Any, named: Any) -> str:
    """The place of the folder a new request goes into: `$` (the top), a place, or a name."""
    if named in (None, "", "$"):
        return "$"
    if not isinstance(named, str):
        raise FieldError("folder", "a folder's name, or its place ($.item[2])")
    if named.startswith("$."):
        holder: Any = data
        try:
            for key in keys_of(named):
                holder = holder[key]
        except (EditError, KeyError, IndexError, TypeError):
            raise FieldError("folder", f"nothing at {named}") from None
        if not isinstance(holder, dict) or not isinstance(holder.get("item"), list):
            raise FieldError("folder", f"{named} is not a folder")
        return named
    found: list[str] = []

    def walk(items: Any, where: str) -> None:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get("item"), list):
                if item.get("name") == named:
                    found.append(f"{where}[{i}]")
                walk(item["item"], f"{where}[{i}].item")

    walk(data.get("item") if isinstance(data, dict) else None, "$.item")
    if len(found) != 1:
        said = "no folder" if not found else f"{len(found)} folders are"
        raise FieldError("folder", f"{said} named {named!r}")
    return found[0]


def new_request(fields: dict[str, Any], call: CallRecord | None = None) -> dict[str, Any]:
    """A request item with one example, from `method`, `path` (and query), `name`, `code`,
    `headers`, `body`: Postman's "new mock" form; with the `call` it is made from, its
    request also holds what of the call is worth matching (`original_of`)."""
    method = fields.get("method", "GET")
    path = fields.get("path")
    if not isinstance(method, str) or not method.isalpha() or len(method) > 20:
        raise FieldError("method", "an HTTP method, as GET")
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 2000:
        raise FieldError("path", "a path starting with /")
    where, _, query = path.partition("?")
    original = original_of(method.upper(), where, query, call)
    code = fields.get("code", 200)
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        raise FieldError("code", "a status code 100..599")
    headers = headers_of(fields.get("headers", [["Content-Type", "application/json"]]))
    body = fields.get("body", "")
    if not isinstance(body, str):
        body = json.dumps(body, indent=2, ensure_ascii=False)
    name = fields.get("name") or f"{method.upper()} {where}"
    if not isinstance(name, str) or len(name) > 500:
        raise FieldError("name", "a name of at most 500 characters")
    kind = next((h["value"] for h in headers if h["key"].lower() == "content-type"), "")
    example = {
        "name": fields.get("example") or f"{code} {phrase(code)}".strip(),
        "id": new_id(),
        "originalRequest": original,
        "status": phrase(code),
        "code": code,
        "_postman_previewlanguage": preview_language(kind),
        "header": headers,
        "cookie": [],
        "body": body,
    }
    return {"name": name, "request": original, "response": [example]}


def adding_request(folder: Any, item: dict[str, Any]) -> Change:
    """The change that adds the request `item` to the folder named (its name or place;
    the top when none)."""

    def in_tree(root: Path) -> None:
        from mockpost.lifecycle.treewrite import add_item_to_tree

        add_item_to_tree(root, lambda data: folder_place(data, folder), item)

    return Change(
        lambda text: add_item(text, folder_place(json.loads(text), folder), item), in_tree
    )
