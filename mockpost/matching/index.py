"""The index: a collection's examples arranged so that a call finds its candidates by lookups.

Examples are grouped by method; within a method, the exact and case steps (100-85) find theirs
by the stripped, lower-cased path, the wildcard and ID steps (80-75) by segment count and the
text of the other segments, and the distance step (70) ranks the paths of the same segment
count in one pass in C (rapidfuzz).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any, TypeVar, cast

from mockpost.matching.compile import Compiler, IndexedExample
from mockpost.matching.distance import explain_table, ranked
from mockpost.matching.evaluate import negotiates
from mockpost.matching.paths import MIN_SIMILARITY, CallPath, PathPattern
from mockpost.postman.model import Collection, Environment
from mockpost.readonly import readonly
from mockpost.state.scenarios import first_states


@readonly
class ShapeGroup:
    """Examples of one segment count whose flexible segments (wildcards, IDs) sit at the same
    places, keyed by the text of their other segments: a call can only meet them at the
    wildcard or ID steps if its segments at those places are the same text."""

    fixed: tuple[int, ...]  # positions of the literal, non-ID segments
    members: Mapping[tuple[str, ...], tuple[IndexedExample, ...]]

    def near(self, segments: tuple[str, ...]) -> tuple[IndexedExample, ...]:
        return self.members.get(tuple([segments[i] for i in self.fixed]), ())


CUTOFF_MARGIN = 0.01


def _close_to(path: str, choices: Sequence[str]) -> list[int]:
    """The positions of the choices that may be within document distance of the path.

    Ranked in one pass in C; rapidfuzz's cutoff can drop a choice exactly at it, so a margin
    is given, and the exact check comes after.
    """
    return [i for _, _, i in ranked(path, choices, cutoff=MIN_SIMILARITY - CUTOFF_MARGIN)]


@readonly
class WildcardGroup:
    """Examples of one segment count with wildcard segments at the same places.

    The distance step compares such an example's path with each wildcard segment standing
    as the call's: `chunks` are the example's distinct paths cut at those segments, so that
    the forms a call compares are made by joining, then ranked in one pass in C.
    """

    places: tuple[int, ...]  # positions of the wildcard segments
    chunks: tuple[tuple[str, ...], ...]  # per distinct path: the text around those segments
    owners: tuple[tuple[IndexedExample, ...], ...]  # each path's examples

    def close(self, path: CallPath) -> list[IndexedExample]:
        segments = path.segments
        if len(self.places) == 1:
            middle = segments[self.places[0]]
            forms = [before + middle + after for before, after in self.chunks]
        else:
            texts = [segments[i] for i in self.places]
            forms = ["".join(_interleave(chunks, texts)) for chunks in self.chunks]
        return [e for i in _close_to(path.stripped, forms) for e in self.owners[i]]


def _interleave(chunks: tuple[str, ...], texts: list[str]) -> list[str]:
    """chunks[0], texts[0], chunks[1], ... chunks[-1]."""
    joined = [chunks[0]]
    for text, chunk in zip(texts, chunks[1:], strict=True):
        joined += (text, chunk)
    return joined


def _chunks(pattern: PathPattern) -> tuple[str, ...]:
    """The stripped path's text around its wildcard segments (one more than there are)."""
    chunks: list[str] = []
    current = ""
    for segment in pattern.segments:
        current += "/"
        if segment.regex is not None:
            chunks.append(current)
            current = ""
        else:
            current += segment.text
    chunks.append(current)
    return tuple(chunks)


@readonly
class DistancePool:
    """Examples of one segment count, as the distance step meets them.

    Those without wildcards compare their stripped path as it is: their distinct paths are
    ranked in one pass in C. Those with wildcards compare a form that depends on the call
    (`WildcardGroup`): made for each, then ranked the same way.
    """

    paths: tuple[str, ...]  # distinct stripped paths of the examples without wildcards
    owners: tuple[tuple[IndexedExample, ...], ...]  # each path's examples
    wildcards: tuple[WildcardGroup, ...]

    def close(self, path: CallPath) -> list[IndexedExample]:
        """Every example that may meet the call at the distance step (and some that won't)."""
        if not path.stripped:  # no segment: only the other steps can compare it
            return []
        found = [e for i in _close_to(path.stripped, self.paths) for e in self.owners[i]]
        for group in self.wildcards:
            found += group.close(path)
        return found


