"""The saved examples of one operation: one or more per response code, as v2.1 responses.

For each code, in the order a mock prefers them (2xx from the lowest, then the other codes,
then `default`), the media type a caller most likely wants (JSON, else the first listed), and
its examples in this order: each entry of the media type's `examples` (named by its summary,
else its key), else the media type's `example`, else the schema's `example` or `default`,
else a value made from the schema (`sample.py`). Swagger 2.0's `examples` (by media type) and
`schema` are read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from mockpost.calls.body import preview_language
from mockpost.openapi.fresh import as_json
from mockpost.openapi.refs import Place, Refs
from mockpost.openapi.sample import Sampler
from mockpost.postman.items import DYNAMIC_BODY
from mockpost.status import phrase

JSON_TYPES = ("application/json", "+json", "/json")
Made = tuple[Any, Place] | None  # the schema (and its place) a value was made from


def codes(responses: dict[Any, Any]) -> list[tuple[Any, int]]:
    """The response keys (as written: YAML may make `200` a number) in the order a mock
    prefers them, with the status each answers."""
    numbered: list[tuple[int, int, int, Any]] = []
    for i, key in enumerate(responses):
        text = str(key).strip().upper()
        if text.isdigit() and 100 <= int(text) <= 599:
            code = int(text)
            numbered.append((0 if 200 <= code < 300 else 1, code, i, key))
        elif len(text) == 3 and text[0] in "12345" and text[1:] == "XX":  # a range: 2XX
            code = int(text[0]) * 100
            numbered.append((0 if code == 200 else 1, code, i, key))
    ordered = [(key, code) for _, code, _, key in sorted(numbered)]
    if "default" in responses:
        ordered.append(("default", 500 if ordered else 200))
    return ordered


def preferred_media(content: Any) -> str | None:
    """JSON where the answer has it, else the first media type listed."""
    if not isinstance(content, dict) or not content:
        return None
    names = [str(k) for k in content]
    return next((n for n in names if any(j in n.lower() for j in JSON_TYPES)), names[0])


def served_type(media: str, value: Any) -> str:
    """The Content-Type an answer is sent with: its media type, but for a range (`*/*`, as
    many generated definitions write it): JSON for data, text for text."""
    if "*" not in media:
        return media
    return "text/plain" if isinstance(value, str) else "application/json"


def _is_json(media: str) -> bool:
    return any(j in media.lower() for j in JSON_TYPES)


def body_text(value: Any, media: str, made: bool = False) -> str:
    """A value as the body of `media`: a text example as written (a definition may hold
    JSON as text), a value made from a schema or given as data as JSON."""
    if isinstance(value, str) and not (made and "json" in media.lower()):
        return value
    if value is None and "json" not in media.lower():
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


class Answers:
    """The saved examples of an operation's responses."""

    def __init__(self, refs: Refs, swagger: bool, produces: list[str]) -> None:
        self.refs = refs
        self.swagger = swagger
        self.produces = produces  # Swagger 2.0: the media types answers are in
        self.sampler = Sampler(refs, response=True)
        self.fresh = Sampler(refs, response=True, fresh=True)  # the twins `--dynamic` answers

    def of(self, responses: Any, place: Place, original: dict[str, Any]) -> list[dict[str, Any]]:
        if not isinstance(responses, dict):
            return []
        saved: list[dict[str, Any]] = []
        taken: set[str] = set()
        for key, code in codes(responses):
            response, at = self.refs.resolve(responses[key], place.child(key))
            if not isinstance(response, dict):
                continue
            described = str(response.get("description") or "").strip()
            fallback = described.splitlines()[0][:120] if described else ""
            fallback = fallback or f"{code} {phrase(code)}".strip()
            headers = self.headers(response, at)
            for name, listed, value, source in self.bodies(response, at, fallback):
                media = served_type(listed, value) if listed else listed
                unique, n = name, 1
                while unique in taken:
                    n += 1
                    unique = f"{name} {n}"
                taken.add(unique)
                header = list(headers)
                if media:
                    header.insert(0, {"key": "Content-Type", "value": media})
                example = {
                    "name": unique,
                    "originalRequest": original,
                    "code": code,
                    "status": phrase(code),
                    "header": header,
                    "body": body_text(value, media, source is not None) if media else "",
                    "_postman_previewlanguage": preview_language(media),
                }
                if source is not None and _is_json(media):
                    twin = as_json(self.fresh.sample(*source))
                    if twin != example["body"]:
                        example[DYNAMIC_BODY] = twin
                saved.append(example)
        return saved

    def bodies(
        self, response: dict[str, Any], place: Place, fallback: str
    ) -> Iterator[tuple[str, str, Any, Made]]:
        """(name, media type, value, the schema it was made from) of each example of a response
        (no media type: no body): the preferred media type's first, then those of the other
        media types that are JSON or have examples of their own, named with their type."""
        if self.swagger:
            yield from self._swagger_bodies(response, place, fallback)
            return
        content = response.get("content")
        chosen = preferred_media(content)
        if chosen is None or not isinstance(content, dict):
            yield fallback, "", None, None
            return
        for media in [chosen, *(str(m) for m in content if str(m) != chosen)]:
            found, at = self.refs.resolve(content[media], place.child("content", media))
            found = found if isinstance(found, dict) else {}
            given = "example" in found or isinstance(found.get("examples"), dict)
            if media != chosen and not given and not _is_json(media):
                continue  # a value made from a schema is only written as JSON
            suffix = "" if media == chosen else f" ({media})"
            for name, value, source in self._media_bodies(found, at, fallback):
                yield name + suffix, media, value, source

    def _media_bodies(
        self, found: dict[str, Any], at: Place, fallback: str
    ) -> Iterator[tuple[str, Any, Made]]:
        examples = found.get("examples")
        if isinstance(examples, dict) and examples:
            for key, example in examples.items():
                example, _ = self.refs.resolve(example, at.child("examples", key))
                if isinstance(example, dict) and "value" in example:
                    yield str(example.get("summary") or key), example["value"], None
            return
        if "example" in found:
            yield fallback, found["example"], None
        else:
            source = (found.get("schema", {}), at.child("schema"))
            yield fallback, self.sampler.sample(*source), source

    def _swagger_bodies(
        self, response: dict[str, Any], place: Place, fallback: str
    ) -> Iterator[tuple[str, str, Any, Made]]:
        examples = response.get("examples")
        schema = response.get("schema")
        if isinstance(examples, dict) and examples:
            first = preferred_media(examples) or "application/json"
            for media in [first, *(str(m) for m in examples if str(m) != first)]:
                suffix = "" if media == first else f" ({media})"
                yield fallback + suffix, media, examples.get(media), None
        elif schema is not None:
            media = preferred_media(dict.fromkeys(self.produces)) or "application/json"
            source = (schema, place.child("schema"))
            yield fallback, media, self.sampler.sample(*source), source
        else:
            yield fallback, "", None, None

    def headers(self, response: dict[str, Any], place: Place) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        headers = response.get("headers")
        if not isinstance(headers, dict):
            return out
        for name, header in headers.items():
            if str(name).lower() == "content-type":
                continue
            header, at = self.refs.resolve(header, place.child("headers", name))
            if not isinstance(header, dict):
                continue
            if "example" in header:
                value = header["example"]
            elif isinstance(header.get("examples"), dict) and header["examples"]:
                first, _ = self.refs.resolve(next(iter(header["examples"].values())), at)
                value = first.get("value") if isinstance(first, dict) else first
            else:
                schema = header if self.swagger else header.get("schema", {})
                value = self.sampler.sample(schema, at)
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            out.append({"key": str(name), "value": text})
        return out
