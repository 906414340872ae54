"""Every example compiled once, at start-up, into what matching and serving need.

Variables are resolved here (environment over request over folders over collection); what
stays unresolved in a URL path becomes a wildcard. Responses are prepared here too: headers
cleaned, Content-Type derived, bodies compiled into templates (static text where they hold
nothing dynamic).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeGuard
from urllib.parse import parse_qsl, unquote

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from mockpost.bodies import (
    NOT_JSON,
    ExpectedBody,
    expected_fields,
    expected_graphql,
    expected_raw,
    parse_json,
)
from mockpost.collection import Body, Collection, Environment, Example, Pairs, Request, Url
from mockpost.paths import MIN_SIMILARITY, CallPath, PathPattern, compile_path, path_of_url
from mockpost.variables import TOKEN, Template, compile_template, resolve

# Headers the server computes or that describe one connection: never copied from an example.
SKIPPED_RESPONSE_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "content-encoding",
    }
)

# RFC 9110 token characters: anything else could not be sent as a header name.
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

CONTENT_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "text": "text/plain",
}


Resolve = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class PreparedResponse:
    status: int
    reason: str | None
    headers: tuple[tuple[str, Template], ...]
    body: Template
    static_body: bytes | None  # the encoded body, when it holds nothing dynamic
    static_headers: tuple[tuple[str, str], ...] | None  # the headers, when none is dynamic
    has_content_type: bool
    has_cors_origin: bool
    reads_request: bool  # a template reads the call ($body, $headers...)
    dynamic_names: frozenset[str]  # the {{$…}} variables its templates use


class IndexedExample:
    """An example as matching compares it, and its response, prepared on first use.

    Start-up prepares what matching needs for every example; an example's response (headers
    cleaned, body compiled and encoded) is prepared the first time it is served, once: a
    collection of 20,000 examples starts without preparing 20,000 responses.
    """

    __slots__ = ("_resolve", "_response", "body", "example", "headers", "method", "path", "query")

    def __init__(
        self,
        example: Example,
        path: PathPattern,
        query: Counter[tuple[str, str]],
        headers: Mapping[str, str],  # the example request's headers, lower-case names
        body: ExpectedBody,
        resolve: Resolve,
    ) -> None:
        self.example = example
        self.method = example.request.method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self._resolve = resolve
        self._response: PreparedResponse | None = None

    @property
    def response(self) -> PreparedResponse:
        if self._response is None:
            captures = frozenset(self.path.wildcards)
            self._response = _prepare_response(self.example, self._resolve, captures)
        return self._response

    @property
    def may_be_dynamic(self) -> bool:
        """Whether its response may hold `{{$…}}` variables (a cheap look, before preparing)."""
        example = self.example
        return "{{$" in example.body or any("{{$" in value for _, value in example.headers)

    @property
    def id(self) -> str:
        return self.example.id

    @property
    def position(self) -> int:
        """In collection order, which breaks ties."""
        return self.example.position

    @property
    def name(self) -> str:
        return self.example.name

    @property
    def code(self) -> int:
        return self.example.code


@dataclass(frozen=True, slots=True)
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
    ranked = process.extract(
        path,
        choices,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=MIN_SIMILARITY - CUTOFF_MARGIN,
        limit=None,
    )
    return [i for _, _, i in ranked]


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class MethodIndex:
    """One method's examples, arranged so that a call finds its candidates by lookups.

    `near` gives every example that can match at steps 100 to 75: the exact and case steps
    need the same path once lower-cased and stripped of trailing slashes; the wildcard and ID
    steps need the same segment count and the same literal segments. The distance step can
    meet any example with as many segments: `by_count` holds those, and `within_distance`
    gives the ones it may meet.
    """

    examples: tuple[IndexedExample, ...]
    by_path: Mapping[str, tuple[IndexedExample, ...]]  # stripped, lower-case path
    shapes: Mapping[int, tuple[ShapeGroup, ...]]  # segment count -> groups with flexibility
    by_count: Mapping[int, DistancePool]

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
        pool = self.by_count.get(len(path.segments))
        return pool.close(path) if pool is not None else []


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
        fixed = tuple(
            i for i, seg in enumerate(pattern.segments) if seg.regex is None and not seg.is_id
        )
        if len(fixed) == len(pattern.segments):
            continue  # no flexible segment: only the exact and case steps can match it
        key = tuple(pattern.segments[i].text for i in fixed)
        group = groups.setdefault((len(pattern.segments), fixed), {})
        group.setdefault(key, []).append(indexed)
    shapes: dict[int, list[ShapeGroup]] = {}
    for (count, fixed), members in groups.items():
        frozen = {key: tuple(found) for key, found in members.items()}
        shapes.setdefault(count, []).append(ShapeGroup(fixed, frozen))
    return MethodIndex(
        examples=examples,
        by_path={key: tuple(found) for key, found in by_path.items()},
        shapes={count: tuple(found) for count, found in shapes.items()},
        by_count={count: _distance_pool(found) for count, found in by_count.items()},
    )


EMPTY_METHOD = MethodIndex((), {}, {}, {})


@dataclass(frozen=True, slots=True)
class Index:
    collection: Collection
    environment: Environment | None
    examples: tuple[IndexedExample, ...]
    methods: Mapping[str, MethodIndex]
    by_id: Mapping[str, tuple[IndexedExample, ...]]  # in collection order
    by_name: Mapping[str, tuple[IndexedExample, ...]]  # in collection order
    explain_paths: tuple[str, ...]  # the distinct paths as `explain` compares them
    explain_owners: tuple[tuple[int, ...], ...]  # the positions of each one's examples

    @property
    def by_method(self) -> Mapping[str, tuple[IndexedExample, ...]]:
        return {method: entry.examples for method, entry in self.methods.items()}

    def method(self, method: str) -> MethodIndex:
        return self.methods.get(method.upper(), EMPTY_METHOD)

    def candidates(self, method: str) -> tuple[IndexedExample, ...]:
        """Every example of the method, in collection order."""
        return self.method(method).examples


class Resolver:
    """Variables resolved against one chain of scopes, each distinct text once.

    Examples of one request, or of one folder, share their scopes: a collection of 20,000
    examples has a handful of chains, and the same base URLs and headers recur in all.
    """

    __slots__ = ("_cache", "lookup")

    def __init__(self, lookup: Mapping[str, str]) -> None:
        self.lookup = lookup
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if "{{" not in text:
            return text
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = resolve(text, self.lookup)
        return found


def _resolver_for(
    example: Example, environment: Environment | None, resolvers: dict[tuple[int, ...], Resolver]
) -> Resolver:
    # The scopes live as long as the collection, so their ids name them for this build.
    key = tuple(id(scope) for scope in example.scopes)
    found = resolvers.get(key)
    if found is None:
        lookup: dict[str, str] = {}
        for scope in reversed(example.scopes):  # collection first, the request's own last
            lookup.update(scope)
        if environment is not None:
            lookup.update(environment.values)
        found = resolvers[key] = Resolver(lookup)
    return found


def _path_variable(segment: str, variables: Mapping[str, str], res: Resolve) -> str:
    """`:name` becomes its value; with no value it becomes the wildcard `{{name}}`."""
    if len(segment) < 2 or not segment.startswith(":"):
        return segment
    name = segment[1:]
    value = res(variables.get(name, ""))
    return value if value else "{{" + name + "}}"


def url_path(url: Url, res: Resolve) -> str:
    """The path an example answers, variables resolved, `:var` replaced or made wildcards."""
    if url.path is not None:
        host = res(".".join(url.host or ()))
        path = res("/".join(url.path))
        text = f"{host}/{path}" if host else f"/{path}"
    else:
        text = res(url.raw)
    path = path_of_url(text)
    variables = dict(url.variables)
    if ":" in path:
        path = "/".join(_path_variable(s, variables, res) for s in path.split("/"))
    return path


def url_query(url: Url, res: Resolve) -> Pairs:
    if url.query is not None:
        return tuple((unquote(res(k)), unquote(res(v))) for k, v in url.query)
    raw = res(url.raw)
    if "?" not in raw:
        return ()
    query = raw.split("?", 1)[1].split("#", 1)[0]
    return tuple(parse_qsl(query, keep_blank_values=True))


def _expected_body(body: Body, res: Resolve) -> ExpectedBody:
    def pairs(fields: Pairs) -> Pairs:
        return tuple((res(k), res(v)) for k, v in fields)

    if body.mode in ("urlencoded", "formdata"):
        return expected_fields(body.mode, pairs(body.fields), body.files)
    if body.mode == "graphql":
        return expected_graphql(res(body.graphql_query), res(body.graphql_variables))
    if body.mode == "file":
        return ExpectedBody(mode="file")
    return expected_raw(res(body.raw))


def _reason(status: str) -> str | None:
    """The example's status text, when it can stand in a status line."""
    status = status.strip()
    if status and status.isprintable() and status.isascii():
        return status
    return None