def _distance_pool(examples: list[IndexedExample]) -> DistancePool:
    owners: dict[str, list[IndexedExample]] = {}
    groups: dict[tuple[int, ...], dict[tuple[str, ...], list[IndexedExample]]] = {}
    for indexed in examples:
        pattern = indexed.path
        if not pattern.wildcards:
            owners.setdefault(pattern.stripped, []).append(indexed)
            continue
        places = tuple(i for i, s in enumerate(pattern.segments) if s.regex is not None)
        groups.setdefault(places, {}).setdefault(_chunks(pattern), []).append(indexed)
    return DistancePool(
        tuple(owners),
        tuple(tuple(o) for o in owners.values()),
        tuple(
            WildcardGroup(places, tuple(members), tuple(tuple(o) for o in members.values()))
            for places, members in groups.items()
        ),
    )


@readonly
class MethodIndex:
    """One method's examples, arranged so that a call finds its candidates by lookups.

    `near` gives every example that can match at steps 100 to 75: the exact and case steps
    need the same path once lower-cased and stripped of trailing slashes; the wildcard and ID
    steps need the same segment count and the same literal segments. The distance step can
    meet any example with as many segments: `by_count` holds those, and `within_distance`
    gives the ones it may meet. A count's pool is arranged when a call first needs it (most
    calls never reach the distance step): start-up does not wait for it.
    """

    examples: tuple[IndexedExample, ...]
    by_path: Mapping[str, tuple[IndexedExample, ...]]  # stripped, lower-case path
    shapes: Mapping[int, tuple[ShapeGroup, ...]]  # segment count -> groups with flexibility
    by_count: Mapping[int, tuple[IndexedExample, ...]]  # segment count -> its examples
    _pools: dict[int, DistancePool] = field(default_factory=dict, compare=False, repr=False)

    def near(self, path: CallPath) -> Sequence[IndexedExample]:
        """Candidates for steps 100-75, in collection order."""
        same = self.by_path.get(path.stripped_lower, ())
        groups = self.shapes.get(len(path.segments), ())
        if not groups:
            return same
        found: list[IndexedExample] = list(same)
        for group in groups:
            found.extend(group.near(path.segments))
        return in_order(found)

    def within_distance(self, path: CallPath) -> list[IndexedExample]:
        """Candidates for step 70 (a superset; some may be `near` too), in no set order."""
        count = len(path.segments)
        pool = self._pools.get(count)
        if pool is None:
            members = self.by_count.get(count)
            if members is None:
                return []
            pool = self._pools[count] = _distance_pool(list(members))
        return pool.close(path)


def in_order(found: list[IndexedExample]) -> list[IndexedExample]:
    """Each example once, in collection order."""
    if len(found) > 1:
        unique = {e.position: e for e in found}
        return [unique[p] for p in sorted(unique)]
    return found


def _method_index(examples: tuple[IndexedExample, ...]) -> MethodIndex:
    by_path: dict[str, list[IndexedExample]] = {}
    by_count: dict[int, list[IndexedExample]] = {}
    groups: dict[tuple[int, tuple[int, ...]], dict[tuple[str, ...], list[IndexedExample]]] = {}
    for indexed in examples:
        pattern = indexed.path
        by_path.setdefault(pattern.stripped_lower, []).append(indexed)
        by_count.setdefault(len(pattern.segments), []).append(indexed)
        fixed = pattern.fixed
        if len(fixed) == len(pattern.segments):
            continue  # no flexible segment: only the exact and case steps can match it
        group = groups.setdefault((len(pattern.segments), fixed), {})
        group.setdefault(pattern.fixed_texts, []).append(indexed)
    shapes: dict[int, list[ShapeGroup]] = {}
    for (count, fixed), members in groups.items():
        frozen = {key: tuple(found) for key, found in members.items()}
        shapes.setdefault(count, []).append(ShapeGroup(fixed, frozen))
    return MethodIndex(
        examples=examples,
        by_path={key: tuple(found) for key, found in by_path.items()},
        shapes={count: tuple(found) for count, found in shapes.items()},
        by_count={count: tuple(found) for count, found in by_count.items()},
    )


