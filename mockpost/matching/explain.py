"""Why nothing answered a call: the closest examples, each with the step that dropped it.

The examples' distinct paths are ranked by likeness to the call's in one pass in C
(rapidfuzz); the examples of the likeliest are evaluated, by the same `evaluate` that matching
uses, and more only when one further down could still make the top.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockpost.matching.compile import IndexedExample
from mockpost.matching.distance import Ranked, ranked
from mockpost.matching.evaluate import PreparedCall, Rejected, Stage, evaluate
from mockpost.matching.index import Index

MAX_MISSES = 3
STAGE_WEIGHT = 0.1  # each step an example got through counts as 10% more path likeness
EXPLAIN_FIRST = 50  # paths whose examples are looked at closely first, by path likeness
EXPLAIN_MOST = 1000  # and at most this many: the explanation of a 404 stays cheap
PATH_CHARS = 200  # paths are compared on their first 200 characters


@dataclass(frozen=True, slots=True)
class Miss:
    """An example that did not answer, how far it got and what dropped it."""

    example: IndexedExample
    stage: Stage
    closeness: float  # path likeness, plus a little for each step it got through
    reason: str


def explain(index: Index, call: PreparedCall, first: int = EXPLAIN_FIRST) -> tuple[Miss, ...]:
    """The examples closest to a call that nothing answered, each with what dropped it.

    The examples of the `first` likeliest paths are evaluated first. Never more than those of
    EXPLAIN_MOST paths are: past that, the closest are among the EXPLAIN_MOST likeliest.
    """
    sent = call.path.stripped_lower[:PATH_CHARS]
    likeliest = ranked(sent, index.explain_paths, limit=EXPLAIN_MOST)  # best first
    taken = likeliest[:first]
    top = closest(index, call, _owners(index, taken))
    if len(taken) == len(likeliest):
        return top
    reach = STAGE_WEIGHT * max(Stage) + 1e-9
    if len(top) == MAX_MISSES and top[-1].closeness > taken[-1][1] + reach:
        return top  # nothing further down can climb above the third
    cutoff = max(top[-1].closeness - reach, 0.0) if len(top) == MAX_MISSES else 0.0
    return closest(index, call, _owners(index, [r for r in likeliest if r[1] >= cutoff]))


def _owners(index: Index, paths: Ranked) -> list[tuple[int, float]]:
    """The positions of the examples whose paths these are, each with its path's likeness."""
    return [(p, likeness) for _, likeness, i in paths for p in index.explain_owners[i]]


def closest(index: Index, call: PreparedCall, scored: list[tuple[int, float]]) -> tuple[Miss, ...]:
    """The closest distinct misses among these examples (position, likeness of its path)."""
    found: list[tuple[float, int, Rejected]] = []
    for position, likeness in sorted(scored):  # collection order, for the stable sort below
        verdict = evaluate(index.examples[position], call)
        if isinstance(verdict, Rejected):
            found.append((likeness + STAGE_WEIGHT * verdict.stage, position, verdict))
    found.sort(key=_closeness, reverse=True)  # stable: collection order among equals
    distinct: dict[tuple[str, str, str], Miss] = {}
    for closeness, position, verdict in found:  # one line per endpoint and reason
        example = index.examples[position]
        key = (example.method, example.path.text, verdict.reason)
        if key not in distinct:
            reason = verdict.reason
            emptied = example.emptied
            if emptied:  # the likeliest cause, said where the user looks first
                names = ", ".join("{{" + name + "}}" for name in emptied)
                reason += f" (its path is {example.path.text}: {names} is empty)"
            distinct[key] = Miss(example, verdict.stage, closeness, reason)
            if len(distinct) == MAX_MISSES:
                break
    return tuple(distinct.values())


def _closeness(found: tuple[float, int, Rejected]) -> float:
    return found[0]
