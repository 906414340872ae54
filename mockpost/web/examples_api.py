"""`POST /__mockpost/examples`: a saved example written into the collection file the mock
serves (docs/admin-api.md), then served from the next call on.

The body names the request (`"request"`: its name, or its place `$.item[0].item[2]`) and
gives the example's `name`, `code`, `headers` (`[[name, value], ...]` or an object) and
`body`; or it names a call of the log (`"call": 17`), whose answer and request fill in what
the body leaves out (the request being the one whose example answered it).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import unquote_plus

from aiohttp import web

from mockpost.calls.body import preview_language
from mockpost.errors import MockpostError
from mockpost.hop_by_hop import HOP_BY_HOP
from mockpost.lifecycle.treewrite import change_example_in_tree, remove_example_from_tree
from mockpost.lifecycle.write import (
    Change,
    ConflictError,
    NotWritable,
    adding_example,
    write_change,
)
from mockpost.postman.edit import (
    EditError,
    keys_of,
    remove_example,
    replace_example,
)
from mockpost.postman.model import RequestItem
from mockpost.runtime.runtime import Runtime
from mockpost.status import phrase
from mockpost.web.replies import error_reply, json_reply

LEFT_OUT = HOP_BY_HOP | {"content-length", "date", "server"}


class FieldError(MockpostError):
    """A field of a saved example that makes no sense; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _request(runtime: Runtime, named: Any, call: Any) -> RequestItem:
    requests = runtime.state.index.collection.requests
    if named is None and call is not None and call.example is not None:
        found = [r for r in requests if r.name == call.example.request]
        if len(found) == 1:
            return found[0]
    if not isinstance(named, str) or not named:
        raise FieldError("request", "name the request: its name, or its place ($.item[0])")
    found = [r for r in requests if r.where == named or r.name == named]
    if not found:
        raise FieldError("request", f"no request {named!r} in the collection")
    if len(found) > 1:
        places = ", ".join(r.where for r in found)
        raise FieldError(
            "request", f"{len(found)} requests are named {named!r}: give one of {places}"
        )
    return found[0]


def headers_of(given: Any) -> list[dict[str, str]]:
    pairs = given.items() if isinstance(given, dict) else given
    try:
        return [{"key": str(k), "value": str(v)} for k, v in pairs or ()]
    except (TypeError, ValueError):
        raise FieldError("headers", "expected [[name, value], ...] or {name: value}") from None


def example_of(runtime: Runtime, fields: dict[str, Any]) -> tuple[RequestItem, dict[str, Any]]:
    """The request to add to, and the example (v2.1) the fields and the call make. From a
    call, the example is saved for the call's method, path and query (so the call, sent
    again, answers with it) and with its answer; a call nothing answered gives 200 and an
    empty JSON body instead of mockpost's not-found answer."""
    call = None
    if fields.get("call") is not None and (
        not isinstance(fields["call"], int) or (call := runtime.store.get(fields["call"])) is None
    ):
        raise FieldError("call", f"no call {fields['call']!r} in the log")
    item = _request(runtime, fields.get("request"), call)
    answered = call is not None and call.example is not None
    code = fields.get("code", call.status if answered and call is not None else 200)
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        raise FieldError("code", "a status code 100..599")
    headers = [{"key": "Content-Type", "value": "application/json"}]
    if "headers" in fields:
        headers = headers_of(fields["headers"])
    elif answered and call is not None:
        kept = [(k, v) for k, v in call.response_headers if k.lower() not in LEFT_OUT]
        headers = [{"key": k, "value": v} for k, v in kept if not k.lower().startswith("x-mock")]
    if "body" in fields:
        body = fields["body"]
    elif answered and call is not None:
        if call.response_body_truncated:
            raise FieldError("body", "the call's answer was clipped in the log: give the body")
        body = call.response_body.decode("utf-8", "replace")
    else:
        body = "{}" if call is not None else ""
    if not isinstance(body, str):
        body = json.dumps(body, indent=2, ensure_ascii=False)
    said = phrase(code)
    name = fields.get("name") or f"{code} {said}".strip()
    if not isinstance(name, str) or len(name) > 500:
        raise FieldError("name", "a name of at most 500 characters")
    kind = next((h["value"] for h in headers if h["key"].lower() == "content-type"), "")
    language = preview_language(kind)
    example: dict[str, Any] = {"name": name}
    if call is not None:
        example["originalRequest"] = original_of(call.method, call.path, call.query)
    example.update(
        {
            "status": said,
            "code": code,
            "_postman_previewlanguage": language,
            "header": headers,
            "cookie": [],
            "body": body,
        }
    )
    return item, example


def original_of(method: str, path: str, query: str) -> dict[str, Any]:
    """A call's method, path and query as an example's `originalRequest` (no host: the path
    is what matching compares)."""
    url: dict[str, Any] = {
        "raw": path + (f"?{query}" if query else ""),
        "path": path.split("/")[1:],
    }
    if query:
        pairs = [part.partition("=") for part in query.split("&") if part]
        url["query"] = [{"key": unquote_plus(k), "value": unquote_plus(v)} for k, _, v in pairs]
    return {"method": method, "header": [], "url": url}


