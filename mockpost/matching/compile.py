"""Every example compiled once, at start-up, into what matching compares.

Variables are resolved here (environment over request over folders over collection); what
stays unresolved in a URL path becomes a wildcard. Examples of one request share what is
compiled of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote

from mockpost.calls.record import ExampleRef
from mockpost.matching.bodies import (
    ExpectedBody,
    expected_fields,
    expected_graphql,
    expected_raw,
)
from mockpost.matching.paths import PathPattern, compile_path, path_of_url
from mockpost.postman.model import Body, Environment, Example, Pairs, Request, Scope, Url
from mockpost.postman.variables import TOKEN, resolve
from mockpost.readonly import readonly
from mockpost.state.tags import ScenarioTag, marked, request_mode, scenario_tag

NO_QUERY: Counter[tuple[str, str]] = Counter()  # shared by every call and example without one


class Resolver:
    """Variables resolved against one chain of scopes, each distinct text once.

    Examples of one request, or of one folder, share their scopes: a collection of 20,000
    examples has a handful of chains, and the same base URLs and headers recur in all.
    """

    __slots__ = ("_cache", "empty", "lookup", "may_add")

    def __init__(self, lookup: Mapping[str, str]) -> None:
        self.lookup = lookup
        self._cache: dict[str, str] = {}
        self.empty = any(value == "" for value in lookup.values())  # a variable set to ""
        # The characters some value holds: resolving adds no other (unknown tokens stay).
        self.may_add = frozenset("".join(lookup.values()))

    def __call__(self, text: str) -> str:
        if "{{" not in text:
            return text
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = resolve(text, self.lookup)
        return found


class IndexedExample:
    """An example as matching compares it: its request's path, query, headers and body."""

    __slots__ = (
        "_ref",
        "body",
        "display",
        "example",
        "headers",
        "method",
        "mode",
        "path",
        "query",
        "resolve",
        "tag",
    )

    def __init__(
        self,
        example: Example,
        path: PathPattern,
        query: Counter[tuple[str, str]],
        headers: Mapping[str, str],  # the example request's headers, lower-case names
        body: ExpectedBody,
        resolve: Resolver,
    ) -> None:
        self.example = example
        self.method = example.request.method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.resolve = resolve  # its variables, for preparing its response
        self._ref: ExampleRef | None = None
        self.tag: ScenarioTag | None
        # State (mockpost/state/tags.py): a scenario tag ends the name, a mode the request's.
        name, request = example.name, example.request_name
        self.display, self.tag = scenario_tag(name) if name.endswith("]") else (name, None)
        self.mode = request_mode(request)[1] if request.endswith("]") else "score"
        if example.marks:  # tags in the descriptions' fenced blocks
            self.display, tag, mode = marked(name, example.marks)
            self.tag = self.tag or tag
            self.mode = mode if self.mode == "score" else self.mode

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

    @property
    def content_type(self) -> str:
        """The Content-Type its answer is saved with ("" when none)."""
        return next((v for k, v in self.example.headers if k.lower() == "content-type"), "")

    @property
    def emptied(self) -> tuple[str, ...]:
        """The variables that a value of "" took out of its path (`/payments/{{paymentId}}`
        served as `/payments/`): real environments ship such placeholders."""
        if not self.resolve.empty:
            return ()
        return emptied_variables(self.example.request.url, self.resolve.lookup)

    @property
    def ref(self) -> ExampleRef:
        """What a call record says of the example (made once)."""
        if self._ref is None:
            example = self.example
            # A v3 example's place is its file; a JSON file's, a JSON path (`$.item...`).
            file = "" if example.where.startswith("$") else example.where
            self._ref = ExampleRef(example.name, example.id, example.request_name, file)
        return self._ref


def emptied_variables(url: Url, lookup: Mapping[str, str]) -> tuple[str, ...]:
    """The variables of a URL's path whose value is empty, so that a segment of theirs is
    empty too (`{{id}}`, or `:id` whose value is `{{id}}`), in the order they come."""
    raw_path = "/".join(url.path) if url.path is not None else path_of_url(url.raw)
    variables = dict(url.variables)
    found: list[str] = []
    for segment in raw_path.split("/"):
        if segment.startswith(":") and len(segment) > 1:
            segment = variables.get(segment[1:], "")
        names = [m.group(1) for m in TOKEN.finditer(segment)]
        if names and not TOKEN.sub("", segment) and all(lookup.get(n) == "" for n in names):
            found.extend(n for n in names if n not in found)
    return tuple(found)


