"""Postman's matching algorithm: (index, call) -> a decision with its score and reasons.

1. Method. 2. `x-mock-response-code`, then `-id`, then `-name`. 3. URL path score (the
ladder in `paths`). 4. Query score. 5. Header and body matching, or +5 for an equal body.
6. Highest score; ties go to the first example with code 200, else the first in collection
order. When nothing is left, `explain` says, for the closest examples, what dropped them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from mockpost.bodies import CallBody, bodies_equal
from mockpost.directives import Directives, has_directives, read_directives
from mockpost.index import NO_QUERY, Index, IndexedExample, in_order
from mockpost.paths import CallPath, score_path, similarity

Pairs = tuple[tuple[str, str], ...]
EQUAL_BODY_BONUS = 5
DISTANCE_SCORE = 70  # the last path step
ALL_QUERY_MATCH = 10.0  # the most query parameters add
MAX_MISSES = 3
STAGE_WEIGHT = 0.1  # each step an example got through counts as 10% more path likeness


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Call:
    """An incoming HTTP call, as the core sees it (header names in lower case)."""

    method: str
    path: str
    query: Pairs = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """Server-wide settings; a call's `x-mock-match-*` headers win over them."""

    match_body: bool = False
    match_headers: tuple[str, ...] = ()
    fuzzy: bool = True


@dataclass(frozen=True, slots=True)
class Miss:
    """An example that did not answer, how far it got and what dropped it."""

    example: IndexedExample
    stage: int  # 0 method, 1 code, 2 path, 3 headers, 4 body: what dropped it
    closeness: float  # path likeness, plus a little for each step it got through
    reason: str


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Decision:
    example: IndexedExample | None
    score: float = 0.0
    how: str = "score"  # "score", "x-mock-response-id" or "x-mock-response-name"
    path_step: str = ""
    captures: Mapping[str, str] = field(default_factory=dict)
    directives: Directives = field(default_factory=Directives)
    notes: tuple[str, ...] = ()
    misses: tuple[Miss, ...] = ()


def score_query(expected: Counter[tuple[str, str]], sent: Counter[tuple[str, str]]) -> float:
    """+10 when all pairs match, +10 x percentage when some do, - missing (max 10) when none."""
    if not expected and not sent:
        return ALL_QUERY_MATCH
    matches = sum((expected & sent).values())
    left_expected = Counter(k for (k, _), n in (expected - sent).items() for _ in range(n))
    left_sent = Counter(k for (k, _), n in (sent - expected).items() for _ in range(n))
    partials = sum((left_expected & left_sent).values())
    missing = sum((left_expected - left_sent).values()) + sum((left_sent - left_expected).values())
    total = matches + partials + missing
    if matches == total:
        return 10.0
    if matches:
        return 10.0 * matches / total
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


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Scored:
    """An example that survived every step, with its score."""

    score: float
    example: IndexedExample
    step: str
    captures: Mapping[str, str]


def beats(challenger: Scored, best: Scored) -> bool:
    """Whether a later example takes the lead: a higher score, or a tie won by code 200."""
    if challenger.score != best.score:
        return challenger.score > best.score
    return best.example.code != 200 and challenger.example.code == 200


class PreparedCall:
    """A call in the forms the steps compare, computed once for all candidates."""

    __slots__ = (
        "_body",
        "body_sent",
        "call",
        "fuzzy",
        "header_names",
        "match_body",
        "path",
        "query",
    )

    def __init__(self, call: Call, options: MatchOptions, directives: Directives) -> None:
        self.call = call
        self.path = CallPath.of(call.path)
        self.query = Counter(call.query) if call.query else NO_QUERY
        self._body: CallBody | None = None
        self.body_sent = bool(call.body) and bool(call.body.strip())
        self.fuzzy = options.fuzzy
        self.match_body = (
            options.match_body if directives.match_body is None else directives.match_body
        )
        self.header_names = (
            options.match_headers if directives.match_headers is None else directives.match_headers
        )

    @property
    def body(self) -> CallBody:
        """The body, read only when a step compares bodies."""
        if self._body is None:
            self._body = CallBody(self.call.body, self.call.content_type)
        return self._body

    @property
    def distance_ceiling(self) -> float:
        """The most an example matched by document distance can score for this call."""
        bonus = EQUAL_BODY_BONUS if self.body_sent and not self.match_body else 0
        return DISTANCE_SCORE + ALL_QUERY_MATCH + bonus

    def score(self, example: IndexedExample) -> Scored | None:
        """Steps 4-6 for one example: its score, or None when a step drops it."""
        found = score_path(example.path, self.path, fuzzy=self.fuzzy)
        if found is None:
            return None
        if self.header_names and headers_differ(example, self.call, self.header_names):
            return None
        score = found.score + score_query(example.query, self.query)
        if self.match_body:
            if not bodies_equal(example.body, self.body):
                return None
        elif self.body_sent and bodies_equal(example.body, self.body):
            score += EQUAL_BODY_BONUS
        return Scored(score, example, found.step, found.captures)


