"""Request bodies: what an example expects, compiled once, and equality with a call's body.

Equal means, by the example's body mode:
* graphql: the call's JSON `{query, variables}` has the same query up to white space and
  commas, and equal variables;
* urlencoded: equal multisets of key/value pairs;
* formdata: equal text fields (as a multiset), and the same file field keys;
* file: any body (the file's content is not in the collection);
* raw and none: when both sides parse as JSON, equal as parsed values (so a side declared
  JSON compares as JSON whenever it can); otherwise equal strings once surrounding white
  space is trimmed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

Pairs = tuple[tuple[str, str], ...]


class _NotJson:
    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()


def parse_json(text: str) -> Any:
    """The parsed value, or NOT_JSON."""
    if not text.strip():
        return NOT_JSON
    try:
        return json.loads(text)
    except ValueError:
        return NOT_JSON


def json_equal(a: Any, b: Any) -> bool:
    """Equal as JSON values: unlike Python's ==, `true` is not `1`."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and bool(a == b)


_GRAPHQL_SPACE = re.compile(r"[\s,]+")
_GRAPHQL_PUNCT = re.compile(r" ?([{}()\[\]:=!$@|&]|\.\.\.) ?")


def normalise_graphql(query: str) -> str:
    """A GraphQL document with insignificant white space and commas removed."""
    return _GRAPHQL_PUNCT.sub(r"\1", _GRAPHQL_SPACE.sub(" ", query).strip())


@dataclass(frozen=True, slots=True, eq=False)
class ExpectedBody:
    """An example's request body in the form body matching compares."""

    mode: str
    text: str = ""
    json_value: Any = NOT_JSON
    fields: Mapping[tuple[str, str], int] = field(default_factory=Counter)
    files: frozenset[str] = frozenset()
    graphql_query: str = ""
    graphql_variables: Any = None


def expected_raw(text: str) -> ExpectedBody:
    return ExpectedBody(mode="raw", text=text, json_value=parse_json(text))


def expected_fields(mode: str, fields: Pairs, files: tuple[str, ...] = ()) -> ExpectedBody:
    return ExpectedBody(mode=mode, fields=Counter(fields), files=frozenset(files))


def expected_graphql(query: str, variables: str) -> ExpectedBody:
    parsed = parse_json(variables)
    return ExpectedBody(
        mode="graphql",
        graphql_query=normalise_graphql(query),
        graphql_variables=None if parsed is NOT_JSON else parsed,
    )


_UNPARSED: Any = object()


class CallBody:
    """A call's body, parsed lazily into each form at most once."""

    __slots__ = ("_form", "_json", "_multipart", "content_type", "raw", "text")

    def __init__(self, raw: bytes, content_type: str) -> None:
        self.raw = raw
        self.content_type = content_type
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


def _graphql_equal(expected: ExpectedBody, call: CallBody) -> bool:
    sent = call.json
    if not isinstance(sent, dict) or not isinstance(sent.get("query"), str):
        return False
    if normalise_graphql(sent["query"]) != expected.graphql_query:
        return False
    return json_equal(sent.get("variables") or {}, expected.graphql_variables or {})


def bodies_equal(expected: ExpectedBody, call: CallBody) -> bool:
    """Whether the call's body equals the example's, as the module docstring says."""
    mode = expected.mode
    if mode == "file":
        return True
    if mode == "graphql":
        return _graphql_equal(expected, call)
    media = call.content_type.split(";", 1)[0].strip().lower()
    if mode == "urlencoded":
        return expected.fields == call.form
    if mode == "formdata":
        if media == "application/x-www-form-urlencoded":
            return not expected.files and expected.fields == call.form
        if not call.raw.strip():
            return not expected.fields and not expected.files
        fields, files = call.multipart
        return expected.fields == fields and expected.files == files
    # JSON when both sides parse (a side declared JSON that does not parse compares as text).
    if expected.json_value is not NOT_JSON and call.json is not NOT_JSON:
        return json_equal(expected.json_value, call.json)
    return expected.text.strip() == call.text.strip()
