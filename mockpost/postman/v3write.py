"""Writing a collection as Postman's v3 format: a directory of YAML files.

From a v2.1 (or v2.0) document, the tree Postman's own writer makes (`postman collection
migrate`, ../shared/postman-v3-format.md 1.3 and 13): a directory per folder with its
`.resources/definition.yaml`, a `<stem>.request.yaml` per request, its examples under
`.resources/<stem>.resources/examples/`. File stems are sanitized as Postman does, the full
name kept in `name`; key-value blocks are maps where entries carry only a key and a value and
keys are unique, lists otherwise; `order` is spaced by 1,000; every text that a YAML 1.1 or
1.2 reader could take for something else is quoted, so that it reads back as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from mockpost.postman.items import BASE64_BODY, as_text, raw_language

UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]+')
MAX_STEM = 64  # bytes of UTF-8, as Postman cuts them
LOOKS_TYPED = re.compile(
    r"^(?:[-+.0-9].*|~|null|true|false|yes|no|on|off|y|n|[-+]?\.(?:inf|nan)|<<|=)$",
    re.IGNORECASE,
)
LANGUAGES = ("json", "xml", "html", "javascript", "text", "yaml")


class _Dumper(yaml.SafeDumper):
    """Text that could read back as a number, a boolean, a date or a null is quoted;
    several lines are a literal block."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if (
        "\n" in value
        and value == value.strip(" ")
        and not any(line != line.rstrip(" \t") for line in value.split("\n"))
    ):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if LOOKS_TYPED.match(value) or value != value.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)
_Dumper.add_multi_representer(str, _text)  # and its kinds (multidict's header names)


def dump(data: Mapping[str, Any]) -> str:
    return yaml.dump(
        dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000
    )


def stem(name: str, taken: set[str], folder: bool = False) -> str:
    """A file stem for `name`, as Postman makes it, unique (case-insensitively) in `taken`."""
    text = UNSAFE.sub("-", name).rstrip(" ")
    text = re.sub(r"\.$", "-", text)
    if folder:  # Postman's linter wants no `--` in a folder's name (FMT019)
        text = re.sub(r"-{2,}", "-", text)
    text = _cut(text or "unnamed", MAX_STEM).rstrip(" ")
    found, n = text, 0
    while found.lower() in taken:
        n += 1
        suffix = f"-{n}"
        found = _cut(text, MAX_STEM - len(suffix.encode())).rstrip(" ")
        found = (found.rstrip("-") if folder else found) + suffix
    taken.add(found.lower())
    return found


def _cut(text: str, size: int) -> str:
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def kv(entries: Any, named: bool = True) -> Any:
    """v2.1 entries as a map where each has only a key and a value and keys are unique,
    else as a list (which keeps `disabled`, `description` and repeated keys)."""
    items = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    if not items:
        return None
    keys = [as_text(e.get("key")) for e in items]
    plain = all(set(e) <= {"key", "value", "type"} and not e.get("disabled") for e in items)
    if plain and len({k.lower() for k in keys}) == len(keys):
        return {k: as_text(e.get("value")) for k, e in zip(keys, items, strict=True)}
    out = []
    for key, entry in zip(keys, items, strict=True):
        item: dict[str, Any] = {"key": key, "value": as_text(entry.get("value"))}
        if entry.get("description"):
            item["description"] = as_text(entry.get("description"))
        if entry.get("disabled") is True:
            item["disabled"] = True
        out.append(item)
    return out


def _raw_url(url: Any) -> str:
    if isinstance(url, str):
        return url
    if not isinstance(url, dict):
        return ""
    if isinstance(url.get("raw"), str):
        return str(url["raw"])
    host = url.get("host")
    path = url.get("path")
    host_text = ".".join(as_text(h) for h in host) if isinstance(host, list) else as_text(host)
    path_text = "/".join(as_text(p) for p in path) if isinstance(path, list) else as_text(path)
    return f"{host_text}/{path_text}" if path_text else host_text


def body(raw: Any) -> dict[str, Any] | None:
    """A v2.1 request body as v3's `{type, content}`."""
    if not isinstance(raw, dict) or raw.get("disabled") is True:
        return None
    mode = raw.get("mode")
    if mode == "raw":
        language = raw_language(raw)
        kind = language if language in LANGUAGES else "text"
        return {"type": kind, "content": as_text(raw.get("raw"))}
    if mode == "urlencoded":
        return {"type": "urlencoded", "content": kv(raw.get("urlencoded")) or {}}
    if mode == "formdata":
        fields = []
        for entry in raw.get("formdata") or []:
            if not isinstance(entry, dict):
                continue
            field: dict[str, Any] = {"key": as_text(entry.get("key"))}
            if entry.get("type") == "file":  # Postman's linter wants `src`, maybe empty
                field["type"] = "file"
                src = entry.get("src")
                field["src"] = [as_text(s) for s in src] if isinstance(src, list) else as_text(src)
            else:
                field["type"] = "text"
                field["value"] = as_text(entry.get("value"))
            if entry.get("disabled") is True:
                field["disabled"] = True
            fields.append(field)
        return {"type": "formdata", "content": fields}
    if mode == "graphql" and isinstance(raw.get("graphql"), dict):
        graphql = raw["graphql"]
        return {
            "type": "graphql",
            "content": {
                "query": as_text(graphql.get("query")),
                "variables": as_text(graphql.get("variables")),
            },
        }
    if mode == "file":
        return {"type": "file", "content": {"src": as_text((raw.get("file") or {}).get("src"))}}
    return None