def score_example(
    example: IndexedExample, call: Call, options: MatchOptions | None = None
) -> Scored | None:
    """How one example scores for a call (method and x-mock-response-* aside)."""
    return PreparedCall(call, options or MatchOptions(), read_directives(call.headers)).score(
        example
    )


def _by_id(candidates: Iterable[IndexedExample], wanted: str) -> IndexedExample | None:
    """The example with that id, or with the UID form `<owner>-<id>` (a scan, in order)."""
    fallback: IndexedExample | None = None
    for example in candidates:
        if example.id == wanted:
            return example
        if fallback is None and wanted.endswith("-" + example.id):
            fallback = example
    return fallback


def _by_name(candidates: Iterable[IndexedExample], wanted: str) -> IndexedExample | None:
    """The example with that name: the first with code 200, else the first (a scan)."""
    named = [e for e in candidates if e.name == wanted]
    return next((e for e in named if e.code == 200), named[0] if named else None)


class Lookup:
    """Finds examples by id and by name as a scan of `candidates` would, by lookups."""

    def __init__(self, index: Index, method: str, code: int | None) -> None:
        self.index = index
        self.method = method.upper()
        self.code = code

    def _kept(self, found: Iterable[IndexedExample]) -> list[IndexedExample]:
        method, code = self.method, self.code
        return [e for e in found if e.method == method and (code is None or e.code == code)]

    def by_id(self, wanted: str) -> IndexedExample | None:
        exact = self._kept(self.index.by_id.get(wanted, ()))
        if exact:
            return exact[0]
        # `<owner>-<id>`: the id is what follows one of the dashes; the first in order wins.
        suffixes = (wanted[i + 1 :] for i, mark in enumerate(wanted) if mark == "-")
        found = [e for s in suffixes for e in self._kept(self.index.by_id.get(s, ()))]
        return min(found, key=_position) if found else None

    def by_name(self, wanted: str) -> IndexedExample | None:
        return _by_name(self._kept(self.index.by_name.get(wanted, ())), wanted)


def _position(example: IndexedExample) -> int:
    return example.position


def _best(
    prepared: PreparedCall, examples: Iterable[IndexedExample], code: int | None
) -> Scored | None:
    """The winner among examples taken in collection order (the tie rule depends on it)."""
    best: Scored | None = None
    for example in examples:
        if code is not None and example.code != code:
            continue
        scored = prepared.score(example)
        if scored is not None and (best is None or beats(scored, best)):
            best = scored
    return best


def _headers_decide(
    index: Index, call: Call, directives: Directives, *, scan: bool = False
) -> Decision | None:
    """Steps 3.2 and 3.3: x-mock-response-id and -name decide alone when present.

    By lookups in the index, or (`scan`) by a scan of the method's examples.
    """
    if directives.response_id is None and directives.response_name is None:
        return None
    notes = directives.notes
    by_id: Callable[[str], IndexedExample | None]
    by_name: Callable[[str], IndexedExample | None]
    if scan:
        candidates: Iterable[IndexedExample] = index.candidates(call.method)
        if directives.code is not None:
            candidates = [e for e in candidates if e.code == directives.code]
        by_id, by_name = partial(_by_id, candidates), partial(_by_name, candidates)
    else:
        lookup = Lookup(index, call.method, directives.code)
        by_id, by_name = lookup.by_id, lookup.by_name
    if directives.response_id is not None:
        found = by_id(directives.response_id)
        if found is None:
            notes += (f"no {call.method} example has id {directives.response_id!r}",)
        return Decision(found, how="x-mock-response-id", directives=directives, notes=notes)
    assert directives.response_name is not None
    found = by_name(directives.response_name)
    if found is None:
        notes += (f"no {call.method} example is named {directives.response_name!r}",)
    return Decision(found, how="x-mock-response-name", directives=directives, notes=notes)


