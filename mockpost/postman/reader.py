"""Read and check Postman collection (v2.0, v2.1) and environment files.

Whatever real exports contain that mockpost can still serve is accepted; an example that
cannot be served is dropped with a reason; a file whose structure cannot be served raises
`LoadError`, whose message names the file, the problem and the place.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from mockpost.errors import LoadError
from mockpost.openapi.sniff import is_definition, looks_like_definition
from mockpost.postman.items import (
    BASE64_BODY,
    DYNAMIC_BODY,
    Unservable,
    as_text,
    read_code,
    read_headers,
    read_original_request,
    read_request,
    read_variables,
)
from mockpost.postman.jsonfile import check, read_bytes, read_json
from mockpost.postman.model import (
    Collection,
    Dropped,
    Environment,
    Example,
    Request,
    RequestItem,
    Scope,
)
from mockpost.postman.schema import COLLECTION_SCHEMA, ENVIRONMENT_SCHEMA, collection_looks_valid
from mockpost.state.tags import fenced

# What a value of an unexpected shape raises deep inside an entry that the checks above did not
# foresee: the example is dropped with the reason, like any other that cannot be served.
_MALFORMED = (TypeError, AttributeError, ValueError, KeyError)


_READ_KEPT = 8  # distinct requests of one item compared with each example's: a bound on ==


def _read_once(original: Any, parent: Request, read: list[tuple[Any, Request]]) -> Request:
    """An example's originalRequest: the object read before for an equal one of its item."""
    for saved, done in read:
        if saved == original:
            return done
    request = read_original_request(original, parent)
    if len(read) < _READ_KEPT:
        read.append((original, request))
    return request


def _why(error: Exception) -> str:
    if isinstance(error, Unservable):
        return str(error)
    return f"a value of an unexpected shape inside it ({type(error).__name__}: {error})"


class _Loader:
    def __init__(
        self,
        source: str,
        collection_id: str,
        first: int = 0,
        places: Mapping[str, str] | None = None,
    ) -> None:
        self.source = source
        self.collection_id = collection_id
        self.first = first  # the position of the first example read
        self.places = places or {}  # JSON path -> the name of the place, where it has one
        self.marks = ""  # the state tags of the request being read (its description's)
        self.requests: list[RequestItem] = []
        self.examples: list[Example] = []
        self.dropped: list[Dropped] = []

    def walk(
        self,
        items: Sequence[Any],
        where: str,
        folders: tuple[str, ...],
        scopes: tuple[Scope, ...],
    ) -> None:
        for i, item in enumerate(items):
            here = f"{where}[{i}]"
            name = as_text(item.get("name"))
            item_scopes = (read_variables(item.get("variable")), *scopes)
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
        scopes: tuple[Scope, ...],
    ) -> None:
        responses = item.get("response") or []
        try:
            request = read_request(item.get("request"))
        except (Unservable, *_MALFORMED) as exc:
            for j, response in enumerate(responses):
                self.drop(f"{where}.response[{j}]", response, _why(exc))
            return
        self.requests.append(RequestItem(name, folders, request, len(responses), where))
        raw_request = item.get("request")
        described = raw_request.get("description") if isinstance(raw_request, dict) else None
        self.marks = fenced(item.get("description")) or fenced(described)
        # The requests read so far for this item, as saved and as read: an example saved with
        # one of them (the request itself, or a sibling's) shares its object, read once (a
        # deep == is cheap), and the index compiles it once.
        read: list[tuple[Any, Request]] = [(item.get("request"), request)]
        for j, response in enumerate(responses):
            here = f"{where}.response[{j}]"
            try:
                self.examples.append(
                    self.example(response, here, request, name, folders, scopes, read)
                )
            except (Unservable, *_MALFORMED) as exc:
                self.drop(here, response, _why(exc))

    def example(
        self,
        raw: Mapping[str, Any],
        where: str,
        parent: Request,
        request_name: str,
        folders: tuple[str, ...],
        scopes: tuple[Scope, ...],
        read: list[tuple[Any, Request]],
    ) -> Example:
        original = raw.get("originalRequest")
        request = parent if original is None else _read_once(original, parent, read)
        body = raw.get("body")
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)
        raw_body = None
        if (encoded := raw.get(BASE64_BODY)) is not None:
            try:
                raw_body = base64.b64decode(encoded, validate=True)
            except (TypeError, ValueError):
                raise Unservable(f"{BASE64_BODY} is not base64") from None
        saved_id = raw.get("id")
        # What most examples hold is taken as it is, without a call per field: this runs for
        # every example of the file.
        name, status, language = (
            raw.get("name"),
            raw.get("status"),
            raw.get("_postman_previewlanguage"),
        )
        code = raw.get("code")
        # Positional, in the order Example declares its fields: keywords would cost a dict
        # per object (a class call turns them into one), a tenth of reading an example.
        example = Example(
            saved_id if isinstance(saved_id, str) else "",  # saved_id
            name if type(name) is str else as_text(name),  # name
            code if type(code) is int and 100 <= code <= 599 else read_code(code),  # code
            status if type(status) is str else as_text(status),  # status
            read_headers(raw.get("header")),  # headers
            body or "",  # body
            (language if type(language) is str else as_text(language)).lower(),  # language
            request,
            request_name,
            folders,
            scopes,
            self.first + len(self.examples),  # position
            self.places.get(where, where),  # where
            raw_body,
            self.collection_id,  # id_base
        )
        if isinstance(dynamic := raw.get(DYNAMIC_BODY), str):  # an API definition's
            example = replace(example, dynamic_body=dynamic)
        marks = "\n".join(m for m in (self.marks, fenced(raw.get("description"))) if m)
        return replace(example, marks=marks) if marks else example

    def drop(self, where: str, raw: Any, reason: str) -> None:
        name = as_text(raw.get("name")) if isinstance(raw, dict) else ""
        self.dropped.append(Dropped(self.places.get(where, where), name, reason))


