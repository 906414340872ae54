"""What a collection holds, as `validate` and `routes` report it.

The key tool is `replay_call`: the plain call an example stands for (its method, its path with
each wildcard filled, its query and its request body, encoded as a client would send it).
An example that its own replay call does not reach can only be had with `x-mock-response-*`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from mockpost.calls.call import Call
from mockpost.matching.compile import IndexedExample
from mockpost.matching.directives import NONE as NO_DIRECTIVES
from mockpost.matching.evaluate import PreparedCall
from mockpost.matching.index import Index
from mockpost.matching.options import MatchOptions
from mockpost.matching.shadow import best_for
from mockpost.postman.variables import TOKEN, unresolved
from mockpost.responses.prepare import prepare_response
from mockpost.state.scenarios import described
from mockpost.text import plural

WILDCARD_FILL = "w1ld"  # stands for a wildcard in replay calls: no ID, no common word
_BOUNDARY = "mockpost-replay-boundary"


def replay_path(example: IndexedExample) -> str:
    """The example's path with every wildcard filled, as a real call would have it."""
    return TOKEN.sub(WILDCARD_FILL, example.path.text)


def _multipart(fields: Iterable[tuple[str, str]], files: Iterable[str]) -> bytes:
    parts: list[str] = []
    for key, value in fields:
        parts.append(
            f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        )
    for key in files:
        parts.append(
            f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"; '
            f'filename="{key}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n'
        )
    parts.append(f"--{_BOUNDARY}--\r\n")
    return "".join(parts).encode()


def replay_body(example: IndexedExample) -> tuple[bytes, str]:
    """The example's request body as a client would send it, with its Content-Type."""
    body = example.body
    declared = example.headers.get("content-type", "")
    if body.mode == "urlencoded":
        return urlencode(list(body.fields.elements())).encode(), "application/x-www-form-urlencoded"
    if body.mode == "formdata":
        fields = body.fields.elements()
        return _multipart(fields, sorted(body.files)), f"multipart/form-data; boundary={_BOUNDARY}"
    if body.mode == "graphql":
        sent = {"query": body.graphql_query, "variables": body.graphql_variables or {}}
        return json.dumps(sent).encode(), "application/json"
    if body.mode == "raw" and body.text:
        return body.text.encode("utf-8", "replace"), declared or "text/plain"
    return b"", ""


def replay_call(example: IndexedExample, extra_headers: dict[str, str] | None = None) -> Call:
    """The plain call the example stands for: method, path, query and body."""
    body, content_type = replay_body(example)
    headers = {"content-type": content_type} if content_type else {}
    headers.update(extra_headers or {})
    query = tuple(example.query.elements())
    path = replay_path(example)
    return Call(example.method, path, query, headers, body, urlencode(query))


@dataclass(frozen=True, slots=True)
class Shadowed:
    """An example its own replay call does not reach: another answers it."""

    example: IndexedExample
    by: IndexedExample | None  # None: nothing answers (the example's own path fails)


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    examples: tuple[IndexedExample, ...]


@dataclass(frozen=True, slots=True)
class Report:
    index: Index
    routes: tuple[Route, ...]
    unresolved: dict[str, int]  # wildcard variable -> how many example paths use it
    shadowed: tuple[Shadowed, ...]
    duplicate_names: dict[str, int]  # example name -> count, for names used more than once
    unknown_dynamic: dict[str, int]  # `{{$name}}` mockpost does not know -> examples using it
    emptied: dict[str, tuple[IndexedExample, ...]]  # variable set to "" -> paths it emptied
    scenarios: list[dict[str, Any]]  # state/scenarios.py's description of each

    @property
    def servable(self) -> bool:
        return bool(self.index.examples)

    @property
    def strict_ok(self) -> bool:
        """Nothing dropped, and every example reached by its own plain call."""
        return self.servable and not self.index.collection.dropped and not self.shadowed


def find_routes(index: Index) -> tuple[Route, ...]:
    """Endpoints as a user calls them, in collection order: (method, path) with examples."""
    grouped: dict[tuple[str, str], list[IndexedExample]] = {}
    for example in index.examples:
        grouped.setdefault((example.method, example.path.text), []).append(example)
    return tuple(Route(m, p, tuple(e)) for (m, p), e in grouped.items())


def answering_own_call(
    index: Index, example: IndexedExample, options: MatchOptions | None = None
) -> IndexedExample | None:
    """The example that answers the example's own plain call (`match`'s answer)."""
    options = options or MatchOptions()
    call = PreparedCall(replay_call(example), options, NO_DIRECTIVES)
    entry = index.method(call.method)
    near = entry.near(call.path)
    best = best_for(call, example, near)
    if options.fuzzy and (best is None or best.score <= call.distance_ceiling):
        # only then can an example found by document distance win: 4,500 paths within
        # distance of each other are not each scored against each other
        close = entry.within_distance(call.path)
        best = best_for(call, example, dict.fromkeys([*near, *close]))  # each once
    return best.example if best is not None else None