def _is_json(text: str, content_type: str, example: Example) -> bool:
    """Whether a response body is JSON: declared so, or parses once its tokens are blanked."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media.endswith("json") or (not media and example.language == "json"):
        return True
    return "{{" in text and parse_json(TOKEN.sub("0", text)) is not NOT_JSON


@lru_cache(maxsize=4096)
def _header_template(value: str, captures: frozenset[str]) -> Template:
    """Header values recur across examples (Content-Type above all): compiled once each."""
    return compile_template(value, captures)


def _prepare_response(example: Example, res: Resolve, captures: frozenset[str]) -> PreparedResponse:
    headers: list[tuple[str, Template]] = []
    names: set[str] = set()
    for key, value in example.headers:
        name = key.strip()
        if not name or name.lower() in SKIPPED_RESPONSE_HEADERS:
            continue
        if HEADER_NAME.fullmatch(name) is None:
            continue  # not a valid header name: it could not be sent
        value = res(value).replace("\r", " ").replace("\n", " ")
        headers.append((name, _header_template(value, captures)))
        names.add(name.lower())
    has_content_type = "content-type" in names
    if not has_content_type and example.language in CONTENT_TYPES:
        headers.append(("Content-Type", compile_template(CONTENT_TYPES[example.language])))
        has_content_type = True
    text = res(example.body)
    content_type = next((v.render({}, str) for n, v in headers if n.lower() == "content-type"), "")
    body = compile_template(text, captures, json_text=_is_json(text, content_type, example))
    slots = [slot for template in (body, *(t for _, t in headers)) for slot in template.slots]
    static_headers = tuple((name, template.static) for name, template in headers)
    return PreparedResponse(
        status=example.code,
        reason=_reason(example.status),
        headers=tuple(headers),
        body=body,
        static_body=body.static.encode() if body.static is not None else None,
        static_headers=static_headers if _all_text(static_headers) else None,
        has_content_type=has_content_type,
        has_cors_origin="access-control-allow-origin" in names,
        reads_request=any(slot.kind == "request" for slot in slots),
        dynamic_names=frozenset(slot.name for slot in slots if slot.kind == "dynamic"),
    )


def _all_text(
    headers: tuple[tuple[str, str | None], ...],
) -> TypeGuard[tuple[tuple[str, str], ...]]:
    return all(value is not None for _, value in headers)


@dataclass(frozen=True, slots=True)
class _Matched:
    """What matching compares of an example's request: the same for equal requests."""

    path: PathPattern
    query: Counter[tuple[str, str]]
    headers: Mapping[str, str]
    body: ExpectedBody


