"""Which example answers a call: Postman's matching, and the state a collection keeps.

A collection with scenario tags or `[in-turn]`/`[random]` requests (`state/tags.py`) is
matched with its session's scenario states (an example of another state is no candidate) and
its chooser (the best examples in turn, or at random); the example that answers moves its
scenario. A collection without them is matched exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from mockpost.calls.call import Call
from mockpost.matching.compile import IndexedExample
from mockpost.matching.evaluate import Chooser
from mockpost.matching.index import Index
from mockpost.matching.match import Decision, match
from mockpost.matching.options import MatchOptions
from mockpost.state.store import StateStore, session_of


def decided(
    index: Index, options: MatchOptions, call: Call, store: StateStore, stateful: bool
) -> Decision:
    """The decision for a call; with state, its session and what it did to a scenario."""
    if not stateful and "x-mockpost-mode" not in call.headers:
        return _matched(index, options, call)
    session = session_of(call.headers)
    states = store.states(session)

    def chooser(mode: str, examples: tuple[IndexedExample, ...]) -> int:
        return store.choose(session, mode, [e.position for e in examples])

    decision = _matched(index, options, call, states, chooser)
    decision.session = session
    tag = decision.example.tag if decision.example is not None else None
    if tag is not None:
        before, after = store.move(session, tag.scenario, tag.next)
        decision.state = ((tag.scenario, before, after),)
        if before != after:
            decision.notes += (f"scenario {tag.scenario}: {before} -> {after}",)
    return decision


def _matched(
    index: Index,
    options: MatchOptions,
    call: Call,
    states: Mapping[str, str] | None = None,
    chooser: Chooser | None = None,
) -> Decision:
    """Postman's matching; a HEAD call that no HEAD example answers is matched as a GET (its
    answer goes without a body, as HTTP says)."""
    decision = match(index, call, options, states, chooser)
    if decision.example is None and call.method == "HEAD":
        as_get = match(index, replace(call, method="GET"), options, states, chooser)
        if as_get.example is not None:
            as_get.notes += ("no HEAD example: answered as a GET, without its body",)
            return as_get
    return decision
