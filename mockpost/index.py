"""Every example compiled once, at start-up, into what matching and serving need.

Variables are resolved here (environment over request over folders over collection); what
stays unresolved in a URL path becomes a wildcard. Responses are prepared here too: headers
cleaned, Content-Type derived, bodies compiled into templates (static text where they hold
nothing dynamic).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote

from mockpost.bodies import (
    NOT_JSON,
    ExpectedBody,
    expected_fields,
    expected_graphql,
    expected_raw,
    parse_json,
)
from mockpost.collection import Body, Collection, Environment, Example, Pairs, Url
from mockpost.paths import PathPattern, compile_path, path_of_url
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

CONTENT_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "text": "text/plain",
}


@dataclass(frozen=True, slots=True)
class PreparedResponse:
    status: int
    reason: str | None
    headers: tuple[tuple[str, Template], ...]
    body: Template
    static_body: bytes | None  # the encoded body, when it holds nothing dynamic
    has_content_type: bool
    has_cors_origin: bool


@dataclass(frozen=True, slots=True, eq=False)
class IndexedExample:
    example: Example
    method: str
    path: PathPattern
    query: Counter[tuple[str, str]]
    headers: Mapping[str, str]  # the example request's headers, lower-case names
    body: ExpectedBody
    response: PreparedResponse

    @property
    def id(self) -> str:
        return self.example.id

    @property
    def name(self) -> str:
        return self.example.name

    @property
    def code(self) -> int:
        return self.example.code


@dataclass(frozen=True, slots=True)
class Index:
    collection: Collection
    environment: Environment | None
    examples: tuple[IndexedExample, ...]
    by_method: Mapping[str, tuple[IndexedExample, ...]]
    by_id: Mapping[str, IndexedExample]

    def candidates(self, method: str) -> tuple[IndexedExample, ...]:
        return self.by_method.get(method.upper(), ())


def _path_variable(segment: str, variables: Mapping[str, str], lookup: Mapping[str, str]) -> str:
    """`:name` becomes its value; with no value it becomes the wildcard `{{name}}`."""
    if len(segment) < 2 or not segment.startswith(":"):
        return segment
    name = segment[1:]
    value = resolve(variables.get(name, ""), lookup)
    return value if value else "{{" + name + "}}"


def url_path(url: Url, lookup: Mapping[str, str]) -> str:
    """The path an example answers, variables resolved, `:var` replaced or made wildcards."""
    if url.path is not None:
        host = resolve(".".join(url.host or ()), lookup)
        path = resolve("/".join(url.path), lookup)
        text = f"{host}/{path}" if host else f"/{path}"
    else:
        text = resolve(url.raw, lookup)
    path = path_of_url(text)
    variables = dict(url.variables)
    if ":" in path:
        path = "/".join(_path_variable(s, variables, lookup) for s in path.split("/"))
    return path


def url_query(url: Url, lookup: Mapping[str, str]) -> Pairs:
    if url.query is not None:
        return tuple(
            (unquote(resolve(k, lookup)), unquote(resolve(v, lookup))) for k, v in url.query
        )
    raw = resolve(url.raw, lookup)
    if "?" not in raw:
        return ()
    query = raw.split("?", 1)[1].split("#", 1)[0]
    return tuple(parse_qsl(query, keep_blank_values=True))


def _expected_body(body: Body, lookup: Mapping[str, str]) -> ExpectedBody:
    def pairs(fields: Pairs) -> Pairs:
        return tuple((resolve(k, lookup), resolve(v, lookup)) for k, v in fields)

    if body.mode in ("urlencoded", "formdata"):
        return expected_fields(body.mode, pairs(body.fields), body.files)
    if body.mode == "graphql":
        return expected_graphql(
            resolve(body.graphql_query, lookup), resolve(body.graphql_variables, lookup)
        )
    if body.mode == "file":
        return ExpectedBody(mode="file")
    return expected_raw(resolve(body.raw, lookup))


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


def _prepare_response(
    example: Example, lookup: Mapping[str, str], captures: frozenset[str]
) -> PreparedResponse:
    headers: list[tuple[str, Template]] = []
    names: set[str] = set()
    for key, value in example.headers:
        name = key.strip()
        if not name or name.lower() in SKIPPED_RESPONSE_HEADERS:
            continue
        if not all(33 <= ord(c) <= 126 and c != ":" for c in name):
            continue  # not a valid header name: it could not be sent
        value = resolve(value, lookup).replace("\r", " ").replace("\n", " ")
        headers.append((name, compile_template(value, captures)))
        names.add(name.lower())
    has_content_type = "content-type" in names
    if not has_content_type and example.language in CONTENT_TYPES:
        headers.append(("Content-Type", compile_template(CONTENT_TYPES[example.language])))
        has_content_type = True
    text = resolve(example.body, lookup)
    content_type = next((v.render({}, str) for n, v in headers if n.lower() == "content-type"), "")
    body = compile_template(text, captures, json_text=_is_json(text, content_type, example))
    return PreparedResponse(
        status=example.code,
        reason=_reason(example.status),
        headers=tuple(headers),
        body=body,
        static_body=body.static.encode() if body.static is not None else None,
        has_content_type=has_content_type,
        has_cors_origin="access-control-allow-origin" in names,
    )


def index_example(example: Example, environment: Environment | None) -> IndexedExample:
    lookup: dict[str, str] = {}
    for scope in reversed(example.scopes):  # collection first, the request's own last
        lookup.update(scope)
    if environment is not None:
        lookup.update(environment.values)
    request = example.request
    path = compile_path(url_path(request.url, lookup))
    headers: dict[str, str] = {}
    for key, value in request.headers:
        headers.setdefault(key.strip().lower(), resolve(value, lookup))
    return IndexedExample(
        example=example,
        method=request.method,
        path=path,
        query=Counter(url_query(request.url, lookup)),
        headers=headers,
        body=_expected_body(request.body, lookup),
        response=_prepare_response(example, lookup, frozenset(path.wildcards)),
    )


def build_index(collection: Collection, environment: Environment | None = None) -> Index:
    """Compile every example of the collection, in collection order."""
    examples = tuple(index_example(e, environment) for e in collection.examples)
    by_method: dict[str, list[IndexedExample]] = {}
    by_id: dict[str, IndexedExample] = {}
    for indexed in examples:
        by_method.setdefault(indexed.method, []).append(indexed)
        by_id.setdefault(indexed.id, indexed)
    return Index(
        collection=collection,
        environment=environment,
        examples=examples,
        by_method={m: tuple(v) for m, v in by_method.items()},
        by_id=by_id,
    )