NO_QUERY: Counter[tuple[str, str]] = Counter()  # shared by every call and example without one


def _matched(request: Request, res: Resolve) -> _Matched:
    headers: dict[str, str] = {}
    for key, value in request.headers:
        headers.setdefault(key.strip().lower(), res(value))
    query = url_query(request.url, res)
    return _Matched(
        path=compile_path(url_path(request.url, res)),
        query=Counter(query) if query else NO_QUERY,
        headers=headers,
        body=_expected_body(request.body, res),
    )


def index_example(
    example: Example,
    environment: Environment | None,
    resolvers: dict[tuple[int, ...], Resolver] | None = None,
    requests: dict[tuple[int, Request], _Matched] | None = None,
) -> IndexedExample:
    res = _resolver_for(example, environment, {} if resolvers is None else resolvers)
    requests = {} if requests is None else requests
    key = (id(res), example.request)  # examples of one request often repeat it exactly
    matched = requests.get(key)
    if matched is None:
        matched = requests[key] = _matched(example.request, res)
    return IndexedExample(example, matched.path, matched.query, matched.headers, matched.body, res)


def build_index(collection: Collection, environment: Environment | None = None) -> Index:
    """Compile every example of the collection, in collection order, and arrange them."""
    resolvers: dict[tuple[int, ...], Resolver] = {}
    requests: dict[tuple[int, Request], _Matched] = {}
    examples = tuple(
        index_example(e, environment, resolvers, requests) for e in collection.examples
    )
    by_method: dict[str, list[IndexedExample]] = {}
    by_id: dict[str, list[IndexedExample]] = {}
    by_name: dict[str, list[IndexedExample]] = {}
    owners: dict[str, list[int]] = {}
    for position, indexed in enumerate(examples):
        by_method.setdefault(indexed.method, []).append(indexed)
        by_id.setdefault(indexed.id, []).append(indexed)
        by_name.setdefault(indexed.name, []).append(indexed)
        owners.setdefault(indexed.path.stripped_lower[:200], []).append(position)
    return Index(
        collection=collection,
        environment=environment,
        examples=examples,
        methods={m: _method_index(tuple(found)) for m, found in by_method.items()},
        by_id={key: tuple(found) for key, found in by_id.items()},
        by_name={key: tuple(found) for key, found in by_name.items()},
        explain_paths=tuple(owners),
        explain_owners=tuple(tuple(found) for found in owners.values()),
    )
