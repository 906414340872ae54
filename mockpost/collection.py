"""Read and check Postman collection (v2.0, v2.1) and environment files.

The result is frozen dataclasses holding the file's text as written: variables are resolved
later, by the index, because the environment takes part in that. Whatever real exports
contain that mockpost can still serve is accepted; an example that cannot be served is
dropped with a reason; a file whose structure cannot be served raises `LoadError`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mockpost.errors import LoadError

if TYPE_CHECKING:
    from jsonschema import ValidationError
from mockpost.schema import COLLECTION_SCHEMA, ENVIRONMENT_SCHEMA, collection_looks_valid

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Url:
    """A URL as the file gives it: `raw`, or host and path lists (either may be missing)."""

    raw: str
    host: tuple[str, ...] | None
    path: tuple[str, ...] | None
    query: Pairs | None  # enabled params; None when the file lists none (then raw's query)
    variables: Pairs  # path variables `:name` -> value


@dataclass(frozen=True, slots=True)
class Body:
    """A request body: mode is raw, urlencoded, formdata, graphql, file or none."""

    mode: str
    raw: str = ""
    language: str = ""
    fields: Pairs = ()  # urlencoded pairs, or formdata text fields
    files: tuple[str, ...] = ()  # formdata file field keys
    graphql_query: str = ""
    graphql_variables: str = ""


NO_BODY = Body(mode="none")


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    url: Url
    headers: Pairs  # enabled headers
    body: Body


@dataclass(frozen=True, slots=True)
class Example:
    """A saved example (a `response[]` entry), with the request it answers."""

    id: str
    name: str
    code: int
    status: str
    headers: Pairs
    body: str
    language: str  # _postman_previewlanguage, lower case, "" when absent
    request: Request  # originalRequest, or the parent request where it is missing
    request_name: str
    folders: tuple[str, ...]
    scopes: tuple[Mapping[str, str], ...]  # variable lists, narrowest first
    position: int  # collection order
    where: str  # JSON path in the file


@dataclass(frozen=True, slots=True)
class RequestItem:
    """A request of the collection, with its saved examples (possibly none)."""

    name: str
    folders: tuple[str, ...]
    request: Request
    example_count: int
    where: str


@dataclass(frozen=True, slots=True)
class Dropped:
    """An example that could not be served, and why."""

    where: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Collection:
    source: str
    name: str
    schema_version: str  # "2.1.0", "2.0.0" or "" when info.schema says nothing
    requests: tuple[RequestItem, ...]
    examples: tuple[Example, ...]
    dropped: tuple[Dropped, ...]
    variables: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Environment:
    source: str
    name: str
    values: Mapping[str, str]


class _Unservable(Exception):
    """Raised inside the loader for one example or request that cannot be served."""


def _read_json(path: Path) -> Any:
    source = str(path)
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(source, "no such file") from None
    except IsADirectoryError:
        raise LoadError(source, "is a directory, not a JSON file") from None
    except OSError as exc:
        raise LoadError(source, f"cannot be read: {exc.strerror or exc}") from None
    try:
        return json.loads(text.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise LoadError(source, "is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise LoadError(
            source, f"is not valid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}"
        ) from None


def _check(source: str, data: Any, schema: dict[str, Any], what: str) -> None:
    import jsonschema  # only needed to check environments and to explain a broken collection

    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    where = error.json_path
    if error.validator == "required" and where == "$":
        raise LoadError(source, f"is not a {what}: {error.message}", where)
    raise LoadError(source, f"{_describe(error)}", where)


def _describe(error: ValidationError) -> str:
    found = type(error.instance).__name__
    names = {"str": "a string", "dict": "an object", "list": "an array", "NoneType": "null"}
    found = names.get(found, f"a {found}")
    if error.validator in ("type", "anyOf"):
        return f"unexpected value, found {found}"
    return error.message


def stable_id(name: str) -> str:
    """`str(uuid.uuid5(uuid.NAMESPACE_URL, name))`, without building UUID objects."""
    digest = bytearray(hashlib.sha1(uuid.NAMESPACE_URL.bytes + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _text(value: Any) -> str:
    """A scalar as Postman turns it into text (numbers and booleans in JSON spelling)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"))


NO_VARIABLES: Mapping[str, str] = MappingProxyType({})  # shared, so scopes compare by id


def _variables(raw: Any) -> Mapping[str, str]:
    """A `variable` list: enabled entries, by key (v2.0 files may use `id`)."""
    if not isinstance(raw, list) or not raw:
        return NO_VARIABLES
    out: dict[str, str] = {}
    for entry in raw:
        if not isinstance(entry, dict) or entry.get("disabled") is True:
            continue
        if entry.get("enabled") is False:
            continue
        key = entry.get("key", entry.get("id"))
        if isinstance(key, str) and key and key not in out:
            out[key] = _text(entry.get("value"))
    return out


