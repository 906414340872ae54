"""One evaluation per example: its score for a call, or the step that dropped it and why.

Matching takes the best score; the explanation of an unanswered call takes the closest
rejections. Both come from `evaluate`, so that what a 404 says is what matching did.

Steps: method, `x-mock-response-code`, path (the ladder in `paths`), headers (when asked),
body (when asked); the score is the path step's, plus the query's (+10 at most), plus 5 for
an equal body when bodies are not matched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

from mockpost.calls.body import CallBody
from mockpost.calls.call import Call
from mockpost.matching.bodies import bodies_equal
from mockpost.matching.compile import NO_QUERY, IndexedExample
from mockpost.matching.directives import Directives
from mockpost.matching.options import MatchOptions
from mockpost.matching.paths import CallPath, score_path

# In turn or at random among the best: (mode, the best examples in collection order) -> which.
Chooser = Callable[[str, tuple[IndexedExample, ...]], int]
EQUAL_BODY_BONUS = 5
DISTANCE_SCORE = 70  # the last path step
ALL_QUERY_MATCH = 10.0  # the most query parameters add


class Stage(IntEnum):
    """The steps an example goes through, in order: a later one means a closer example."""

    METHOD = 0
    CODE = 1
    PATH = 2
    STATE = 3  # a scenario in another state than the example requires
    HEADERS = 4
    BODY = 5


@dataclass(frozen=True, slots=True)
class Rejected:
    """An example a call did not take: the step that dropped it and why."""

    stage: Stage
    reason: str


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Scored:
    """An example that passed every step, with its score."""

    score: float
    example: IndexedExample
    step: str  # the path step that matched
    captures: Mapping[str, str]
    closeness: float = 0.0  # how close its path is, within its step (`paths`)


def score_query(expected: Counter[tuple[str, str]], sent: Counter[tuple[str, str]]) -> float:
    """+10 when all pairs match, +10 x percentage when some do, - missing (max 10) when none."""
    if not expected and not sent:
        return ALL_QUERY_MATCH
    matches = sum((expected & sent).values())
    left_expected = Counter(key for key, _ in (expected - sent).elements())
    left_sent = Counter(key for key, _ in (sent - expected).elements())
    partials = sum((left_expected & left_sent).values())
    missing = sum((left_expected - left_sent).values()) + sum((left_sent - left_expected).values())
    total = matches + partials + missing
    if matches == total:
        return ALL_QUERY_MATCH
    if matches:
        return ALL_QUERY_MATCH * matches / total
    return -float(min(missing, 10))


def headers_differ(
    example: IndexedExample, call: Call, names: Iterable[str]
) -> tuple[str, str | None, str | None] | None:
    """The first listed header whose value differs: (name, expected, sent), or None."""
    for name in names:
        expected = example.headers.get(name)
        sent = call.headers.get(name)
        expected = expected.strip() if expected is not None else None
        sent = sent.strip() if sent is not None else None
        if expected != sent:
            return name, expected, sent
    return None


def among_best(tied: list[Scored], found: Scored) -> list[Scored]:
    """The examples of the best score so far (`tied`), with `found` weighed in."""
    if not tied or found.score > tied[0].score:
        return [found]
    if found.score == tied[0].score:
        tied.append(found)
    return tied


def pick(tied: Sequence[Scored], accept: str | None = None) -> Scored:
    """The winner among examples of one score, in collection order: of those that matched
    by the same path step, only the closest paths stay (the more specific, or the nearer
    by distance: `paths`); then Postman's rule, the first with code 200, else the first.
    [mockpost] Among the examples of that code, the call's `Accept` (when it sends one) takes
    the first whose Content-Type it prefers most: a JSON and an XML answer of one request."""
    if len(tied) == 1:
        return tied[0]
    closest: dict[str, float] = {}
    for found in tied:
        closest[found.step] = max(closest.get(found.step, found.closeness), found.closeness)
    kept = [found for found in tied if found.closeness == closest[found.step]]
    chosen = next((found for found in kept if found.example.code == 200), kept[0])
    if accept and len(kept) > 1:
        same = [found for found in kept if found.example.code == chosen.example.code]
        if len(same) > 1:
            liked = [quality(accept, found.example.content_type) for found in same]
            if max(liked) > liked[same.index(chosen)]:
                chosen = same[liked.index(max(liked))]
    return chosen


def negotiates(examples: tuple[IndexedExample, ...]) -> bool:
    """Whether two examples of one request, method, path and code are saved with different
    Content-Types (then a call's Accept chooses between them)."""
    seen: dict[tuple[str, str, str, int], str] = {}
    for example in examples:
        key = (example.example.request_name, example.method, example.path.text, example.code)
        kind = example.content_type.split(";")[0].strip().lower()
        if seen.setdefault(key, kind) != kind:
            return True
    return False


def quality(accept: str, content_type: str) -> float:
    """How much an `Accept` header wants a media type: the q of the most specific range
    that covers it (0: not at all)."""
    wanted = content_type.split(";")[0].strip().lower()
    kind = wanted.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for part in accept.lower().split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media == wanted and wanted:
            specific = 2
        elif media == f"{kind}/*" and wanted:
            specific = 1
        elif media == "*/*":
            specific = 0
        else:
            continue
        best = max(best, (specific, q))
    return best[1]


class PreparedCall:
    """A call in the forms the steps compare, and the rules in force for it, made once."""

    __slots__ = (
        "body_sent",
        "call",
        "chooser",
        "code",
        "directives",
        "fuzzy",
        "header_names",
        "match_body",
        "method",
        "path",
        "query",
        "states",
    )

    def __init__(
        self,
        call: Call,
        options: MatchOptions,
        directives: Directives,
        states: Mapping[str, str] | None = None,
        chooser: Chooser | None = None,
    ) -> None:
        self.call = call
        self.states = states  # each scenario's state, for a collection with scenarios
        self.chooser = chooser  # picks among the best in turn or at random (`state/`)
        self.method = call.method.upper()
        self.path = CallPath(call.path)
        self.query = Counter(call.query) if call.query else NO_QUERY
        self.body_sent = bool(call.body) and bool(call.body.strip())
        self.directives = directives
        self.code = directives.code
        self.fuzzy = options.fuzzy
        self.match_body = (
            options.match_body if directives.match_body is None else directives.match_body
        )
        self.header_names = (
            options.match_headers if directives.match_headers is None else directives.match_headers
        )

    @property
    def body(self) -> CallBody:
        return self.call.parsed_body

    @property
    def distance_ceiling(self) -> float:
        """The most an example matched by document distance can score for this call."""
        bonus = EQUAL_BODY_BONUS if self.body_sent and not self.match_body else 0
        return DISTANCE_SCORE + ALL_QUERY_MATCH + bonus


def evaluate(example: IndexedExample, call: PreparedCall) -> Scored | Rejected:
    """Every step for one example: its score, or what dropped it."""
    if example.method != call.method:
        return Rejected(Stage.METHOD, f"method is {example.method}, not {call.method}")
    if call.code is not None and example.code != call.code:
        return Rejected(Stage.CODE, f"code is {example.code}, not {call.code}")
    found = score_path(example.path, call.path, fuzzy=call.fuzzy)
    if found is None:
        return Rejected(Stage.PATH, f"path {example.path.text} does not match")
    tag = example.tag
    if tag is not None and call.states is not None:
        state = call.states.get(tag.scenario, "")
        if not tag.allows(state):
            why = f"scenario {tag.scenario} is {state!r}; it answers in {tag.required!r}"
            return Rejected(Stage.STATE, why)
    if call.header_names:
        differ = headers_differ(example, call.call, call.header_names)
        if differ is not None:
            name, expected, sent = differ
            return Rejected(Stage.HEADERS, f"header {name}: expected {expected!r}, got {sent!r}")
    score = found.score + score_query(example.query, call.query)
    if call.match_body:
        if not bodies_equal(example.body, call.body):
            return Rejected(Stage.BODY, "request body differs")
    elif call.body_sent and bodies_equal(example.body, call.body):
        score += EQUAL_BODY_BONUS
    return Scored(score, example, found.step, found.captures, found.closeness)


def best_of(call: PreparedCall, examples: Iterable[IndexedExample]) -> Scored | None:
    """The winner among examples taken in collection order (the tie rule depends on it)."""
    tied: list[Scored] = []  # those of the best score so far
    for example in examples:
        found = evaluate(example, call)
        if isinstance(found, Scored):
            tied = among_best(tied, found)
    if not tied:
        return None
    if call.chooser is not None and len(tied) > 1:
        mode = call.directives.mode or tied[0].example.mode
        if mode != "score":  # a request's [in-turn] or [random], or the call's x-mockpost-mode
            return tied[call.chooser(mode, tuple(found.example for found in tied))]
    return pick(tied, call.call.headers.get("accept"))
