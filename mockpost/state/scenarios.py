"""The scenarios a collection's tags name, and where each starts.

A scenario starts in `Started` when an example of it requires `Started`; else in the state
its first tag in collection order requires (or moves it to, when that tag requires `*`). A
collection without tags has no scenario, and answers as it always did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from mockpost.state.tags import ANY, STARTED, ScenarioTag


class Tagged(Protocol):
    @property
    def tag(self) -> ScenarioTag | None: ...


def first_states(examples: Sequence[Tagged]) -> Mapping[str, str]:
    """Each scenario's first state, in the order the collection names them."""
    tags = [e.tag for e in examples if e.tag is not None]
    required: dict[str, set[str]] = {}
    for tag in tags:
        required.setdefault(tag.scenario, set()).add(tag.required)
    first: dict[str, str] = {}
    for tag in tags:
        if tag.scenario in first:
            continue
        if STARTED in required[tag.scenario]:
            first[tag.scenario] = STARTED
        elif tag.required != ANY:
            first[tag.scenario] = tag.required
        else:
            first[tag.scenario] = tag.next or STARTED
    return first


def is_stateful(index: Any) -> bool:
    """Whether an index's answers depend on state: scenario tags, or a request answering in
    turn or at random."""
    return bool(index.scenarios) or any(e.mode != "score" for e in index.examples)


def described(examples: Sequence[Any]) -> list[dict[str, Any]]:
    """Each scenario for `validate` and `routes`: its first state, its states, the
    transitions (by example), and warnings: a state required that nothing sets, a state set
    that nothing requires."""
    first = first_states(examples)
    out = []
    for scenario, start in first.items():
        tags = [(e, e.tag) for e in examples if e.tag is not None and e.tag.scenario == scenario]
        required = {t.required for _, t in tags if t.required != ANY}
        set_to = {t.next for _, t in tags if t.next is not None}
        reached = set_to | {start}
        warnings = [
            f"state {s!r} is required, but no example sets it" for s in sorted(required - reached)
        ]
        if not any(t.required == ANY for _, t in tags):
            warnings += [
                f"state {s!r} is set, but no example requires it" for s in sorted(set_to - required)
            ]
        out.append(
            {
                "scenario": scenario,
                "first": start,
                "states": sorted(required | reached),
                "transitions": [
                    {
                        "example": e.display,
                        "request": e.example.request_name,
                        "from": t.required,
                        "to": t.next,
                    }
                    for e, t in tags
                    if t.next is not None
                ],
                "warnings": warnings,
            }
        )
    return out