EMPTY_METHOD = MethodIndex((), {}, {}, {})
T = TypeVar("T")


@readonly
class Index:
    """A collection's examples, arranged for matching. What only some calls need (lookups by
    id and by name, the table that explains a 404) is made when a call first needs it.

    Read-only but for one mutable cache: `_later` holds what was made on first need.
    """

    collection: Collection
    environment: Environment | None
    examples: tuple[IndexedExample, ...]
    methods: Mapping[str, MethodIndex]
    _later: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def method(self, method: str) -> MethodIndex:
        return self.methods.get(method.upper(), EMPTY_METHOD)

    def candidates(self, method: str) -> tuple[IndexedExample, ...]:
        """Every example of the method, in collection order."""
        return self.method(method).examples

    def _made(self, name: str, make: Callable[[tuple[IndexedExample, ...]], T]) -> T:
        found = self._later.get(name)
        if found is None:
            found = self._later[name] = make(self.examples)
        return cast(T, found)

    @property
    def by_id(self) -> Mapping[str, tuple[IndexedExample, ...]]:
        """Examples by id, in collection order."""
        return self._made("by_id", lambda examples: _grouped(examples, lambda e: (e.id,)))

    @property
    def negotiates(self) -> bool:
        """Whether a call's Accept chooses between examples (`evaluate.negotiates`)."""
        return self._made("negotiates", negotiates)

    @property
    def scenarios(self) -> Mapping[str, str]:
        """Each scenario's first state (`state/`); none for a collection without tags."""
        return self._made("scenarios", first_states)

    @property
    def by_name(self) -> Mapping[str, tuple[IndexedExample, ...]]:
        """Examples by name, with and without a scenario tag, in collection order."""
        named = lambda e: dict.fromkeys((e.name, e.display))  # noqa: E731
        return self._made("by_name", lambda examples: _grouped(examples, named))

    @property
    def explain_paths(self) -> tuple[str, ...]:
        """The distinct paths as `explain` compares them."""
        return self._made("explain", explain_table)[0]

    @property
    def explain_owners(self) -> tuple[tuple[int, ...], ...]:
        """The positions of each explain path's examples."""
        return self._made("explain", explain_table)[1]


def _grouped(
    examples: tuple[IndexedExample, ...], keys: Callable[[IndexedExample], Iterable[str]]
) -> Mapping[str, tuple[IndexedExample, ...]]:
    found: dict[str, list[IndexedExample]] = {}
    for indexed in examples:
        for key in keys(indexed):
            found.setdefault(key, []).append(indexed)
    return {name: tuple(group) for name, group in found.items()}


def extend_index(index: Index, more: Collection) -> Index:
    """The index of `more`: the index's collection with examples added after its own. What
    the index compiled is kept; only the added examples are compiled, and only the methods
    they add to are arranged again."""
    added = more.examples[len(index.examples) :]
    compiler = Compiler(index.environment)
    new = tuple(compiler.compile(e) for e in added)
    methods = dict(index.methods)
    for method in dict.fromkeys(e.method for e in new):
        more_of_it = tuple(e for e in new if e.method == method)
        methods[method] = _method_index(index.method(method).examples + more_of_it)
    return Index(
        collection=more,
        environment=index.environment,
        examples=index.examples + new,
        methods=methods,
    )


def build_index(collection: Collection, environment: Environment | None = None) -> Index:
    """Compile every example of the collection, in collection order, and arrange them."""
    compiler = Compiler(environment)
    examples = tuple(compiler.compile(e) for e in collection.examples)
    by_method: dict[str, list[IndexedExample]] = {}
    for indexed in examples:
        by_method.setdefault(indexed.method, []).append(indexed)
    return Index(
        collection=collection,
        environment=environment,
        examples=examples,
        methods={m: _method_index(tuple(found)) for m, found in by_method.items()},
    )
