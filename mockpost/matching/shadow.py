"""Which example answers an example's own call: what `validate` needs for every example.

`match` would do, but asking it for each of 2,000 examples of one endpoint evaluates 2,000
candidates 2,000 times. Here the example itself is evaluated first, and any other candidate
is evaluated in full only when the most it could score (its path step's score, +10 for the
query only when its query is the call's, +5 only for a body that may be equal) could still
reach the best score so far; a path that differs from the call's other than in case and
trailing slash scores 80 at most, without being scored. Those of the best score are then
decided as `match` decides them (`pick`): the answer is `match`'s, exactly (a property test
holds it to that).
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
    among_best,
    evaluate,
    pick,
)
from mockpost.matching.paths import LOOSE_MAX, PathMatch, PathPattern, score_path


def best_for(
    call: PreparedCall, own: IndexedExample, candidates: Iterable[IndexedExample]
) -> Scored | None:
    """The example that answers `call` among `own` (the example the call was made for) and
    the candidates (every example that can match it: the index's)."""
    found = evaluate(own, call)
    tied: list[Scored] = [found] if isinstance(found, Scored) else []
    paths: dict[PathPattern, PathMatch | None] = {}
    bonus = EQUAL_BODY_BONUS if call.body_sent and not call.match_body else 0
    graphql = graphql_sent(call.body) if bonus else None
    loose_ceiling = LOOSE_MAX + ALL_QUERY_MATCH + bonus
    stripped = call.path.stripped_lower
    for example in candidates:
        if example is own:
            continue
        if tied:
            top = tied[0].score
            pattern = example.path
            if loose_ceiling < top and pattern.stripped_lower != stripped:
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
                if ceiling < top:
                    continue
            elif ceiling <= top:
                continue  # a query that is not the call's scores under +10
        found = evaluate(example, call)
        if isinstance(found, Scored):
            tied = among_best(tied, found)
    tied.sort(key=lambda scored: scored.example.position)  # `pick` reads collection order
    return pick(tied) if tied else None
