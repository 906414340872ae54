"""Reference implementations the fast code is held to: Postman's algorithm as a plain scan.

`match_by_scan` takes every example of the method in collection order, with no index and no
lookup; `explain_by_scan` evaluates every example to explain an unanswered call. The property
tests in test_index.py compare them with `match` and `explain`.
"""

from __future__ import annotations

from mockpost.calls.call import Call
from mockpost.calls.record import How
from mockpost.matching.directives import read_directives
from mockpost.matching.evaluate import PreparedCall, best_of
from mockpost.matching.explain import PATH_CHARS, Miss, closest
from mockpost.matching.index import Index
from mockpost.matching.match import Decision, choose_named, decide
from mockpost.matching.options import MatchOptions
from mockpost.matching.paths import similarity


def match_by_scan(index: Index, call: Call, options: MatchOptions | None = None) -> Decision:
    """Postman's algorithm as written: every example of the method, in collection order."""
    prepared = PreparedCall(call, options or MatchOptions(), read_directives(call.headers))
    directives = prepared.directives
    candidates = [
        e
        for e in index.examples
        if e.method == prepared.method and (directives.code is None or e.code == directives.code)
    ]
    if directives.response_id is not None:
        wanted = directives.response_id
        exact = [e for e in candidates if e.id == wanted]
        by_uid = [e for e in candidates if wanted.endswith("-" + e.id)]
        found = next(iter(exact or by_uid), None)
        how = How.RESPONSE_ID if found is not None else How.NOT_FOUND
        return Decision(found, how, directives=directives)
    if directives.response_name is not None:
        named = [e for e in candidates if e.name == directives.response_name]
        chosen, captures, _ = choose_named(prepared, named)
        how = How.RESPONSE_NAME if chosen is not None else How.NOT_FOUND
        return Decision(chosen, how, captures=captures, directives=directives)
    return decide(index, prepared, best_of(prepared, index.examples))


def explain_by_scan(index: Index, call: PreparedCall) -> tuple[Miss, ...]:
    """`explain` over every example: the reference the pruned one must agree with."""
    sent = call.path.stripped_lower[:PATH_CHARS]
    return closest(
        index,
        call,
        [
            (position, similarity(sent, example.path.stripped_lower[:PATH_CHARS]))
            for position, example in enumerate(index.examples)
        ],
    )
