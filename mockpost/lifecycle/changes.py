"""What the workbench's fields make of the collection (docs/admin-api.md): an example from
fields or from a call of the log, an example changed, copied or removed, a new request from a
method, a path, a status and a body — each a `Change` for a v2.1 file and for a v3 tree
(`write.py`). A field that makes no sense is a FieldError naming it.

The tree forms import `treewrite.py` (and YAML) when they run: `serve` starts without them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from mockpost.calls.body import media_type, preview_language
from mockpost.calls.record import CallRecord, decoded
from mockpost.errors import MockpostError
from mockpost.hop_by_hop import HOP_BY_HOP
from mockpost.lifecycle.write import Change
from mockpost.postman.edit import (
    add_example,
    keys_of,
    remove_example,
    replace_example,
)
from mockpost.postman.model import Collection, Example, RequestItem
from mockpost.runtime.runtime import Runtime
from mockpost.status import phrase

LEFT_OUT = HOP_BY_HOP | {"content-length", "date", "server"}


class FieldError(MockpostError):
    """A field of a saved example that makes no sense; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _request(runtime: Runtime, named: Any, call: Any) -> RequestItem:
    collection = runtime.state.index.collection
    requests = [r for r in collection.requests if in_file(collection, r.where)]
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


def call_of(runtime: Runtime, fields: dict[str, Any]) -> CallRecord | None:
    """The call of the log the fields name (`"call": ID`), if any."""
    call = None
    if fields.get("call") is not None and (
        not isinstance(fields["call"], int)
        or isinstance(fields["call"], bool)
        or (call := runtime.store.get(fields["call"])) is None
    ):
        raise FieldError("call", f"no call {fields['call']!r} in the log")
    return call


def example_of(runtime: Runtime, fields: dict[str, Any]) -> tuple[RequestItem, dict[str, Any]]:
    """The request to add to, and the example (v2.1) the fields and the call make. From a
    call, the example is saved for the call's method, path and query (so the call, sent
    again, answers with it) and with its answer; a call nothing answered gives 200 and an
    empty JSON body instead of mockpost's not-found answer."""
    call = call_of(runtime, fields)
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
    example: dict[str, Any] = {"name": name, "id": new_id()}
    if call is not None:
        example["originalRequest"] = original_of(call.method, call.path, call.query, call)
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


def new_id() -> str:
    """A new example's id, as Postman gives every saved example one: the example keeps it
    when others are added or removed beside it (an example without one is named by its
    place)."""
    return str(uuid.uuid4())


def _pairs(text: str) -> list[dict[str, str]]:
    pairs = [part.partition("=") for part in text.split("&") if part]
    return [{"key": unquote_plus(k), "value": unquote_plus(v)} for k, _, v in pairs]


def original_of(
    method: str, path: str, query: str, call: CallRecord | None = None
) -> dict[str, Any]:
    """A method, path and query as an example's `originalRequest` (no host: the path is what
    matching compares); with the `call` it came from, also what of it is worth matching: its
    Content-Type, and its body when it is text kept whole (an equal body makes an example
    preferred; `x-mock-match-request-body` makes it required)."""
    url: dict[str, Any] = {
        "raw": path + (f"?{query}" if query else ""),
        "path": path.split("/")[1:],
    }
    if query:
        url["query"] = _pairs(query)
    original: dict[str, Any] = {"method": method, "header": [], "url": url}
    if call is None or not call.request_body or call.request_body_truncated:
        return original
    try:
        text = call.request_body.decode("utf-8")
    except UnicodeDecodeError:
        return original
    kind = next((v for k, v in decoded(call.request_headers) if k.lower() == "content-type"), "")
    if kind:
        original["header"] = [{"key": "Content-Type", "value": kind}]
    if "multipart/" in kind.lower():
        return original
    if "x-www-form-urlencoded" in kind.lower():
        original["body"] = {"mode": "urlencoded", "urlencoded": _pairs(text)}
    else:
        original["body"] = {"mode": "raw", "raw": text}
        if media_type(kind).endswith("json"):
            original["body"]["options"] = {"raw": {"language": "json"}}
    return original


def in_file(collection: Collection, where: str) -> bool:
    """Whether an example (or request) at `where` was read from the collection's file or tree,
    not from a recording served beside it (`$.recorded`). A tree's examples are named by
    their file, its requests by their place."""
    if collection.schema_version.startswith("3") and not where.startswith("$"):
        return True
    return where.startswith("$.item")


def fingerprint(example: Example) -> str:
    """What an example holds, in 16 hex digits: an HTTP entity tag for the page's editor.
    An example without an id of its own is named by its place, which a removal before it
    gives to the next one; a write that says which content it read (`If-Match`) is refused
    when the id names other content now."""
    held = [example.name, example.code, list(example.headers), example.body,
            example.request.method, example.request.url.raw]  # fmt: skip
    return hashlib.blake2b(json.dumps(held).encode(), digest_size=8).hexdigest()


def served_example(runtime: Runtime, example_id: str, field: str = "id") -> Any:
    found = runtime.state.index.by_id.get(example_id, ())
    if not found:
        raise FieldError(field, f"no example {example_id!r} is served")
    if not in_file(runtime.state.index.collection, found[0].example.where):
        raise FieldError(field, f"example {example_id!r} is not in the collection file")
    return found[0]


def _merger(fields: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What the fields given make of an example (v2.1): those given change, the rest stays."""
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

    return merged


def _at(text: str, where: str) -> dict[str, Any]:
    holder: Any = json.loads(text)
    for key in keys_of(where):
        holder = holder[key]
    return dict(holder)


def editing(where: str, fields: dict[str, Any]) -> Change:
    """The change that writes the example at `where` anew with the fields given."""
    merged = _merger(fields)

    def in_tree(root: Path) -> None:
        from mockpost.lifecycle.treewrite import change_example_in_tree

        change_example_in_tree(root, where, merged)

    return Change(lambda text: replace_example(text, where, merged(_at(text, where))), in_tree)


def copying(where: str, fields: dict[str, Any]) -> Change:
    """The change that adds a copy of the example at `where` (with an id of its own) to its
    request, with the fields given."""
    merged = _merger(fields)

    def in_text(text: str) -> str:
        copy = merged(_at(text, where))
        copy["id"] = new_id()
        return add_example(text, where.rsplit(".response", 1)[0], copy)

    def in_tree(root: Path) -> None:
        from mockpost.lifecycle.treewrite import copy_example_in_tree

        copy_example_in_tree(root, where, merged)

    return Change(in_text, in_tree)


def removing(where: str) -> Change:
    """The change that removes the example at `where`."""

    def in_tree(root: Path) -> None:
        from mockpost.lifecycle.treewrite import remove_example_from_tree

        remove_example_from_tree(root, where)

    return Change(lambda text: remove_example(text, where), in_tree)
