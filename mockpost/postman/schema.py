"""JSON schemas of the structure mockpost relies on.

They are our own, not Postman's: the official 2018 schemas reject about half of the real
exports (graphql bodies, body options, null headers, numeric header values...). These accept
what real files contain and refuse only what mockpost could not serve. Finer problems inside
one example (an impossible status code, say) drop that example with a warning instead.
"""

from __future__ import annotations

from typing import Any

_STRING_OR_NULL = {"type": ["string", "null"]}

_VARIABLE_LIST: dict[str, Any] = {
    "type": ["array", "null"],
    "items": {"type": "object"},
}

_URL: dict[str, Any] = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "raw": {"type": "string"},
                "host": {"type": ["array", "string", "null"]},
                "path": {"type": ["array", "string", "null"]},
                "query": {"type": ["array", "null"], "items": {"type": "object"}},
                "variable": _VARIABLE_LIST,
            },
        },
    ]
}

_HEADER_LIST: dict[str, Any] = {
    "type": ["array", "string", "null"],
    "items": {"type": "object"},
}

_REQUEST: dict[str, Any] = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "url": {"anyOf": [_URL, {"type": "null"}]},
                "method": _STRING_OR_NULL,
                "header": _HEADER_LIST,
                "body": {"type": ["object", "null"]},
            },
        },
    ]
}

COLLECTION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["info", "item"],
    "properties": {
        "info": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "schema": {"type": "string"}},
        },
        "item": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "variable": _VARIABLE_LIST,
    },
    "$defs": {
        "item": {
            "type": "object",
            "properties": {
                "name": {"type": ["string", "number", "null"]},
                "item": {"type": "array", "items": {"$ref": "#/$defs/item"}},
                "request": _REQUEST,
                "response": {"type": ["array", "null"], "items": {"type": "object"}},
                "variable": _VARIABLE_LIST,
            },
        },
    },
}

ENVIRONMENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["values"],
    "properties": {
        "name": {"type": "string"},
        "values": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key"],
                "properties": {"key": {"type": "string"}, "enabled": {"type": "boolean"}},
            },
        },
    },
}


# The same rules as COLLECTION_SCHEMA, checked by hand in one fast walk. jsonschema descends
# into every item (seconds for tens of thousands of examples), so it runs only when this walk
# finds something wrong, to say what and where. tests/test_schema.py keeps the two in step.


def _opt(value: dict[str, Any], key: str, kinds: tuple[type, ...]) -> bool:
    return key not in value or isinstance(value[key], kinds)


def _list_of_objects(value: Any, *, nullable: bool = True) -> bool:
    if value is None:
        return nullable
    if not isinstance(value, list):
        return False
    for entry in value:  # noqa: SIM110 (all() makes a generator: this runs for every item)
        if not isinstance(entry, dict):
            return False
    return True


_ABSENT: Any = object()
_NAME_KINDS = (str, int, float, type(None))  # and not bool, an int to isinstance
_PATH_KINDS = (list, str, type(None))
_METHOD_KINDS = (str, type(None))
_BODY_KINDS = (dict, type(None))


def _url_ok(url: Any) -> bool:
    if isinstance(url, str) or url is None:
        return True
    if not isinstance(url, dict):
        return False
    return (
        isinstance(url.get("raw", ""), str)
        and isinstance(url.get("host"), _PATH_KINDS)
        and isinstance(url.get("path"), _PATH_KINDS)
        and _list_of_objects(url.get("query"))
        and _list_of_objects(url.get("variable"))
    )


def _request_ok(request: Any) -> bool:
    if isinstance(request, str):
        return True
    if not isinstance(request, dict):
        return False
    header = request.get("header")
    return (
        _url_ok(request.get("url"))
        and isinstance(request.get("method"), _METHOD_KINDS)
        and (header is None or isinstance(header, str) or _list_of_objects(header))
        and isinstance(request.get("body"), _BODY_KINDS)
    )


def _items_ok(items: Any) -> bool:
    """Each item as the schema's `item` wants it (an absent key reads as null: every key
    checked here may be null)."""
    if not isinstance(items, list):
        return False
    for item in items:
        if not isinstance(item, dict):
            return False
        name = item.get("name")
        if isinstance(name, bool) or not isinstance(name, _NAME_KINDS):
            return False
        children = item.get("item", _ABSENT)
        if children is not _ABSENT and not _items_ok(children):
            return False
        request = item.get("request", _ABSENT)
        if request is not _ABSENT and not _request_ok(request):
            return False
        if not _list_of_objects(item.get("response")):
            return False
        if not _list_of_objects(item.get("variable")):
            return False
    return True


def collection_looks_valid(data: Any) -> bool:
    """Whether COLLECTION_SCHEMA accepts data, decided without jsonschema."""
    if not isinstance(data, dict) or "info" not in data or "item" not in data:
        return False
    info = data["info"]
    if not isinstance(info, dict) or not _opt(info, "name", (str,)):
        return False
    if not _opt(info, "schema", (str,)):
        return False
    if "variable" in data and not _list_of_objects(data["variable"]):
        return False
    return _items_ok(data["item"])
