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
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _url_ok(url: Any) -> bool:
    if isinstance(url, str) or url is None:
        return True
    if not isinstance(url, dict):
        return False
    return (
        _opt(url, "raw", (str,))
        and _opt(url, "host", (list, str, type(None)))
        and _opt(url, "path", (list, str, type(None)))
        and ("query" not in url or _list_of_objects(url["query"]))
        and ("variable" not in url or _list_of_objects(url["variable"]))
    )


def _request_ok(request: Any) -> bool:
    if isinstance(request, str):
        return True
    if not isinstance(request, dict):
        return False
    header = request.get("header")
    return (
        ("url" not in request or _url_ok(request["url"]))
        and _opt(request, "method", (str, type(None)))
        and (header is None or isinstance(header, str) or _list_of_objects(header))
        and _opt(request, "body", (dict, type(None)))
    )


def _name_ok(item: dict[str, Any]) -> bool:
    name = item.get("name")
    return not isinstance(name, bool) and _opt(item, "name", (str, int, float, type(None)))


def _items_ok(items: Any) -> bool:
    if not isinstance(items, list):
        return False
    for item in items:
        if not isinstance(item, dict) or not _name_ok(item):
            return False
        if "item" in item and not _items_ok(item["item"]):
            return False
        if "request" in item and not _request_ok(item["request"]):
            return False
        if "response" in item and not _list_of_objects(item["response"]):
            return False
        if "variable" in item and not _list_of_objects(item["variable"]):
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
