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
