"""Postman's algorithm: (index, call) -> the example that answers, with its score and reasons.

1. Method. 2. `x-mock-response-code`, then `-id`, then `-name`. 3. URL path score (the
ladder in `paths`). 4. Query score. 5. Header and body matching, or +5 for an equal body.
6. Highest score; at an equal score the closer path (`paths`), then the first example with
code 200, else the first in collection order. When nothing is left, `explain` says, for the
closest examples, what dropped them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mockpost.calls.call import Call
from mockpost.calls.record import How
from mockpost.matching.compile import IndexedExample
from mockpost.matching.directives import Directives, read_directives
from mockpost.matching.evaluate import Chooser, PreparedCall, Scored, best_of
from mockpost.matching.explain import Miss, explain
from mockpost.matching.index import Index, in_order
from mockpost.matching.options import MatchOptions
from mockpost.matching.paths import CallPath, PathMatch, score_path


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Decision:
    example: IndexedExample | None  # None: nothing answers (the not-found response)
    how: How = How.SCORE
    score: float = 0.0
    path_step: str = ""
    captures: Mapping[str, str] = field(default_factory=dict)
    directives: Directives = field(default_factory=Directives)
    notes: tuple[str, ...] = ()
    misses: tuple[Miss, ...] = ()
    offered: tuple[int, ...] = ()  # Prefer: code=N that nothing has: the codes there are
    session: str = ""  # a collection with state: the call's session
    state: tuple[tuple[str, str, str], ...] = ()  # (scenario, before, after) of the answer


def first_by_id(candidates: Sequence[IndexedExample], wanted: str) -> IndexedExample | None:
    """The example with that id, else the first whose id ends the UID form `<owner>-<id>`."""
    for example in candidates:
        if example.id == wanted:
            return example
    return next((e for e in candidates if wanted.endswith("-" + e.id)), None)


def choose_named(
    call: PreparedCall, named: Sequence[IndexedExample]
) -> tuple[IndexedExample | None, Mapping[str, str], tuple[str, ...]]:
    """Among the examples of one name (in collection order): those whose path matches the call
    best, then the first with code 200, else the first. With the captures of its path, and a
    note saying why when several share the name."""
    if not named:
        return None, {}, ()
    matches = [(e, score_path(e.path, call.path, fuzzy=call.fuzzy)) for e in named]
    top = max(
        ((found.score, found.closeness) for _, found in matches if found is not None),
        default=None,
    )
    pool: list[tuple[IndexedExample, PathMatch | None]]
    if top is not None:
        pool = [
            (e, found)
            for e, found in matches
            if found is not None and (found.score, found.closeness) == top
        ]
    else:
        pool = list(matches)
    chosen, found = next(((e, f) for e, f in pool if e.code == 200), pool[0])
    captures = found.captures if found is not None else {}
    if len(named) == 1:
        return chosen, captures, ()
    if found is not None:
        why = f"its path matches best ({found.step})"
    else:
        why = "no path of theirs matches: the first with code 200, else the first"
    note = (
        f"{len(named)} {call.method} examples are named {chosen.name!r}; "
        f"the one of {chosen.example.request_name!r} answered: {why}"
    )
    return chosen, captures, (note,)


def _decided_by_header(index: Index, call: PreparedCall) -> Decision | None:
    """Steps 3.2 and 3.3: x-mock-response-id and -name decide alone when present."""
    directives = call.directives
    if directives.response_id is None and directives.response_name is None:
        return None
    notes = directives.notes
    if directives.response_id is not None:
        wanted = directives.response_id
        found = first_by_id(_kept(call, index.by_id.get(wanted, ())), wanted)
        if found is None:  # `<owner>-<id>`: the id follows one of the dashes
            suffixes = (wanted[i + 1 :] for i, mark in enumerate(wanted) if mark == "-")
            owners = in_order([e for s in suffixes for e in _kept(call, index.by_id.get(s, ()))])
            found = first_by_id(owners, wanted)
        if found is None:
            notes += (f"no {call.method} example has id {wanted!r}",)
            return Decision(None, How.NOT_FOUND, directives=directives, notes=notes)
        return Decision(found, How.RESPONSE_ID, directives=directives, notes=notes)
    name = directives.response_name
    assert name is not None
    chosen, captures, why = choose_named(call, _kept(call, index.by_name.get(name, ())))
    if chosen is None:
        notes += (f"no {call.method} example is named {name!r}",)
        return Decision(None, How.NOT_FOUND, directives=directives, notes=notes)
    return Decision(
        chosen, How.RESPONSE_NAME, captures=captures, directives=directives, notes=notes + why
    )


def _kept(call: PreparedCall, found: Sequence[IndexedExample]) -> list[IndexedExample]:
    """The examples of the call's method (and `x-mock-response-code`) among those found."""
    method, code = call.method, call.code
    return [e for e in found if e.method == method and (code is None or e.code == code)]


