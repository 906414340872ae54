"""Templates that read the call (Postman app 10.7+): `{{$body 'a.b' 'default'}}` and friends.

* `{{$body}}`: the call's body as sent; `{{$body 'path'}}`: a value of its JSON (or form)
  body, by object path (`users.0.name`; `\\.` is a dot inside a key).
* `{{$queryParams 'k'}}`, `{{$headers 'k'}}` (any case), `{{$pathSegments 'n'}}` (0-based);
  without an argument, all of them as JSON.
* A second argument is the default when the value is missing; without one, missing is "".

Strings are inserted as they are; numbers, booleans, null, objects and arrays as JSON text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockpost.calls.body import NOT_JSON, CallBody

_HELPER = re.compile(
    r"^\$(body|queryParams|pathSegments|headers)((?:\s+(?:'[^']*'|\"[^\"]*\"))*)\s*$"
)
_ARG = re.compile(r"'([^']*)'|\"([^\"]*)\"")
_KEY_DOT = re.compile(r"(?<!\\)\.")
_MISSING: Any = object()


@dataclass(frozen=True, slots=True)
class RequestView:
    """What templates may read of the call."""

    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]  # lower-case names
    body: CallBody


def parse_helper(token: str) -> tuple[str, tuple[str, ...]] | None:
    """`$body 'a.b' 'x'` -> ("body", ("a.b", "x")); None when it is not a template helper."""
    found = _HELPER.match(token)
    if found is None:
        return None
    args = tuple(a if a else b for a, b in _ARG.findall(found.group(2)))
    return found.group(1), args


def split_path(path: str) -> list[str]:
    """Object-path keys: `a.b\\.c.0` -> ["a", "b.c", "0"]."""
    return [key.replace("\\.", ".") for key in _KEY_DOT.split(path)] if path else []


def lookup(value: Any, path: str) -> Any:
    for key in split_path(path):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return _MISSING
    return value


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _body_data(body: CallBody) -> Any:
    if body.json is not NOT_JSON:
        return body.json
    if body.media == "application/x-www-form-urlencoded":
        return {k: v for (k, v), _ in reversed(body.form.items())}
    if body.media == "multipart/form-data":
        return {k: v for (k, v), _ in reversed(body.multipart[0].items())}
    return _MISSING


def _first_values(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


def request_value(helper: str, args: tuple[str, ...], request: RequestView) -> str:
    """The text a helper stands for in this call."""
    default = args[1] if len(args) > 1 else ""
    key = args[0] if args else None
    value: Any
    if helper == "body":
        if key is None:
            return request.body.text
        value = lookup(_body_data(request.body), key)
    elif helper == "queryParams":
        params = _first_values(request.query)
        value = params if key is None else params.get(key.replace("\\.", "."), _MISSING)
    elif helper == "headers":
        value = (
            dict(request.headers)
            if key is None
            else request.headers.get(key.replace("\\.", ".").lower(), _MISSING)
        )
    else:
        segments = [s for s in request.path.split("/") if s]
        if key is None:
            value = segments
        else:
            value = segments[int(key)] if key.isdigit() and int(key) < len(segments) else _MISSING
    return default if value is _MISSING else as_text(value)