def _pairs(raw: Any, *, key_field: str = "key") -> Pairs:
    """Enabled key/value entries of a list (headers, query params, form fields)."""
    if not isinstance(raw, list):
        return ()
    out: list[tuple[str, str]] = []
    for entry in raw:
        if not isinstance(entry, dict) or entry.get("disabled") is True:
            continue
        key = entry.get(key_field)
        if key is None:
            continue
        out.append((_text(key), _text(entry.get("value"))))
    return tuple(out)


def _headers(raw: Any) -> Pairs:
    """Headers given as a list of objects, a block of `Name: value` lines, or null."""
    if isinstance(raw, str):
        lines = (line.partition(":") for line in raw.splitlines())
        return tuple((k.strip(), v.strip()) for k, sep, v in lines if sep and k.strip())
    return tuple((k, v) for k, v in _pairs(raw) if k)


def _segments(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return tuple(raw.strip("/").split("/")) if raw.strip("/") else ()
    if not isinstance(raw, list):
        raise _Unservable("url.path is neither a list nor a string")
    out: list[str] = []
    for part in raw:
        if isinstance(part, dict):
            part = part.get("value")
        out.append(_text(part))
    return tuple(out)


def _url(raw: Any) -> Url:
    if raw is None:
        return Url(raw="", host=None, path=None, query=None, variables=())
    if isinstance(raw, str):
        return Url(raw=raw, host=None, path=None, query=None, variables=())
    if not isinstance(raw, dict):
        raise _Unservable("the URL is neither a string nor an object")
    host_raw = raw.get("host")
    host: tuple[str, ...] | None
    if isinstance(host_raw, list):
        host = tuple(_text(h) for h in host_raw)
    elif isinstance(host_raw, str):
        host = (host_raw,)
    else:
        host = None
    path = _segments(raw.get("path"))
    query = _pairs(raw["query"]) if isinstance(raw.get("query"), list) else None
    variables = tuple(
        (_text(v.get("key", v.get("id"))), _text(v.get("value")))
        for v in raw.get("variable") or []
        if isinstance(v, dict) and v.get("disabled") is not True
    )
    raw_text = raw.get("raw")
    return Url(
        raw=raw_text if isinstance(raw_text, str) else "",
        host=host,
        path=path,
        query=query,
        variables=variables,
    )


def _body(raw: Any) -> Body:
    if not isinstance(raw, dict) or raw.get("disabled") is True:
        return NO_BODY
    mode = raw.get("mode")
    if mode == "raw":
        options = raw.get("options")
        language = ""
        if isinstance(options, dict) and isinstance(options.get("raw"), dict):
            language = _text(options["raw"].get("language")).lower()
        return Body(mode="raw", raw=_text(raw.get("raw")), language=language)
    if mode == "urlencoded":
        return Body(mode="urlencoded", fields=_pairs(raw.get("urlencoded")))
    if mode == "formdata":
        items = [i for i in raw.get("formdata") or [] if isinstance(i, dict)]
        files = tuple(
            _text(i.get("key")) for i in items if i.get("type") == "file" and not i.get("disabled")
        )
        texts = _pairs([i for i in items if i.get("type") != "file"])
        return Body(mode="formdata", fields=texts, files=files)
    if mode == "graphql":
        graphql = raw.get("graphql")
        if not isinstance(graphql, dict):
            return Body(mode="graphql")
        return Body(
            mode="graphql",
            graphql_query=_text(graphql.get("query")),
            graphql_variables=_text(graphql.get("variables")),
        )
    if mode == "file":
        return Body(mode="file")
    return NO_BODY


def _request(raw: Any) -> Request:
    if isinstance(raw, str):
        return Request(method="GET", url=_url(raw), headers=(), body=NO_BODY)
    if not isinstance(raw, dict):
        raise _Unservable("the request is neither a URL string nor an object")
    method = raw.get("method")
    if method is not None and not isinstance(method, str):
        raise _Unservable("the request method is not text")
    return Request(
        method=(method or "GET").strip().upper() or "GET",
        url=_url(raw.get("url")),
        headers=_headers(raw.get("header")),
        body=_body(raw.get("body")),
    )


def _url_is_empty(url: Url) -> bool:
    return not url.raw.strip() and not url.host and not url.path


def _original_request(raw: Any, parent: Request) -> Request:
    """An example's originalRequest; where it, its URL or its method is missing, the parent's."""
    if raw is None:
        return parent
    original = _request(raw)
    if _url_is_empty(original.url):
        original = replace(original, url=parent.url)
    if isinstance(raw, dict) and not raw.get("method"):
        original = replace(original, method=parent.method)
    return original


def _code(raw: Any) -> int:
    if raw is None:
        return 200  # real exports save examples without a code; Postman serves them as 200
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise _Unservable(f"status code {raw!r} is not a number")
    if not 100 <= raw <= 599:
        raise _Unservable(f"status code {raw} is outside 100..599")
    return raw


class _Loader:
    def __init__(self, source: str, collection_id: str) -> None:
        self.source = source
        self.collection_id = collection_id
        self.requests: list[RequestItem] = []
        self.examples: list[Example] = []
        self.dropped: list[Dropped] = []

    def walk(
        self,
        items: Sequence[Any],
        where: str,
        folders: tuple[str, ...],
        scopes: tuple[Mapping[str, str], ...],
    ) -> None:
        for i, item in enumerate(items):
            here = f"{where}[{i}]"
            name = _text(item.get("name"))
            item_scopes = (_variables(item.get("variable")), *scopes)
            if "item" in item:
                self.walk(item["item"], f"{here}.item", (*folders, name), item_scopes)
            elif "request" in item:
                self.add_request(item, here, name, folders, item_scopes)

    def add_request(
        self,
        item: Mapping[str, Any],
        where: str,
        name: str,
        folders: tuple[str, ...],
        scopes: tuple[Mapping[str, str], ...],
    ) -> None:
        responses = item.get("response") or []
        try:
            request = _request(item.get("request"))
        except _Unservable as exc:
            for j, response in enumerate(responses):
                self.drop(f"{where}.response[{j}]", response, str(exc))
            return
        self.requests.append(RequestItem(name, folders, request, len(responses), where))
        for j, response in enumerate(responses):
            here = f"{where}.response[{j}]"
            try:
                self.examples.append(
                    self.example(
                        response, here, request, name, folders, scopes, item.get("request")
                    )
                )
            except _Unservable as exc:
                self.drop(here, response, str(exc))

    def example(
        self,
        raw: Mapping[str, Any],
        where: str,
        parent: Request,
        request_name: str,
        folders: tuple[str, ...],
        scopes: tuple[Mapping[str, str], ...],
        parent_raw: Any = None,
    ) -> Example:
        original = raw.get("originalRequest")
        if original is not None and original == parent_raw:
            request = parent  # saved as the request itself: read once (a deep == is cheap)
        else:
            request = _original_request(original, parent)
        body = raw.get("body")
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)
        example_id = raw.get("id")
        if not isinstance(example_id, str) or not example_id:
            # Postman gives every example an id on import; ours are stable across runs.
            example_id = stable_id(f"{self.collection_id}/{where}")
        return Example(
            id=example_id,
            name=_text(raw.get("name")),
            code=_code(raw.get("code")),
            status=_text(raw.get("status")),
            headers=_headers(raw.get("header")),
            body=body or "",
            language=_text(raw.get("_postman_previewlanguage")).lower(),
            request=request,
            request_name=request_name,
            folders=folders,
            scopes=scopes,
            position=len(self.examples),
            where=where,
        )

    def drop(self, where: str, raw: Any, reason: str) -> None:
        name = _text(raw.get("name")) if isinstance(raw, dict) else ""
        self.dropped.append(Dropped(where=where, name=name, reason=reason))


