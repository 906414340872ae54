"""`POST /__mockpost/requests`: a new request with one example, written into the collection
file (Postman's "new mock" form: a method, a path, a status, a body), in a folder or at the
top, then served from the next call on."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from mockpost.calls.body import preview_language
from mockpost.lifecycle.treewrite import add_item_to_tree
from mockpost.lifecycle.write import Change
from mockpost.postman.edit import EditError, add_item, keys_of
from mockpost.runtime.runtime import Runtime
from mockpost.status import phrase
from mockpost.web.examples_api import (
    FieldError,
    field_reply,
    fields_of,
    headers_of,
    original_of,
    writable,
    written,
)
from mockpost.web.replies import json_reply


def _folder_place(data: Any, named: Any) -> str:
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


def new_request(fields: dict[str, Any]) -> dict[str, Any]:
    """A request item with one example, from `method`, `path` (and query), `name`, `code`,
    `headers`, `body`: Postman's "new mock" form."""
    method = fields.get("method", "GET")
    path = fields.get("path")
    if not isinstance(method, str) or not method.isalpha() or len(method) > 20:
        raise FieldError("method", "an HTTP method, as GET")
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 2000:
        raise FieldError("path", "a path starting with /")
    where, _, query = path.partition("?")
    original = original_of(method.upper(), where, query)
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
        "originalRequest": original,
        "status": phrase(code),
        "code": code,
        "_postman_previewlanguage": preview_language(kind),
        "header": headers,
        "cookie": [],
        "body": body,
    }
    return {"name": name, "request": original, "response": [example]}


async def add_request(request: web.Request, runtime: Runtime, reloader: Any) -> web.StreamResponse:
    """`POST /__mockpost/requests`: a new request with its example, in a folder or at the top."""
    refused = writable(runtime, reloader)
    if refused is not None:
        return refused
    fields = await fields_of(request)
    if isinstance(fields, web.Response):
        return fields
    try:
        item = new_request(fields)
    except FieldError as error:
        return field_reply(error)
    folder = fields.get("folder")

    change = Change(
        lambda text: add_item(text, _folder_place(json.loads(text), folder), item),
        lambda root: add_item_to_tree(root, lambda data: _folder_place(data, folder), item),
    )
    failed = await written(reloader, change, "a request added (the API)")
    if failed is not None:
        return failed
    return json_reply({"request": item, "version": reloader.version}, 201)
