"""A value for a JSON schema where a definition gives no example: deterministic and valid.

What the schema says first: `const`, the first `enum` value, its `example` (3.1: the first of
`examples`), its `default`. Else by type: an object with its properties (in an answer, not the
write-only ones; in a request, not the read-only ones), an array with one item (or
`minItems`), a string fit for its `format` and within its lengths, a number within its bounds
and a multiple of `multipleOf`, `true`. `allOf` is merged, the first of `oneOf`/`anyOf`
taken. A value is kept small: a schema met again inside itself (a `$ref` loop), a depth past
OPTIONAL_DEPTH or a value past BUDGET values in all leaves optional properties out and arrays
at their `minItems`; past MAX_DEPTH, a required value is the smallest of its type.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import quote

from mockpost.openapi.fresh import fresh
from mockpost.openapi.refs import Place, Refs

MAX_DEPTH = 12  # nested schemas walked before a value is cut short
OPTIONAL_DEPTH = 5  # deeper than this, only required properties
BUDGET = 400  # values made for one sample before only required ones are
FORMATS: dict[str, str] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "/example",
    "uri-template": "https://example.com/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "c3RyaW5n",
    "binary": "",
    "password": "password",
    "json-pointer": "/example",
    "regex": ".*",
}
SMALLEST: dict[str, Any] = {
    "object": {},
    "array": [],
    "string": "",
    "integer": 0,
    "number": 0,
    "boolean": True,
}


class Sampler:
    def __init__(
        self, refs: Refs, response: bool = True, placeholders: bool = False, fresh: bool = False
    ) -> None:
        self.refs = refs
        self.fresh = fresh  # plain values as dynamic variables, drawn per call (`fresh.py`)
        self._name: str | None = None  # the property whose value is being made
        self.response = response  # leave out write-only properties (else read-only ones)
        self.placeholders = placeholders  # `<string>`, `<integer>`... for every plain value
        self._left = BUDGET  # values the sample being made may still hold

    def sample(self, schema: Any, place: Place) -> Any:
        """A value for `schema`, found at `place`."""
        self._left = BUDGET
        return self.value(schema, place, 0, frozenset())

    def value(self, schema: Any, place: Place, depth: int, seen: frozenset[Place]) -> Any:
        schema, place = self.refs.resolve(schema, place)
        self._left -= 1
        if not isinstance(schema, dict):
            return None if schema is False else "string"
        if depth > MAX_DEPTH:
            given = self._given(schema)[:1]
            return given[0] if given else SMALLEST.get(_type(schema))
        seen = seen | {place}
        if "allOf" in schema and isinstance(schema["allOf"], list):
            schema = self.merged(schema, place, depth)
        kind = _type(schema)
        if self.placeholders and kind not in ("object", "array") and "const" not in schema:
            return f"<{schema.get('format') or kind}>"  # Postman's converter's schema mode
        for given in self._given(schema):
            if not self.fresh or "const" in schema or "enum" in schema:
                return given
        if self.fresh and kind not in ("object", "array", "null") and not _choice(schema):
            drawn = fresh(schema, kind, self._name)
            if drawn is not None:
                return drawn
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                return self.value(options[0], place.child(key, 0), depth + 1, seen)
        if kind == "object":
            return self.object(schema, place, depth, seen)
        if kind == "array":
            return self.array(schema, place, depth, seen)
        if kind in ("integer", "number"):
            return _number(schema, kind)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _string(schema)

    def _small(self, depth: int) -> bool:
        return depth > OPTIONAL_DEPTH or self._left <= 0

    def array(
        self, schema: dict[str, Any], place: Place, depth: int, seen: frozenset[Place]
    ) -> Any:
        least = _int(schema.get("minItems"), 0)
        if _int(schema.get("maxItems"), 1) == 0:
            return []
        items, at = self.refs.resolve(schema.get("items", {}), place.child("items"))
        if least == 0 and (self._small(depth) or at in seen):
            return []
        item = self.value(items, at, depth + 1, seen)
        count = max(1, least)
        return _unique(item, count) if schema.get("uniqueItems") else [item] * count

    def _given(self, schema: dict[str, Any]) -> list[Any]:
        if "const" in schema:
            return [schema["const"]]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return [schema["enum"][0]]
        if "example" in schema:
            return [schema["example"]]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return [schema["examples"][0]]
        if "default" in schema:
            return [schema["default"]]
        return []

    def merged(self, schema: dict[str, Any], place: Place, depth: int) -> dict[str, Any]:
        """`allOf` as one schema: properties and required lists joined, the rest overlaid.
        A part's sub-schemas are kept as `$ref`s to where they are written, so that their own
        relative `$ref`s still lead from their file."""
        merged = _pointing_children({k: v for k, v in schema.items() if k != "allOf"}, place)
        properties: dict[str, Any] = dict(merged.get("properties") or {})
        required: list[str] = list(merged.get("required") or [])
        for i, part in enumerate(schema["allOf"]):
            part, at = self.refs.resolve(part, place.child("allOf", i))
            if not isinstance(part, dict):
                continue
            if "allOf" in part and depth < MAX_DEPTH:
                part = self.merged(part, at, depth + 1)  # pointing where it should already
            else:
                part = _pointing_children(part, at)
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    properties.update(value)
                elif key == "required" and isinstance(value, list):
                    required += [r for r in value if r not in required]
                elif key not in merged:
                    merged[key] = value
        if properties:
            merged["properties"] = properties
            merged.setdefault("type", "object")
        if required:
            merged["required"] = required
        return merged

    def object(
        self, schema: dict[str, Any], place: Place, depth: int, seen: frozenset[Place]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        found = schema.get("required")
        required: list[Any] = found if isinstance(found, list) else []
        properties = schema.get("properties")
        hidden = "writeOnly" if self.response else "readOnly"
        if isinstance(properties, dict):
            for name, sub in properties.items():
                resolved, at = self.refs.resolve(sub, place.child("properties", name))
                if isinstance(resolved, dict) and resolved.get(hidden):
                    continue
                if name not in required and (self._small(depth) or at in seen):
                    continue
                self._name = str(name)
                out[str(name)] = self.value(resolved, at, depth + 1, seen)
                self._name = None
        extra = schema.get("additionalProperties")
        extra_at = place.child("additionalProperties")
        for name in required:
            if name not in out and isinstance(name, str):
                out[name] = (
                    self.value(extra, extra_at, depth + 1, seen) if isinstance(extra, dict) else ""
                )
        while len(out) < _int(schema.get("minProperties"), 0):
            out[f"property{len(out) + 1}"] = (
                self.value(extra, extra_at, depth + 1, seen) if isinstance(extra, dict) else ""
            )
        return out


SUB_SCHEMAS = ("items", "additionalProperties", "not", "contains", "propertyNames")
SUB_LISTS = ("oneOf", "anyOf", "prefixItems")


def _pointing(place: Place) -> dict[str, str]:
    """A `$ref` to `place`, whichever file it is read from."""
    return {"$ref": f"{quote(str(place.file), safe='/:')}#{place.pointer}"}


def _pointing_children(part: dict[str, Any], at: Place) -> dict[str, Any]:
    """`part` with its sub-schemas as `$ref`s to where they are written."""
    out = dict(part)
    if isinstance(part.get("properties"), dict):
        out["properties"] = {n: _pointing(at.child("properties", n)) for n in part["properties"]}
    for key in SUB_SCHEMAS:
        if isinstance(part.get(key), dict):
            out[key] = _pointing(at.child(key))
    for key in SUB_LISTS:
        if isinstance(part.get(key), list):
            out[key] = [_pointing(at.child(key, i)) for i in range(len(part[key]))]
    return out


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):  # 3.1: ["string", "null"]: the first that is not null
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def _int(value: Any, fallback: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else fallback


def _string(schema: dict[str, Any]) -> str:
    text = FORMATS.get(str(schema.get("format")), "string")
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _matches(pattern, text):
        text = next((t for t in _candidates(pattern) if _matches(pattern, t)), text)
    shortest = _int(schema.get("minLength"), 0)
    longest = _int(schema.get("maxLength"), -1)
    if len(text) < shortest:
        text += "x" * (shortest - len(text))
    if 0 <= longest < len(text):
        text = text[:longest]
    return text


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except (re.error, RecursionError):
        return True  # a pattern Python cannot read: not held against the value


def _candidates(pattern: str) -> list[str]:
    """A few texts to try against a pattern: its literal characters, digits, letters."""
    literal = re.sub(r"\\(.)", r"\1", re.sub(r"[\^$*+?()\[\]{}|]", "", pattern))
    return [literal, "0", "1", "a", "A", "abc", "ABC", "123", "a1", "A1", "00000000", "aaaaaaaa"]


def _number(schema: dict[str, Any], kind: str) -> int | float:
    """0, or the nearest value within the bounds (3.0's boolean exclusives and 3.1's numeric
    ones), a multiple of `multipleOf`."""
    small = 1 if kind == "integer" else 0.5
    floor, ceiling = -math.inf, math.inf
    low, high = _real(schema.get("minimum")), _real(schema.get("maximum"))
    if low is not None:
        floor = low + (small if schema.get("exclusiveMinimum") is True else 0)
    if high is not None:
        ceiling = high - (small if schema.get("exclusiveMaximum") is True else 0)
    if (exclusive := _real(schema.get("exclusiveMinimum"))) is not None:
        floor = max(floor, exclusive + small)
    if (exclusive := _real(schema.get("exclusiveMaximum"))) is not None:
        ceiling = min(ceiling, exclusive - small)
    value = min(max(0.0, floor), ceiling)
    step = _real(schema.get("multipleOf"))
    if step is not None and step > 0:
        value = math.ceil(value / step) * step
        if value > ceiling:
            value -= step
    if kind == "integer":
        return math.ceil(value) if math.isfinite(value) else 0
    return int(value) if value.is_integer() else value


def _real(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _unique(item: Any, count: int) -> list[Any]:
    if isinstance(item, str):
        return [f"{item}{i}" if i else item for i in range(count)]
    if isinstance(item, (int, float)):
        return [item + i for i in range(count)]
    return [item] * count


def _choice(schema: dict[str, Any]) -> bool:
    return "oneOf" in schema or "anyOf" in schema
