"""An OpenAPI 3.0/3.1 or Swagger 2.0 definition as the v2.1 document a collection file holds,
which the one reader (`postman/reader.py`) serves: nothing downstream knows the source.

Every operation is a request, in a folder named after its first tag (else its path's first
segment; `folders="paths"` always so), its saved examples made by `answers.py`. The path
template's parameters are wildcards: `/users/{id}` is `/users/:id` with no value, which
answers `/users/7`; a parameter inside a segment (`/files/{name}.json`) is `{{name}}`. The
first server's URL (its variables at their defaults; Swagger: scheme, host and basePath) is
the collection variable `baseUrl`, so its base path is kept. An operation whose `$ref`s
cannot be followed is dropped with the reason; callbacks, links and webhooks are counted as
not served.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockpost.calls.body import preview_language
from mockpost.openapi.answers import Answers, body_text, preferred_media
from mockpost.openapi.refs import Place, RefError, Refs
from mockpost.openapi.sample import Sampler
from mockpost.openapi.source import DefinitionError

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
FORMS = {"application/x-www-form-urlencoded": "urlencoded", "multipart/form-data": "formdata"}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TEMPLATE = re.compile(r"\{([^{}/]+)\}")


@dataclass
class Read:
    """What converting a definition met on the way."""

    version: str = ""  # "OpenAPI 3.1", "Swagger 2.0"
    root: Any = None  # the root file's data
    base_url: str = ""
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # where, name, why
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, what: str, count: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + count


def version_of(data: Any, source: str) -> str:
    """ "3.0", "3.1" or "2.0" (raises DefinitionError for anything else)."""
    if not isinstance(data, dict):
        raise DefinitionError(source, "is not an OpenAPI definition (not a mapping)")
    if "openapi" in data:
        text = str(data["openapi"])
        if re.match(r"^3\.[01](\.|$)", text):
            return text[:3]
        raise DefinitionError(
            source, f"OpenAPI {text} is not supported (3.0, 3.1, Swagger 2.0)", "/openapi"
        )
    if str(data.get("swagger")) in ("2.0", "2"):
        return "2.0"
    raise DefinitionError(source, "is not an OpenAPI 3 or Swagger 2.0 definition", "/")


def definition_document(
    path: Path, folders: str = "tags", data: Any = None, params: str = "example"
) -> tuple[dict[str, Any], Read]:
    """The definition at `path` (`data`: its root file, when it was parsed already) as a v2.1
    document, and what was dropped or skipped. `params="schema"`: the requests' parameters
    and bodies are placeholders from their schemas (`<string>`), as Postman's converter
    can make them, instead of their examples."""
    refs = Refs(Path(os.path.abspath(path)))  # `$ref`s lead from absolute paths
    if data is not None:
        refs.files[refs.root] = data
    source = str(path)
    data = refs.document(refs.root)
    version = version_of(data, source)
    swagger = version == "2.0"
    paths = data.get("paths") or {}
    if not isinstance(paths, dict):
        raise DefinitionError(source, "paths is not a mapping", "/paths")
    read = Read("Swagger 2.0" if swagger else f"OpenAPI {version}", data, _base_url(data, swagger))
    listed = data.get("produces")
    produces = [str(p) for p in listed] if swagger and isinstance(listed, list) else []
    answers = Answers(refs, swagger, produces)
    requests = Sampler(refs, response=False, placeholders=params == "schema")
    by_folder: dict[str, list[dict[str, Any]]] = {}
    tagged = folders == "tags" and _has_tags(paths)
    root = Place(refs.root)
    for template, item in paths.items():
        at = root.child("paths", template)
        try:
            item, at = refs.resolve(item, at)
        except RefError as exc:
            read.dropped.append((exc.where or at.pointer, str(template), exc.problem))
            continue
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if method not in item:
                continue
            name = f"{method.upper()} {template}"
            try:
                operation, op_at = refs.resolve(item[method], at.child(method))
                if not isinstance(operation, dict):
                    continue
                request = _request(
                    refs, requests, str(template), method, item, operation, op_at, swagger
                )
                original = {k: v for k, v in request.items() if k != "body"}
                original["url"] = {k: v for k, v in request["url"].items() if k != "query"}
                original["url"]["raw"] = request["url"]["raw"].partition("?")[0]
                responses = answers.of(
                    operation.get("responses"), op_at.child("responses"), original
                )
            except RefError as exc:
                read.dropped.append((f"{exc.source} {exc.where}".strip(), name, exc.problem))
                continue
            except RecursionError:
                read.dropped.append((op_at.pointer, name, "its schemas are nested too deeply"))
                continue
            except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
                why = f"a value of an unexpected shape inside it ({type(exc).__name__}: {exc})"
                read.dropped.append((op_at.pointer, name, why))
                continue
            for what in ("callbacks",):
                if isinstance(operation.get(what), dict):
                    read.skip(what, len(operation[what]))
            folder = _folder(operation, str(template), tagged)
            by_folder.setdefault(folder, []).append(
                {
                    "name": str(operation.get("summary") or operation.get("operationId") or name),
                    "request": request,
                    "response": responses,
                }
            )
    _count_unserved(data, read)
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    document: dict[str, Any] = {
        "info": {"name": str(info.get("title") or path.stem), "schema": V21},
        "variable": [{"key": "baseUrl", "value": read.base_url}],
        "item": [{"name": name, "item": items} for name, items in by_folder.items()],
    }
    if isinstance(info.get("description"), str):
        document["info"]["description"] = info["description"]
    return document, read


def _has_tags(paths: dict[str, Any]) -> bool:
    return any(
        isinstance(item, dict)
        and isinstance(item.get(m), dict)
        and isinstance(item[m].get("tags"), list)
        and item[m]["tags"]
        for item in paths.values()
        for m in METHODS
    )


def _folder(operation: dict[str, Any], template: str, tagged: bool) -> str:
    tags = operation.get("tags")
    if tagged and isinstance(tags, list) and tags:
        return str(tags[0])
    first = next((s for s in template.split("/") if s and not s.startswith("{")), "")
    return first or "/"


def _count_unserved(data: dict[str, Any], read: Read) -> None:
    if isinstance(data.get("webhooks"), dict) and data["webhooks"]:
        read.skip("webhooks", len(data["webhooks"]))
    links = sum(
        len(r["links"])
        for item in (data.get("paths") or {}).values()
        if isinstance(item, dict)
        for m in METHODS
        if isinstance(item.get(m), dict) and isinstance(item[m].get("responses"), dict)
        for r in item[m]["responses"].values()
        if isinstance(r, dict) and isinstance(r.get("links"), dict)
    )
    if links:
        read.skip("links", links)


def _base_url(data: dict[str, Any], swagger: bool) -> str:
    if swagger:
        schemes = data.get("schemes") if isinstance(data.get("schemes"), list) else []
        scheme = str(schemes[0]) if schemes else "https"
        host = str(data.get("host") or "localhost")
        return f"{scheme}://{host}{str(data.get('basePath') or '').rstrip('/')}"
    servers = data.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else {}
    url = str(server.get("url") or "/") if isinstance(server, dict) else "/"
    variables = server.get("variables") if isinstance(server, dict) else None
    if isinstance(variables, dict):
        for name, variable in variables.items():
            default = variable.get("default", "") if isinstance(variable, dict) else ""
            url = url.replace(f"{{{name}}}", str(default))
    if "://" not in url:
        url = "http://localhost" + ("" if url.startswith("/") else "/") + url
    return url.rstrip("/")


def _parameters(
    refs: Refs, item: dict[str, Any], operation: dict[str, Any], at: Place
) -> list[dict[str, Any]]:
    """Path-level and operation-level parameters, the operation's winning (by name and in)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for owner, where in ((item, at), (operation, at)):
        for i, raw in enumerate(owner.get("parameters") or []):
            parameter, _ = refs.resolve(raw, where.child("parameters", i))
            if isinstance(parameter, dict) and "name" in parameter:
                found[(str(parameter["name"]), str(parameter.get("in")))] = parameter
    return list(found.values())