def find_shadowed(index: Index, options: MatchOptions | None = None) -> tuple[Shadowed, ...]:
    """The examples that their own plain call does not reach. Examples that make the same
    call share the answer: 2,000 copies of one request are matched once."""
    out: list[Shadowed] = []
    answers: dict[tuple[object, ...], IndexedExample | None] = {}
    for example in index.examples:
        call = replay_call(example)
        key = (call.method, call.path, call.query, call.body, call.content_type)
        if key not in answers:
            answers[key] = answering_own_call(index, example, options)
        winner = answers[key]
        if winner is not example:
            out.append(Shadowed(example, winner))
    return tuple(out)


def unresolved_in_paths(index: Index) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for example in index.examples:
        counts.update(set(unresolved(example.path.text)))
    return dict(sorted(counts.items()))


def unknown_dynamic(index: Index) -> dict[str, int]:
    """`{{$…}}` tokens in responses that are neither dynamic variables nor templates."""
    counts: Counter[str] = Counter()
    for example in index.examples:
        response = prepare_response(example)
        names: set[str] = set()
        for template in (response.body, *(t for _, t in response.headers)):
            for part in template.parts:
                if isinstance(part, str):
                    names.update(
                        m.group(1) for m in TOKEN.finditer(part) if m.group(1).startswith("$")
                    )
        counts.update(names)
    return dict(sorted(counts.items()))


def emptied_paths(index: Index) -> dict[str, tuple[IndexedExample, ...]]:
    """The variables whose empty value ("", as real environments ship placeholders) takes a
    segment out of examples' paths, with those examples: `/payments/{{paymentId}}` is served
    as `/payments/`, which no call to a payment reaches."""
    found: dict[str, list[IndexedExample]] = {}
    for example in index.examples:
        for name in example.emptied:
            found.setdefault(name, []).append(example)
    return {name: tuple(examples) for name, examples in found.items()}


def emptied_lines(emptied: Mapping[str, tuple[IndexedExample, ...]]) -> list[str]:
    """One line per emptied variable (`emptied_paths`), as start-up and `validate` say it."""
    lines = []
    for name, examples in emptied.items():
        first = examples[0]
        named = ", ".join(repr(e.name) for e in examples[:3])
        more = f" and {len(examples) - 3} more" if len(examples) > 3 else ""
        lines.append(
            f"{{{{{name}}}}} is empty, so {plural(len(examples), 'example')} lost a path "
            f"segment ({first.example.request.method} {first.path.text}): {named}{more}; "
            "give it a value, or leave it out to make it a wildcard"
        )
    return lines


def duplicate_names(index: Index) -> dict[str, int]:
    counts = Counter(e.name for e in index.examples)
    return {name: n for name, n in counts.most_common() if n > 1}


def build_report(index: Index, options: MatchOptions | None = None) -> Report:
    return Report(
        index=index,
        routes=find_routes(index),
        unresolved=unresolved_in_paths(index),
        # An example of a scenario, or of a request answering in turn, is reached by state.
        shadowed=tuple(
            s
            for s in find_shadowed(index, options)
            if s.example.tag is None and s.example.mode == "score"
        ),
        duplicate_names=duplicate_names(index),
        unknown_dynamic=unknown_dynamic(index),
        emptied=emptied_paths(index),
        scenarios=described(index.examples),
    )


def routes_json(routes: Iterable[Route]) -> list[dict[str, object]]:
    """Routes as plain data for `routes --json`."""
    return [
        {
            "method": route.method,
            "path": route.path,
            "wildcards": list(dict.fromkeys(m.group(1) for m in TOKEN.finditer(route.path))),
            "examples": [
                {
                    "name": e.name,
                    "code": e.code,
                    "id": e.id,
                    "request": e.example.request_name,
                    "query": [[k, v] for k, v in e.query.elements()],
                    # its scenario: [scenario, required state, next state or null]
                    "state": [e.tag.scenario, e.tag.required, e.tag.next] if e.tag else None,
                    "mode": e.mode,  # score, in-turn or random (its request's)
                }
                for e in route.examples
            ],
        }
        for route in routes
    ]


def _example_json(example: IndexedExample) -> dict[str, object]:
    return {
        "name": example.name,
        "id": example.id,
        "request": example.example.request_name,
        "code": example.code,
    }


def report_json(report: Report) -> dict[str, object]:
    """The report as plain data, for `validate --json`."""
    index = report.index
    collection = index.collection
    return {
        "collection": collection.name,
        "file": collection.source,
        "requests": len(collection.requests),
        "examples": len(index.examples),
        "servable": report.servable,
        "strict_ok": report.strict_ok,
        "dropped": [
            {"where": d.where, "name": d.name, "reason": d.reason} for d in collection.dropped
        ],
        "notes": list(collection.notes),
        "endpoints": len(report.routes),
        "wildcards": report.unresolved,
        "emptied": {
            name: [_example_json(e) for e in examples] for name, examples in report.emptied.items()
        },
        "shadowed": [
            {
                "method": s.example.method,
                "path": s.example.path.text,
                "example": _example_json(s.example),
                "answered_by": _example_json(s.by) if s.by is not None else None,
            }
            for s in report.shadowed
        ],
        "duplicate_names": report.duplicate_names,
        "scenarios": report.scenarios,
        "unknown_dynamic": report.unknown_dynamic,
    }
