"""Which example answers an example's own call: what `validate` needs for every example.

`match` would do, but asking it for each of 2,000 examples of one endpoint evaluates 2,000
candidates 2,000 times. Here the example itself is evaluated first, and any other candidate
is evaluated in full only when the most it could score (its path step's score, +10 for the
query only when its query is the call's, +5 only for a body that may be equal) could still
beat it. The answer is `match`'s, exactly (a property test holds it to that).
"""

from __future__ import annotations

from collections.abc import Iterable

from mockpost.matching.bodies import graphql_sent, may_be_equal
from mockpost.matching.compile import IndexedExample
from mockpost.matching.evaluate import (
    ALL_QUERY_MATCH,
    EQUAL_BODY_BONUS,
    PreparedCall,
    Scored,
    evaluate,
)
from mockpost.matching.paths import LOOSE_MAX, PathMatch, PathPattern, score_path

Rank = tuple[float, bool, int]  # score, code 200, earlier in collection order


def _rank(score: float, example: IndexedExample) -> Rank:
    """What decides between two examples, in any order: the score, then code 200, then the
    first in collection order (as `beats` decides in collection order)."""
    return (score, example.code == 200, -example.position)


def best_for(
    call: PreparedCall, own: IndexedExample, candidates: Iterable[IndexedExample]
) -> Scored | None:
    """The example that answers `call` among `own` (the example the call was made for) and
    the candidates (every example that can match it: the index's)."""
    found = evaluate(own, call)
    best = found if isinstance(found, Scored) else None
    best_rank = _rank(best.score, own) if best is not None else None
    paths: dict[PathPattern, PathMatch | None] = {}
    bonus = EQUAL_BODY_BONUS if call.body_sent and not call.match_body else 0
    graphql = graphql_sent(call.body) if bonus else None
    loose_ceiling = LOOSE_MAX + ALL_QUERY_MATCH + bonus
    stripped = call.path.stripped_lower
    for example in candidates:
        if example is own:
            continue
        if best_rank is not None:
            pattern = example.path
            if loose_ceiling < best_rank[0] and pattern.stripped_lower != stripped:
                continue  # a path that differs scores 80 at most: no need to score it
            if pattern in paths:
                path = paths[pattern]
            else:
                path = paths[pattern] = score_path(pattern, call.path, fuzzy=call.fuzzy)
            if path is None:
                continue  # its path is not the call's: dropped
            body = bonus if bonus and may_be_equal(example.body, graphql) else 0
            ceiling = path.score + ALL_QUERY_MATCH + body
            if dict.__eq__(example.query, call.query):
                if _rank(ceiling, example) < best_rank:
                    continue
            elif ceiling <= best_rank[0]:
                continue  # a query that is not the call's scores under +10
        found = evaluate(example, call)
        if isinstance(found, Scored) and (
            best_rank is None or _rank(found.score, example) > best_rank
        ):
            best, best_rank = found, _rank(found.score, example)
    return best
