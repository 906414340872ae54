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

import re
from collections import Counter
from dataclasses import field
from functools import lru_cache
from typing import Any

from mockpost.calls.body import NOT_JSON, CallBody, parse_json
from mockpost.postman.model import Pairs
from mockpost.readonly import readonly


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


@lru_cache(maxsize=1024)  # a call's query is compared with every candidate's: normalised once
def normalise_graphql(query: str) -> str:
    """A GraphQL document with insignificant white space and commas removed."""
    return _GRAPHQL_PUNCT.sub(r"\1", _GRAPHQL_SPACE.sub(" ", query).strip())


@readonly(eq=False)
class ExpectedBody:
    """An example's request body in the form body matching compares."""

    mode: str
    text: str = ""
    json_value: Any = NOT_JSON
    fields: Counter[tuple[str, str]] = field(default_factory=Counter)
    files: frozenset[str] = frozenset()
    graphql_query: str = ""
    graphql_variables: Any = None


def expected_raw(text: str) -> ExpectedBody:
    if not text:
        return NO_BODY_EXPECTED
    return ExpectedBody(mode="raw", text=text, json_value=parse_json(text))


NO_BODY_EXPECTED = ExpectedBody(mode="raw")  # shared by every example saved without a body


def expected_fields(mode: str, fields: Pairs, files: tuple[str, ...] = ()) -> ExpectedBody:
    return ExpectedBody(mode=mode, fields=Counter(fields), files=frozenset(files))


def expected_graphql(query: str, variables: str) -> ExpectedBody:
    parsed = parse_json(variables)
    return ExpectedBody(
        mode="graphql",
        graphql_query=normalise_graphql(query),
        graphql_variables=None if parsed is NOT_JSON else parsed,
    )


def _graphql_equal(expected: ExpectedBody, call: CallBody) -> bool:
    sent = call.json
    if not isinstance(sent, dict) or not isinstance(sent.get("query"), str):
        return False
    if normalise_graphql(sent["query"]) != expected.graphql_query:
        return False
    return json_equal(sent.get("variables") or {}, expected.graphql_variables or {})


def graphql_sent(call: CallBody) -> str | None:
    """The GraphQL query a call's body holds, normalised (None: it holds none)."""
    sent = call.json
    query = sent.get("query") if isinstance(sent, dict) else None
    return normalise_graphql(query) if isinstance(query, str) else None


def may_be_equal(expected: ExpectedBody, graphql: str | None) -> bool:
    """False where a call's body is surely not equal to the example's, found cheaply from
    `graphql_sent(call)` (a GraphQL query that differs); True where `bodies_equal` must
    decide."""
    return expected.mode != "graphql" or expected.graphql_query == graphql


def bodies_equal(expected: ExpectedBody, call: CallBody) -> bool:
    """Whether the call's body equals the example's, as the module docstring says."""
    mode = expected.mode
    if mode == "file":
        return True
    if mode == "graphql":
        return _graphql_equal(expected, call)
    if mode == "urlencoded":
        return expected.fields == call.form
    if mode == "formdata":
        if call.media == "application/x-www-form-urlencoded":
            return not expected.files and expected.fields == call.form
        if not call.raw.strip():
            return not expected.fields and not expected.files
        fields, files = call.multipart
        return expected.fields == fields and expected.files == files
    # JSON when both sides parse (a side declared JSON that does not parse compares as text).
    if expected.json_value is not NOT_JSON and call.json is not NOT_JSON:
        return json_equal(expected.json_value, call.json)
    return expected.text.strip() == call.text.strip()
