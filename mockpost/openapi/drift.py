"""A collection's drift from its API definition: every saved example's call and answer
checked against the operation it stands for (`validate COLLECTION --spec SPEC`).

A collection's requests seldom carry their credentials (auth is set on the collection, and
Postman adds it when it sends), so each call is checked with a stand-in for every scheme; and
a path parameter an example leaves as a wildcard takes any value. What is drift: a call no
operation takes (a renamed path), a call that breaks its operation's parameters or body, a
status the operation does not define, an answer body that breaks its schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mockpost.calls.call import Call
from mockpost.calls.violation import Violation
from mockpost.errors import LoadError
from mockpost.matching.index import Index
from mockpost.matching.report import WILDCARD_FILL, replay_call
from mockpost.openapi.checks import DefinitionChecker


@dataclass(frozen=True, slots=True)
class Drift:
    example: str  # its name
    request: str  # its request's name
    where: str  # its place in the collection
    reason: str


def checker_for(spec: Path) -> DefinitionChecker:
    """A checker of calls and answers against the definition at `spec` (raises LoadError)."""
    from mockpost.openapi.load import load_definition

    checker = load_definition(spec).checker
    if not isinstance(checker, DefinitionChecker):
        raise LoadError(str(spec), "a Swagger 2.0 definition: calls cannot be checked against it")
    return checker


def find_drift(index: Index, spec: Path) -> tuple[Drift, ...]:
    """Every example of `index` that its definition does not allow, with the reasons."""
    checker = checker_for(spec)
    found: list[Drift] = []
    for example in index.examples:
        saved = example.example
        call = checker.credentialed(replay_call(example))
        body = saved.raw_body if saved.raw_body is not None else saved.body.encode()
        answer = checker.answer_errors(call, saved.code, tuple(saved.headers), body)
        if answer and answer[0].startswith("no operation"):
            reasons = answer  # nothing else to say of it
        else:
            reasons = [f"call {v.line()}" for v in checker.check(call) if not _wildcard(v, call)]
            reasons += answer
        found += [Drift(saved.name, saved.request_name, saved.where, r) for r in reasons]
    return tuple(found)


def _wildcard(violation: Violation, call: Call) -> bool:
    """A path parameter the example leaves as a wildcard (any value answers) is no drift."""
    return violation.location[:1] == ("path",) and WILDCARD_FILL in call.path
