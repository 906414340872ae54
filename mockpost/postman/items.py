"""The entries of a collection file read into the model: URLs, bodies, requests, variables.

Whatever real exports contain that mockpost can still serve is accepted (null headers,
numeric values, formdata items without `type`...); what cannot be served raises `Unservable`,
and the reader drops the example with that reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from mockpost.postman.model import NO_BODY, Body, Pairs, Request, Scope, Url


class Unservable(Exception):
    """One example or request that cannot be served; the message says why."""


BASE64_BODY = "_mockpost_body_base64"  # a recorded binary body: served byte for byte
DYNAMIC_BODY = "_mockpost_dynamic_body"  # a template drawn afresh per call with --dynamic
NO_VARIABLES = Scope({})  # shared by every item without variables: chains of them compare equal
NO_URL = Url(raw="", host=None, path=None, query=None, variables=())


_KINDS = {
    str: "a string",
    dict: "an object",
    list: "an array",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def kind(value: Any) -> str:
    """What a JSON value is, in words: `an object`, `an array`, `a number`..."""
    return _KINDS.get(type(value), type(value).__name__)


def _list(value: Any, where: str) -> list[Any]:
    """A list the file may leave out (None); anything else there cannot be served."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Unservable(f"{where} is {kind(value)}, expected an array")
    return value


def as_text(value: Any) -> str:
    """A scalar as Postman turns it into text (numbers and booleans in JSON spelling)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"))


def read_variables(raw: Any) -> Scope:
    """A `variable` list: enabled entries, by key (v2.0 files may use `id`)."""
    if not isinstance(raw, list) or not raw:
        return NO_VARIABLES
    out: dict[str, str] = {}
    for entry in raw:
        if not isinstance(entry, dict) or entry.get("disabled") is True:
            continue
        if entry.get("enabled") is False:
            continue
        key = entry.get("key", entry.get("id"))
        if isinstance(key, str) and key and key not in out:
            out[key] = as_text(entry.get("value"))
    return Scope(out) if out else NO_VARIABLES


def _pairs(raw: Any, *, key_field: str = "key", named: bool = False) -> Pairs:
    """Enabled key/value entries of a list (headers, query params, form fields); `named`:
    only those whose key is not empty."""
    if not isinstance(raw, list) or not raw:
        return ()
    out: list[tuple[str, str]] = []
    for entry in raw:  # every header and parameter of a file: as few calls as can be
        if not isinstance(entry, dict) or entry.get("disabled") is True:
            continue
        key = entry.get(key_field)
        if key is None:
            continue
        if type(key) is not str:
            key = as_text(key)
        if named and not key:
            continue
        value = entry.get("value")
        out.append((key, value if type(value) is str else as_text(value)))
    return tuple(out)


def read_headers(raw: Any) -> Pairs:
    """Headers given as a list of objects, a block of `Name: value` lines, or null."""
    if isinstance(raw, str):
        lines = (line.partition(":") for line in raw.splitlines())
        return tuple((k.strip(), v.strip()) for k, sep, v in lines if sep and k.strip())
    return _pairs(raw, named=True)


def _texts(values: list[Any], text: Callable[[Any], str] = as_text) -> tuple[str, ...]:
    """Each value as `text` gives it; most are text already, and are taken as they are."""
    for value in values:
        if type(value) is not str:
            return tuple([text(v) for v in values])
    return tuple(values)


def _segment_text(segment: Any) -> str:
    return as_text(segment.get("value") if isinstance(segment, dict) else segment)


def _segments(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return tuple(raw.strip("/").split("/")) if raw.strip("/") else ()
    if not isinstance(raw, list):
        raise Unservable("url.path is neither a list nor a string")
    return _texts(raw, _segment_text)  # a segment may be an object: its value


def _url_variables(raw: Any) -> Pairs:
    if raw is None or raw == []:
        return ()
    return tuple(
        (as_text(v.get("key", v.get("id"))), as_text(v.get("value")))
        for v in _list(raw, "url.variable")
        if isinstance(v, dict) and v.get("disabled") is not True
    )


def _read_url(raw: Any) -> Url:
    if raw is None:
        return NO_URL
    if isinstance(raw, str):
        return Url(raw, None, None, None, ())
    if not isinstance(raw, dict):
        raise Unservable("the URL is neither a string nor an object")
    host_raw = raw.get("host")
    host: tuple[str, ...] | None
    if isinstance(host_raw, list):
        host = _texts(host_raw)
    elif isinstance(host_raw, str):
        host = (host_raw,)
    else:
        host = None
    path = _segments(raw.get("path"))
    query = _pairs(raw["query"]) if isinstance(raw.get("query"), list) else None
    variables = _url_variables(raw.get("variable"))
    raw_text = raw.get("raw")
    # Positional (raw, host, path, query, variables): keywords cost a dict per object.
    return Url(raw_text if isinstance(raw_text, str) else "", host, path, query, variables)


def raw_language(body: Mapping[str, Any]) -> str:
    """A raw body's `options.raw.language`, lower case ("" when it gives none)."""
    options = body.get("options")
    if isinstance(options, dict) and isinstance(options.get("raw"), dict):
        return as_text(options["raw"].get("language")).lower()
    return ""


