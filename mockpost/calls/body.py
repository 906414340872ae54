"""A call's body, parsed lazily into each form that matching or a template reads.

A body that does not parse (not JSON, nested too deep, not a form) is simply not that form:
parsing never fails a call.
"""

from __future__ import annotations

import json
from collections import Counter
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl


class _NotJson:
    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()


def parse_json(text: str) -> Any:
    """The parsed value, or NOT_JSON (for text that is not JSON, or nested too deep)."""
    if not text.strip():
        return NOT_JSON
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return NOT_JSON


def media_type(content_type: str) -> str:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    return content_type.split(";", 1)[0].strip().lower()


def preview_language(content_type: str) -> str:
    """The language Postman previews a body of this Content-Type in: json, xml, html,
    javascript, else text."""
    media = media_type(content_type)
    return next((kind for kind in ("json", "xml", "html", "javascript") if kind in media), "text")


_UNPARSED: Any = object()


class CallBody:
    """A call's body, parsed lazily into each form at most once."""

    __slots__ = ("_form", "_json", "_multipart", "content_type", "media", "raw", "text")

    def __init__(self, raw: bytes, content_type: str) -> None:
        self.raw = raw
        self.content_type = content_type
        self.media = media_type(content_type)
        self.text = raw.decode("utf-8", errors="replace")
        self._json: Any = _UNPARSED
        self._form: Counter[tuple[str, str]] | None = None
        self._multipart: tuple[Counter[tuple[str, str]], frozenset[str]] | None = None

    @property
    def json(self) -> Any:
        if self._json is _UNPARSED:
            self._json = parse_json(self.text)
        return self._json

    @property
    def form(self) -> Counter[tuple[str, str]]:
        if self._form is None:
            self._form = Counter(parse_qsl(self.text, keep_blank_values=True))
        return self._form

    @property
    def multipart(self) -> tuple[Counter[tuple[str, str]], frozenset[str]]:
        if self._multipart is None:
            self._multipart = _parse_multipart(self.raw, self.content_type)
        return self._multipart


def _parse_multipart(
    raw: bytes, content_type: str
) -> tuple[Counter[tuple[str, str]], frozenset[str]]:
    fields: Counter[tuple[str, str]] = Counter()
    files: set[str] = set()
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    message = BytesParser(policy=HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        return fields, frozenset()
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        if part.get_filename() is not None:
            files.add(name)
            continue
        payload = part.get_payload(decode=True)
        value = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
        fields[(name, value)] += 1
    return fields, frozenset(files)
