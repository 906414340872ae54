"""Levenshtein distances, computed by rapidfuzz in C++, imported when first needed.

Most calls meet an example's path at the exact steps and never reach the distance step or a
404's explanation: start-up does not wait for rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockpost.matching.compile import IndexedExample

Ranked = list[tuple[str, float, int]]  # (choice, likeness 0..1, position), best first


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions): hundreds of times faster than
    the same loop in Python, for the distance step and for explaining every 404."""
    return _distance()(a, b)


def ranked(
    text: str, choices: Sequence[str], *, cutoff: float | None = None, limit: int | None = None
) -> Ranked:
    """The choices by normalized Levenshtein likeness to `text`, in one pass in C; those
    under `cutoff` are left out (rapidfuzz may also leave out one exactly at it)."""
    return _extract()(text, choices, cutoff, limit)


@cache
def _distance() -> Callable[[str, str], int]:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance


@cache
def _extract() -> Callable[[str, Sequence[str], float | None, int | None], Ranked]:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    def extract(
        text: str, choices: Sequence[str], cutoff: float | None, limit: int | None
    ) -> Ranked:
        return process.extract(
            text,
            choices,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=cutoff,
            limit=limit,
        )

    return extract


def explain_table(
    examples: tuple[IndexedExample, ...],
) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """The distinct paths as `explain` compares them (their first 200 characters, lower
    case, trimmed), and the positions of each one's examples."""
    owners: dict[str, list[int]] = {}
    for position, indexed in enumerate(examples):
        owners.setdefault(indexed.path.stripped_lower[:200], []).append(position)
    return tuple(owners), tuple(tuple(found) for found in owners.values())