def request_fields(raw: Any) -> dict[str, Any]:
    """A v2.1 request's url, method, headers, query and path variables and body, as v3's."""
    if isinstance(raw, str):
        return {"url": raw, "method": "GET"}
    if not isinstance(raw, dict):
        return {}
    url = raw.get("url")
    out: dict[str, Any] = {"url": _raw_url(url), "method": as_text(raw.get("method")) or "GET"}
    for name, entries in (
        ("headers", raw.get("header")),
        ("queryParams", url.get("query") if isinstance(url, dict) else None),
        ("pathVariables", url.get("variable") if isinstance(url, dict) else None),
    ):
        found = kv(entries)
        if found is not None:
            out[name] = found
    found_body = body(raw.get("body"))
    if found_body is not None:
        out["body"] = found_body
    return out


def example(raw: Mapping[str, Any], file_stem: str, order: float) -> dict[str, Any]:
    name = as_text(raw.get("name"))
    out: dict[str, Any] = {"$kind": "http-example"}
    if name != file_stem:
        out["name"] = name
    if isinstance(raw.get("id"), str) and raw["id"]:
        out["id"] = raw["id"]
    if raw.get("originalRequest") is not None:
        out["request"] = request_fields(raw["originalRequest"])
    language = as_text(raw.get("_postman_previewlanguage")).lower()
    code = raw.get("code")
    response: dict[str, Any] = {
        "statusCode": code if isinstance(code, int) and not isinstance(code, bool) else 200,
        "statusText": as_text(raw.get("status")),
    }
    headers = kv(raw.get("header"))
    if headers is not None:
        response["headers"] = headers
    content = raw.get("body")
    response["body"] = {
        "type": language if language in LANGUAGES else "text",
        "content": content if isinstance(content, str) else as_text(content),
    }
    out["response"] = response
    if isinstance(raw.get(BASE64_BODY), str):  # Postman's linter strips a key it does not know
        out[BASE64_BODY] = raw[BASE64_BODY]
    out["order"] = _number(order)
    return out


def collection_definition(document: Mapping[str, Any], fallback: str) -> dict[str, Any]:
    """The root `.resources/definition.yaml` of a v2.1 document (named `fallback` when it
    has no name)."""
    info = document.get("info") if isinstance(document.get("info"), dict) else {}
    assert isinstance(info, dict)
    definition: dict[str, Any] = {"$kind": "collection"}
    if info.get("_postman_id"):
        definition["id"] = as_text(info.get("_postman_id"))
    definition["name"] = as_text(info.get("name")) or fallback
    if isinstance(info.get("description"), str) and info["description"]:
        definition["description"] = info["description"]
    variables = kv(document.get("variable"))
    if variables is not None:
        definition["variables"] = variables
    return definition


def folder_definition(item: Mapping[str, Any], directory: str, order: float) -> dict[str, Any]:
    """A folder's `.resources/definition.yaml`, in its directory named `directory`."""
    name = as_text(item.get("name"))
    definition: dict[str, Any] = {"$kind": "collection"}
    if name != directory:
        definition["name"] = name
    variables = kv(item.get("variable"))
    if variables is not None:
        definition["variables"] = variables
    definition["order"] = _number(order)
    return definition


def request_file(item: Mapping[str, Any], file_stem: str, order: float) -> dict[str, Any]:
    """A request item's `<file_stem>.request.yaml` (its examples in the default place)."""
    name = as_text(item.get("name"))
    data: dict[str, Any] = {"$kind": "http-request"}
    if name != file_stem:
        data["name"] = name
    data.update(request_fields(item.get("request")))
    data["examples"] = f"./.resources/{file_stem}.resources/examples"
    data["order"] = _number(order)
    return data


def examples_directory(folder: Path, file_stem: str) -> Path:
    return folder / ".resources" / f"{file_stem}.resources" / "examples"


def _number(order: float) -> int | float:
    return int(order) if order == int(order) else order


def write_v3(document: Mapping[str, Any], root: Path) -> int:
    """Write `document` (a v2.1 collection) as a v3 tree in `root`; the files written."""
    definition = collection_definition(document, root.name)
    return _write(root / ".resources" / "definition.yaml", definition) + _items(
        document.get("item") or [], root
    )


def _write(path: Path, data: Mapping[str, Any]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return 1


def _items(items: Sequence[Any], folder: Path) -> int:
    written = 0
    folders: set[str] = set()
    requests: set[str] = set()
    for i, item in enumerate(i for i in items if isinstance(i, dict)):
        order = (i + 1) * 1000
        name = as_text(item.get("name"))
        if isinstance(item.get("item"), list):
            directory = folder / stem(name, folders, folder=True)
            definition = folder_definition(item, directory.name, order)
            written += _write(directory / ".resources" / "definition.yaml", definition)
            written += _items(item["item"], directory)
        elif "request" in item:
            written += _request(item, folder, stem(name, requests), order)
    return written


def _request(item: Mapping[str, Any], folder: Path, file_stem: str, order: int) -> int:
    data = request_file(item, file_stem, order)
    responses = [r for r in item.get("response") or [] if isinstance(r, dict)]
    if not responses:
        del data["examples"]
    written = _write(folder / f"{file_stem}.request.yaml", data)
    taken: set[str] = set()
    examples = examples_directory(folder, file_stem)
    for j, response in enumerate(responses):
        example_stem = stem(as_text(response.get("name")), taken)
        saved = example(response, example_stem, (j + 1) * 1000)
        written += _write(examples / f"{example_stem}.example.yaml", saved)
    return written