def _path_variable(segment: str, variables: Mapping[str, str], res: Resolver) -> str:
    """`:name` becomes its value; with no value it becomes the wildcard `{{name}}`."""
    if len(segment) < 2 or not segment.startswith(":"):
        return segment
    name = segment[1:]
    value = res(variables.get(name, ""))
    return value if value else "{{" + name + "}}"


def url_path(url: Url, res: Resolver) -> str:
    """The path an example answers, variables resolved, `:var` replaced or made wildcards."""
    if url.path is not None:
        host = res(".".join(url.host or ()))
        path = res("/".join(url.path))
        text = f"{host}/{path}" if host else f"/{path}"
    else:
        text = res(url.raw)
    path = path_of_url(text)
    if ":" in path:
        variables = dict(url.variables)
        path = "/".join(_path_variable(s, variables, res) for s in path.split("/"))
    return path


def url_query(url: Url, res: Resolver) -> Pairs:
    if url.query is not None:
        return tuple((unquote(res(k)), unquote(res(v))) for k, v in url.query)
    if "?" not in url.raw and "?" not in res.may_add:
        return ()  # no query, and no value can bring one
    raw = res(url.raw)
    if "?" not in raw:
        return ()
    query = raw.split("?", 1)[1].split("#", 1)[0]
    return tuple(parse_qsl(query, keep_blank_values=True))


def _expected_body(body: Body, res: Resolver) -> ExpectedBody:
    def pairs(fields: Pairs) -> Pairs:
        return tuple((res(k), res(v)) for k, v in fields)

    if body.mode in ("urlencoded", "formdata"):
        return expected_fields(body.mode, pairs(body.fields), body.files)
    if body.mode == "graphql":
        return expected_graphql(res(body.graphql_query), res(body.graphql_variables))
    if body.mode == "file":
        return ExpectedBody(mode="file")
    return expected_raw(res(body.raw))


@readonly
class _Compared:
    """What matching compares of an example's request: the same for equal requests."""

    path: PathPattern
    query: Counter[tuple[str, str]]
    headers: Mapping[str, str]
    body: ExpectedBody


def _compare(request: Request, res: Resolver) -> _Compared:
    headers: dict[str, str] = {}
    for key, value in request.headers:
        headers.setdefault(key.strip().lower(), res(value))
    query = url_query(request.url, res)
    # Positional (path, query, headers, body): keywords cost a dict per object.
    return _Compared(
        compile_path(url_path(request.url, res)),
        Counter(query) if query else NO_QUERY,
        headers,
        _expected_body(request.body, res),
    )


class Compiler:
    """Compiles the examples of one collection and environment, sharing what they share."""

    def __init__(self, environment: Environment | None) -> None:
        self.environment = environment
        self._resolvers: dict[tuple[Scope, ...], Resolver] = {}
        # By identity: the reader gives the examples of a request that were saved with the
        # same request one object (a request's hash would walk all of it). Both objects live
        # as long as the compiler.
        self._same: dict[tuple[int, int], _Compared] = {}

    def resolver(self, scopes: tuple[Scope, ...]) -> Resolver:
        found = self._resolvers.get(scopes)
        if found is None:
            lookup: dict[str, str] = {}
            for scope in reversed(scopes):  # collection first, the request's own last
                lookup.update(scope.values)
            if self.environment is not None:
                lookup.update(self.environment.values)
            found = self._resolvers[scopes] = Resolver(lookup)
        return found

    def compile(self, example: Example) -> IndexedExample:
        res = self.resolver(example.scopes)
        request = example.request
        key = (id(res), id(request))
        compared = self._same.get(key)
        if compared is None:
            compared = self._same[key] = _compare(request, res)
        return IndexedExample(
            example, compared.path, compared.query, compared.headers, compared.body, res
        )