def _decision(
    index: Index,
    call: Call,
    options: MatchOptions,
    directives: Directives,
    prepared: PreparedCall,
    best: Scored | None,
) -> Decision:
    if best is None:
        misses = explain(
            Unanswered(index, call, directives, options, prepared.match_body, prepared.header_names)
        )
        return Decision(None, directives=directives, notes=directives.notes, misses=misses)
    return Decision(
        best.example,
        score=best.score,
        path_step=best.step,
        captures=best.captures,
        directives=directives,
        notes=directives.notes,
    )


def match(index: Index, call: Call, options: MatchOptions | None = None) -> Decision:
    """Choose the example that answers the call, or a decision with none and the reasons.

    `x-mock-response-id` and `-name` are looked up. The index gives the examples that can
    match at steps 100 to 75; the distance step (70) runs only when none of those scores above
    what a distance match could reach, and meets only the examples whose paths are close enough
    to matter. The answer is the scan's (`match_by_scan`).
    """
    return _match(index, call, options or MatchOptions(), scan=False)


def _match(index: Index, call: Call, options: MatchOptions, *, scan: bool) -> Decision:
    directives = read_directives(call.headers)
    decided = _headers_decide(index, call, directives, scan=scan)
    if decided is not None:
        return decided
    prepared = PreparedCall(call, options, directives)
    choose = _scanned_best if scan else _indexed_best
    best = choose(index, prepared, directives.code)
    return _decision(index, call, options, directives, prepared, best)


def _indexed_best(index: Index, prepared: PreparedCall, code: int | None) -> Scored | None:
    entry = index.method(prepared.call.method)
    near = entry.near(prepared.path)
    best = _best(prepared, near, code)
    if prepared.fuzzy and (best is None or best.score <= prepared.distance_ceiling):
        close = entry.within_distance(prepared.path)
        if close:  # the winner among both, in collection order: the tie rule depends on it
            best = _best(prepared, in_order([*near, *close]), code)
    return best


def _scanned_best(index: Index, prepared: PreparedCall, code: int | None) -> Scored | None:
    return _best(prepared, index.candidates(prepared.call.method), code)


class Matcher:
    """`match` for one index and set of options, remembering its answers to plain calls.

    A plain call sends no body and no `x-mock-*` header, and the server matches no header:
    its answer then depends only on method, path and query, and the index never changes, so
    the decision is kept (up to `capacity` calls; the memory is then emptied and refilled).
    """

    def __init__(self, index: Index, options: MatchOptions, capacity: int = 1 << 16) -> None:
        self.index = index
        self.options = options
        self.capacity = capacity
        self._known: dict[tuple[str, str, Pairs], Decision] = {}

    def __call__(self, call: Call) -> Decision:
        if call.body or self.options.match_headers or has_directives(call.headers):
            return match(self.index, call, self.options)
        key = (call.method, call.path, call.query)
        found = self._known.get(key)
        if found is None:
            found = match(self.index, call, self.options)
            if len(self._known) >= self.capacity:
                self._known.clear()
            self._known[key] = found
        return found


def match_by_scan(index: Index, call: Call, options: MatchOptions | None = None) -> Decision:
    """Postman's algorithm as written: every example of the method, in collection order.

    The reference the indexed `match` must always agree with (see the property test).
    """
    return _match(index, call, options or MatchOptions(), scan=True)