def _read_body(raw: Any) -> Body:
    if not isinstance(raw, dict) or raw.get("disabled") is True:
        return NO_BODY
    mode = raw.get("mode")
    if mode == "raw":
        return Body(mode="raw", raw=as_text(raw.get("raw")), language=raw_language(raw))
    if mode == "urlencoded":
        return Body(mode="urlencoded", fields=_pairs(raw.get("urlencoded")))
    if mode == "formdata":
        items = [i for i in _list(raw.get("formdata"), "body.formdata") if isinstance(i, dict)]
        files = tuple(
            as_text(i.get("key"))
            for i in items
            if i.get("type") == "file" and not i.get("disabled")
        )
        texts = _pairs([i for i in items if i.get("type") != "file"])
        return Body(mode="formdata", fields=texts, files=files)
    if mode == "graphql":
        graphql = raw.get("graphql")
        if not isinstance(graphql, dict):
            return Body(mode="graphql")
        return Body(
            mode="graphql",
            graphql_query=as_text(graphql.get("query")),
            graphql_variables=as_text(graphql.get("variables")),
        )
    if mode == "file":
        return Body(mode="file")
    return NO_BODY


def read_request(raw: Any) -> Request:
    if isinstance(raw, str):
        return Request(method="GET", url=_read_url(raw), headers=(), body=NO_BODY)
    if not isinstance(raw, dict):
        raise Unservable("the request is neither a URL string nor an object")
    method = raw.get("method")
    if method is not None and not isinstance(method, str):
        raise Unservable("the request method is not text")
    # Positional (method, url, headers, body): keywords cost a dict per object.
    return Request(
        (method or "GET").strip().upper() or "GET",
        _read_url(raw.get("url")),
        read_headers(raw.get("header")),
        _read_body(raw.get("body")),
    )


def _url_is_empty(url: Url) -> bool:
    return not url.raw.strip() and not url.host and not url.path


def read_original_request(raw: Any, parent: Request) -> Request:
    """An example's originalRequest; where it, its URL or its method is missing, the parent's."""
    if raw is None:
        return parent
    original = read_request(raw)
    if _url_is_empty(original.url):
        original = replace(original, url=parent.url)
    if isinstance(raw, dict) and not raw.get("method"):
        original = replace(original, method=parent.method)
    return original


def read_code(raw: Any) -> int:
    if raw is None:
        return 200  # real exports save examples without a code; Postman serves them as 200
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise Unservable(f"status code {raw!r} is not a number")
    if not 100 <= raw <= 599:
        raise Unservable(f"status code {raw} is outside 100..599")
    return raw