def _best(index: Index, call: PreparedCall) -> Scored | None:
    """The index gives the examples that can match at steps 100 to 75; the distance step (70)
    runs only when none of those scores above what a distance match could reach, and meets
    only the examples whose paths are close enough to matter."""
    entry = index.method(call.method)
    near = entry.near(call.path)
    best = best_of(call, near)
    if call.fuzzy and (best is None or best.score <= call.distance_ceiling):
        close = entry.within_distance(call.path)
        if close:  # the winner among both, in collection order: the tie rule depends on it
            best = best_of(call, in_order([*near, *close]))
    return best


def decide(index: Index, call: PreparedCall, best: Scored | None) -> Decision:
    """The decision for a call matched by score, explained when nothing answered."""
    directives = call.directives
    if best is None:
        misses = explain(index, call)
        return Decision(
            None,
            How.NOT_FOUND,
            directives=directives,
            notes=directives.notes,
            misses=misses,
            offered=_offered(index, call) if directives.code_preferred else (),
        )
    return Decision(
        best.example,
        How.SCORE,
        score=best.score,
        path_step=best.step,
        captures=best.captures,
        directives=directives,
        notes=directives.notes,
    )


def match(
    index: Index,
    call: Call,
    options: MatchOptions | None = None,
    states: Mapping[str, str] | None = None,
    chooser: Chooser | None = None,
) -> Decision:
    """Choose the example that answers the call, or a decision with none and the reasons;
    `states`: each scenario's state (its examples of other states are not candidates);
    `chooser`: picks among the best of a request that answers in turn or at random."""
    directives = read_directives(call.headers)
    prepared = PreparedCall(call, options or MatchOptions(), directives, states, chooser)
    decided = _decided_by_header(index, prepared)
    if decided is not None:
        return decided
    return decide(index, prepared, _best(index, prepared))


def _offered(index: Index, call: PreparedCall) -> tuple[int, ...]:
    """For Prism's `Prefer: code=N` that no example has: the codes of the examples that
    would answer the call without it (those of the same request, method and path)."""
    asked, call.code = call.code, None
    try:
        best = _best(index, call)
    finally:
        call.code = asked
    if best is None:
        return ()
    found = best.example
    return tuple(
        sorted(
            {
                e.code
                for e in index.candidates(found.method)
                if e.example.request_name == found.example.request_name
                and e.path.text == found.path.text
            }
        )
    )


def methods_for_path(index: Index, path: str, fuzzy: bool = True) -> tuple[str, ...]:
    """The methods of the examples whose path matches (for CORS preflights), by the index."""
    call_path = CallPath(path)
    methods: list[str] = []
    for method, entry in index.methods.items():
        candidates = [*entry.near(call_path), *(entry.within_distance(call_path) if fuzzy else ())]
        if any(score_path(e.path, call_path, fuzzy=fuzzy) is not None for e in candidates):
            methods.append(method)
    return tuple(methods)