async def fields_of(request: web.Request) -> dict[str, Any] | web.Response:
    """The call's JSON object, or the 400 that says it is not one."""
    try:
        fields = json.loads(await request.read() or b"null")
    except (ValueError, RecursionError):
        return error_reply(400, "the body is not JSON", "body")
    if not isinstance(fields, dict):
        return error_reply(400, "expected a JSON object", "body")
    return fields


def field_reply(error: FieldError) -> web.Response:
    """A field that makes no sense: 404 for a call or an example that is not there, else 400."""
    return error_reply(404 if error.field in ("call", "id") else 400, error.message, error.field)


async def written(reloader: Any, change: Change, cause: str) -> web.Response | None:
    """The change written into the collection and the collection reloaded: None, else the
    reply that says why not (409 when it changed on disk since it was loaded)."""
    try:
        written_stamp = await asyncio.to_thread(
            write_change, reloader.collection, reloader.loaded_stamp, change
        )
    except FieldError as error:
        return field_reply(error)
    except ConflictError as error:
        return error_reply(409, str(error), "collection")
    except (EditError, NotWritable) as error:
        return error_reply(400, str(error), "collection")
    except MockpostError as error:
        return error_reply(500, str(error), "collection")
    reloader.loaded_stamp = written_stamp
    done = await reloader.reload(cause)
    if not done.ok:
        return error_reply(500, f"written, but the reload failed: {done.error}", "collection")
    return None


async def add(request: web.Request, runtime: Runtime, reloader: Any) -> web.StreamResponse:
    refused = writable(runtime, reloader)
    if refused is not None:
        return refused
    fields = await fields_of(request)
    if isinstance(fields, web.Response):
        return fields
    try:
        item, example = example_of(runtime, fields)
    except FieldError as error:
        return field_reply(error)
    change = adding_example(item.where, example)
    failed = await written(reloader, change, "an example saved (the API)")
    if failed is not None:
        return failed
    said = {
        "request": item.name,
        "where": item.where,
        "example": example,
        "version": reloader.version,
    }
    return json_reply(said, 201)


def _saved(runtime: Runtime, example_id: str) -> Any:
    found = runtime.state.index.by_id.get(example_id, ())
    if not found:
        raise FieldError("id", f"no example {example_id!r} is served")
    where = found[0].example.where
    in_tree = runtime.state.index.collection.schema_version.startswith("3")
    if where.startswith("$.item") == in_tree:  # a tree's examples are named by their file
        raise FieldError("id", f"example {example_id!r} is not in the collection file")
    return found[0]


async def change(request: web.Request, runtime: Runtime, reloader: Any) -> web.StreamResponse:
    """`PUT /__mockpost/examples/{id}` (name, code, headers, body: those given change) and
    `DELETE /__mockpost/examples/{id}`: the example edited or removed in the file."""
    refused = writable(runtime, reloader)
    if refused is not None:
        return refused
    fields: dict[str, Any] = {}
    if request.method == "PUT":
        given = await fields_of(request)
        if isinstance(given, web.Response):
            return given
        fields = given
    try:
        where = _saved(runtime, request.match_info["id"]).example.where
        change = (
            _editor(where, fields)
            if request.method == "PUT"
            else Change(
                lambda text: remove_example(text, where),
                lambda root: remove_example_from_tree(root, where),
            )
        )
    except FieldError as error:
        return field_reply(error)
    failed = await written(reloader, change, "an example changed (the API)")
    if failed is not None:
        return failed
    if request.method == "DELETE":
        return web.Response(status=204)
    return json_reply({"where": where, "version": reloader.version})


def _editor(where: str, fields: dict[str, Any]) -> Change:
    """The change that writes the example at `where` anew with the fields given."""
    code = fields.get("code")
    if code is not None and (
        not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599
    ):
        raise FieldError("code", "a status code 100..599")
    if "name" in fields and (not isinstance(fields["name"], str) or len(fields["name"]) > 500):
        raise FieldError("name", "a name of at most 500 characters")
    headers = headers_of(fields["headers"]) if "headers" in fields else None

    def merged(saved: dict[str, Any]) -> dict[str, Any]:
        example = dict(saved)
        if isinstance(fields.get("name"), str):
            example["name"] = fields["name"]
        if code is not None:
            example["code"], example["status"] = code, phrase(code)
        if headers is not None:
            example["header"] = headers
        if "body" in fields:
            body = fields["body"]
            example["body"] = body if isinstance(body, str) else json.dumps(body, indent=2)
        return example

    def in_text(text: str) -> str:
        holder: Any = json.loads(text)
        for key in keys_of(where):
            holder = holder[key]
        return replace_example(text, where, merged(holder))

    return Change(in_text, lambda root: change_example_in_tree(root, where, merged))


def writable(runtime: Runtime, reloader: Any) -> web.Response | None:
    if runtime.state.settings.read_only:
        return error_reply(403, "this mock is read-only (--read-only): nothing is written")
    version = runtime.state.index.collection.schema_version[:1]
    if reloader is None or not reloader.collection.exists():
        return error_reply(400, "this mock serves no collection file to write into")
    if version not in ("2", "3", ""):
        return error_reply(400, "an API definition is served: there is no file to write into")
    if reloader.collection.is_dir() != (version == "3"):
        return error_reply(400, "this mock serves no collection file to write into")
    return None