def _example_of(parameter: dict[str, Any], sampler: Sampler, at: Place) -> str:
    if sampler.placeholders:
        value = sampler.sample(parameter.get("schema", parameter), at)
    elif "example" in parameter:
        value = parameter["example"]
    elif isinstance(parameter.get("examples"), dict) and parameter["examples"]:
        first = next(iter(parameter["examples"].values()))
        value = first.get("value") if isinstance(first, dict) else first
    else:
        schema = parameter.get("schema", parameter)  # Swagger 2.0: the parameter is its schema
        value = sampler.sample(schema, at)
    return value if isinstance(value, str) else body_text(value, "application/json")


def _request(
    refs: Refs,
    sampler: Sampler,
    template: str,
    method: str,
    item: dict[str, Any],
    operation: dict[str, Any],
    at: Place,
    swagger: bool,
) -> dict[str, Any]:
    segments = []
    for segment in template.strip("/").split("/") if template.strip("/") else []:
        whole = TEMPLATE.fullmatch(segment)
        segments.append(f":{whole[1]}" if whole else TEMPLATE.sub(r"{{\1}}", segment))
    query: list[dict[str, Any]] = []
    headers: list[dict[str, str]] = []
    variables: list[dict[str, str]] = []
    body: dict[str, Any] | None = None
    for parameter in _parameters(refs, item, operation, at):
        where, name = str(parameter.get("in")), str(parameter["name"])
        if where == "path":
            variables.append({"key": name, "value": ""})
        elif where == "query":
            entry = {"key": name, "value": _example_of(parameter, sampler, at)}
            query.append(entry if parameter.get("required") else {**entry, "disabled": True})
        elif where == "header":
            headers.append({"key": name, "value": _example_of(parameter, sampler, at)})
        elif where == "body" and swagger:
            value = sampler.sample(parameter.get("schema", {}), at)
            body = _raw("application/json", value, made=True)
    if not swagger:
        request_body, body_at = refs.resolve(operation.get("requestBody"), at.child("requestBody"))
        content = request_body.get("content") if isinstance(request_body, dict) else None
        media = preferred_media(content)
        if media is not None and isinstance(content, dict):
            found, media_at = refs.resolve(content[media], body_at.child("content", media))
            found = found if isinstance(found, dict) else {}
            if "example" in found and not sampler.placeholders:
                body = _raw(media, found["example"])
            else:
                value = sampler.sample(found.get("schema", {}), media_at.child("schema"))
                body = _raw(media, value, made=True)
    if body is not None:
        media = body.pop("_media")
        if body["mode"] != "formdata":  # a form's boundary is the sender's to write
            headers.append({"key": "Content-Type", "value": media})
    raw = "{{baseUrl}}" + "".join(f"/{s}" for s in segments)
    if query:
        raw += "?" + "&".join(f"{q['key']}={q['value']}" for q in query if not q.get("disabled"))
    url: dict[str, Any] = {"raw": raw.rstrip("?"), "host": ["{{baseUrl}}"], "path": segments}
    if query:
        url["query"] = query
    if variables:
        url["variable"] = variables
    request: dict[str, Any] = {"method": method.upper(), "header": headers, "url": url}
    if body is not None:
        request["body"] = body
    return request


def _raw(media: str, value: Any, made: bool = False) -> dict[str, Any]:
    """A request body as v2.1 holds it: form fields for a form, else raw text."""
    form = media.lower().split(";")[0].strip()
    if isinstance(value, dict) and form in FORMS:
        fields = [
            {"key": str(k), "value": _field_text(v), "type": "text"} for k, v in value.items()
        ]
        return {FORMS[form]: fields, "mode": FORMS[form], "_media": media}
    return {
        "mode": "raw",
        "raw": body_text(value, media, made),
        "options": {"raw": {"language": preview_language(media)}},
        "_media": media,
    }


def _field_text(value: Any) -> str:
    return value if isinstance(value, str) else body_text(value, "application/json", True)