EXPLAIN_FIRST = 50  # paths whose examples are looked at closely first, by path likeness
EXPLAIN_MOST = 1000  # and at most this many: the explanation of a 404 stays cheap
MAX_STAGE = 4


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A call that no example answered, with the rules it was matched by."""

    index: Index
    call: Call
    directives: Directives
    options: MatchOptions
    match_body: bool
    header_names: tuple[str, ...]


def explain(question: Unanswered) -> tuple[Miss, ...]:
    """The examples closest to a call that nothing answered, each with what dropped it.

    Closeness is path likeness plus a little for each step passed. rapidfuzz ranks the
    examples' distinct paths in one pass in C; only the examples of the likeliest are examined
    step by step, and more only when one further down could still make the top (never those
    of more than EXPLAIN_MOST paths: past that, the closest are among the EXPLAIN_MOST
    likeliest paths).
    """
    sent = CallPath.of(question.call.path).stripped_lower[:200]
    index = question.index
    ranked = process.extract(  # best first
        sent, index.explain_paths, scorer=Levenshtein.normalized_similarity, limit=EXPLAIN_MOST
    )
    taken = ranked[:EXPLAIN_FIRST]
    top = _closest(question, _owners(index, taken))
    if len(taken) == len(ranked):
        return top
    reach = STAGE_WEIGHT * MAX_STAGE + 1e-9
    if len(top) == MAX_MISSES and top[-1].closeness > taken[-1][1] + reach:
        return top  # nothing further down can climb above the third
    cutoff = max(top[-1].closeness - reach, 0.0) if len(top) == MAX_MISSES else 0.0
    return _closest(question, _owners(index, [r for r in ranked if r[1] >= cutoff]))


def _owners(index: Index, ranked: list[tuple[str, float, int]]) -> list[tuple[int, float]]:
    """The positions of the examples whose paths these are, each with its path's likeness."""
    return [(p, likeness) for _, likeness, i in ranked for p in index.explain_owners[i]]


def _closest(question: Unanswered, scored: list[tuple[int, float]]) -> tuple[Miss, ...]:
    """The closest distinct misses among these examples (position, likeness of its path).

    Nothing answered the call: an example past method and code that no header or body rule
    could drop was dropped by its path, which needs no second look.
    """
    index, call, directives = question.index, question.call, question.directives
    header_names, match_body = question.header_names, question.match_body
    path_decides = not header_names and not match_body
    path = CallPath.of(call.path)
    body = CallBody(call.body, call.content_type)
    method = call.method.upper()
    found: list[tuple[float, int, int, str]] = []  # closeness, position, stage, reason
    for position, likeness in sorted(scored):  # collection order, for the stable sort below
        example = index.examples[position]
        if example.method != method:
            stage, reason = 0, f"method is {example.method}, not {method}"
        elif directives.code is not None and example.code != directives.code:
            stage, reason = 1, f"code is {example.code}, not {directives.code}"
        elif path_decides or score_path(example.path, path, fuzzy=question.options.fuzzy) is None:
            stage, reason = 2, f"path {example.path.text} does not match"
        elif (differ := headers_differ(example, call, header_names)) is not None:
            name, expected, got = differ
            stage, reason = 3, f"header {name}: expected {expected!r}, got {got!r}"
        elif match_body and not bodies_equal(example.body, body):
            stage, reason = 4, "request body differs"
        else:
            continue
        found.append((likeness + STAGE_WEIGHT * stage, position, stage, reason))
    found.sort(key=_first, reverse=True)  # stable: collection order among equals
    distinct: dict[tuple[str, str, str], Miss] = {}
    for closeness, position, stage, reason in found:  # one line per endpoint and reason
        example = index.examples[position]
        key = (example.method, example.path.text, reason)
        if key not in distinct:
            distinct[key] = Miss(example, stage, closeness, reason)
            if len(distinct) == MAX_MISSES:
                break
    return tuple(distinct.values())


def _first(found: tuple[float, int, int, str]) -> float:
    return found[0]


def explain_by_scan(question: Unanswered) -> tuple[Miss, ...]:
    """`explain` over every example: the reference the pruned one must agree with."""
    sent = CallPath.of(question.call.path).stripped_lower[:200]
    return _closest(
        question,
        [
            (position, similarity(sent, example.path.stripped_lower[:200]))
            for position, example in enumerate(question.index.examples)
        ],
    )


def methods_for_path(index: Index, path: str, fuzzy: bool = True) -> tuple[str, ...]:
    """The methods of the examples whose path matches (for CORS preflights)."""
    call_path = CallPath.of(path)
    methods: list[str] = []
    for method, examples in index.by_method.items():
        if any(score_path(e.path, call_path, fuzzy=fuzzy) is not None for e in examples):
            methods.append(method)
    return tuple(methods)
