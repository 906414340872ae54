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