def _schema_version(info: Mapping[str, Any]) -> str:
    schema = as_text(info.get("schema"))
    for version in ("2.1.0", "2.0.0"):
        if f"v{version}" in schema:
            return version
    return ""


def load_collection(path: str | Path, data: bytes | None = None) -> Collection:
    """Read a Postman Collection v2.0/v2.1 file (`data`: its bytes, when they were read
    already), a v3 collection directory or project root, or an OpenAPI or Swagger definition;
    raise `LoadError` if it cannot be served."""
    path = Path(path)
    if data is None and path.is_dir():  # v3: YAML (read only then: a JSON file needs none)
        from mockpost.postman.v3 import is_v3_directory, load_v3

        if not is_v3_directory(path):
            raise LoadError(
                str(path),
                "is a directory that holds no Postman collection (no *.request.yaml, no "
                ".resources/definition.yaml, no postman/collections/)",
            )
        return load_v3(path)
    if data is None:
        data = read_bytes(path)
    parsed = None if data.lstrip()[:1] != b"{" else read_json(path, data)
    if is_definition(parsed) or (parsed is None and looks_like_definition(data)):
        from mockpost.openapi.load import load_definition  # OpenAPI or Swagger, by content

        return load_definition(path, parsed)
    return parse_collection(parsed if parsed is not None else read_json(path, data), str(path))


def parse_collection(
    data: Any, source: str = "<collection>", places: Mapping[str, str] | None = None
) -> Collection:
    """A collection from its parsed JSON; `source` names it in errors. `places` names an
    example or a drop by something else than its JSON path (a v3 example: its file)."""
    try:
        return _parse_collection(data, source, places or {})
    except RecursionError:  # folders (or values) nested deeper than Python's stack
        raise LoadError(source, "is nested too deeply to serve (folders or values)") from None


def _parse_collection(data: Any, source: str, places: Mapping[str, str]) -> Collection:
    if isinstance(data, dict) and "collection" in data and "info" not in data:
        data = data["collection"]  # the Postman API wraps exports in {"collection": {...}}
    if isinstance(data, dict) and "values" in data and "item" not in data:
        raise LoadError(source, "is an environment file, not a collection (pass it with -e)")
    if isinstance(data, dict) and "requests" in data and "item" not in data:
        raise LoadError(source, "is a Postman v1 collection; export it again as v2.1")
    if not collection_looks_valid(data):
        check(source, data, COLLECTION_SCHEMA, "Postman collection")
    info = data["info"]
    schema = as_text(info.get("schema"))
    if schema and "collection" in schema and not _schema_version(info):
        raise LoadError(source, f"unsupported collection schema {schema!r}", "$.info.schema")
    collection_id = as_text(info.get("_postman_id")) or as_text(info.get("name")) or source
    variables = read_variables(data.get("variable"))
    loader = _Loader(source, collection_id, places=places)
    loader.walk(data["item"], "$.item", (), (variables,))
    return Collection(
        source=source,
        name=as_text(info.get("name")) or Path(source).name,
        schema_version=_schema_version(info),
        requests=tuple(loader.requests),
        examples=tuple(loader.examples),
        dropped=tuple(loader.dropped),
        variables=variables.values,
        id_base=collection_id,
        scope=variables,
    )


RECORDED_FOLDER = "Recorded"
RECORDED_PLACE = "$.recorded"  # where a recording's items are said to be, after the file's


def with_recorded(base: Collection, items: Sequence[Any]) -> Collection:
    """`base` with a recording's items after its own examples, in a folder "Recorded" (as
    `serve --proxy --record-to` serves them): only the items are read."""
    loader = _Loader(base.source, base.id_base, first=len(base.examples))
    scope = base.scope if base.scope is not None else Scope(base.variables)
    loader.walk(items, f"{RECORDED_PLACE}.item", (RECORDED_FOLDER,), (Scope({}), scope))
    return replace(
        base,
        requests=base.requests + tuple(loader.requests),
        examples=base.examples + tuple(loader.examples),
        dropped=base.dropped + tuple(loader.dropped),
    )


def load_environment(path: str | Path, raw: bytes | None = None) -> Environment:
    """Read a Postman environment file (`raw`: its bytes, when they were read already): its
    enabled values, at their initial value."""
    path = Path(path)
    source = str(path)
    if raw is None and path.suffix.lower() in (".yaml", ".yml"):
        from mockpost.postman.yamlfile import read_yaml

        data = _yaml_environment(read_yaml(path))
    else:
        data = read_json(path, raw)
    if isinstance(data, dict) and "environment" in data and "values" not in data:
        data = data["environment"]
    if isinstance(data, dict) and "item" in data and "values" not in data:
        raise LoadError(source, "is a collection, not an environment file")
    check(source, data, ENVIRONMENT_SCHEMA, "Postman environment")
    return Environment(
        source=source,
        name=as_text(data.get("name")) or path.name,
        values=read_variables(data["values"]).values,
    )


def _yaml_environment(data: Any) -> Any:
    """A v3 environment (`name`, `values` of `{key, value, enabled, type}`) as a v2.1 one. A
    value with none (a vault's or a secret's) is left out: unresolved, as Postman treats it."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return data  # the check that follows says what is wrong
    values = []
    for entry in data["values"]:
        if not isinstance(entry, dict) or entry.get("value") is None:
            continue
        enabled = str(entry.get("enabled", "true")).strip().lower() != "false"
        values.append({"key": entry.get("key"), "value": entry["value"], "enabled": enabled})
    return {"name": data.get("name"), "values": values}