def _schema_version(info: Mapping[str, Any]) -> str:
    schema = _text(info.get("schema"))
    for version in ("2.1.0", "2.0.0"):
        if f"v{version}" in schema:
            return version
    return ""


def load_collection(path: str | Path) -> Collection:
    """Read a Postman Collection v2.0/v2.1 file; raise `LoadError` if it cannot be served."""
    path = Path(path)
    return parse_collection(_read_json(path), str(path))


def parse_collection(data: Any, source: str = "<collection>") -> Collection:
    """A collection from its parsed JSON; `source` names it in errors."""
    if isinstance(data, dict) and "collection" in data and "info" not in data:
        data = data["collection"]  # the Postman API wraps exports in {"collection": {...}}
    if isinstance(data, dict) and "values" in data and "item" not in data:
        raise LoadError(source, "is an environment file, not a collection (pass it with -e)")
    if isinstance(data, dict) and "requests" in data and "item" not in data:
        raise LoadError(source, "is a Postman v1 collection; export it again as v2.1")
    if not collection_looks_valid(data):
        _check(source, data, COLLECTION_SCHEMA, "Postman collection")
    info = data["info"]
    schema = _text(info.get("schema"))
    if schema and "collection" in schema and not _schema_version(info):
        raise LoadError(source, f"unsupported collection schema {schema!r}", "$.info.schema")
    collection_id = _text(info.get("_postman_id")) or _text(info.get("name")) or source
    variables = _variables(data.get("variable"))
    loader = _Loader(source, collection_id)
    loader.walk(data["item"], "$.item", (), (variables,))
    return Collection(
        source=source,
        name=_text(info.get("name")) or Path(source).name,
        schema_version=_schema_version(info),
        requests=tuple(loader.requests),
        examples=tuple(loader.examples),
        dropped=tuple(loader.dropped),
        variables=variables,
    )


def load_environment(path: str | Path) -> Environment:
    """Read a Postman environment file: its enabled values, at their initial value."""
    path = Path(path)
    source = str(path)
    data = _read_json(path)
    if isinstance(data, dict) and "environment" in data and "values" not in data:
        data = data["environment"]
    if isinstance(data, dict) and "item" in data and "values" not in data:
        raise LoadError(source, "is a collection, not an environment file")
    _check(source, data, ENVIRONMENT_SCHEMA, "Postman environment")
    return Environment(
        source=source, name=_text(data.get("name")) or path.name, values=_variables(data["values"])
    )
