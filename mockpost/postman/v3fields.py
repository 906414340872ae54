"""A v3 file's fields as a v2.1 document's: key-value blocks in either shape, bodies, URLs,
requests and saved responses (../shared/postman-v3-format.md, sections 3, 5 to 7)."""

from __future__ import annotations

import json
from typing import Any

from mockpost.postman.items import BASE64_BODY

RAW_TYPES = ("json", "text", "xml", "html", "javascript", "yaml")
CONTENT_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "javascript": "application/javascript",
    "yaml": "application/yaml",
    "text": "text/plain",
}


def text(value: Any) -> str:
    """A scalar as text (the loader reads every plain scalar as text; None is "")."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def kv(raw: Any, key_field: str = "key") -> list[dict[str, Any]]:
    """A key-value block in either shape (a `key: value` map, or a list of entries) as
    v2.1 entries, in order, disabled ones marked."""
    if isinstance(raw, dict):
        return [{"key": text(k), "value": text(v)} for k, v in raw.items()]
    if not isinstance(raw, list):
        return []
    out = []
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        key = entry.get(key_field, entry.get("name"))
        if key is None:
            continue
        item: dict[str, Any] = {"key": text(key), "value": text(entry.get("value"))}
        if true(entry.get("disabled")) or entry.get("enabled") in (False, "false"):
            item["disabled"] = True
        out.append(item)
    return out


def _body(raw: Any) -> dict[str, Any] | None:
    """A v3 body (`{type, content}`) as a v2.1 one."""
    if not isinstance(raw, dict):
        return None
    kind = text(raw.get("type")).lower()
    content = raw.get("content")
    if kind in RAW_TYPES:
        return {"mode": "raw", "raw": text(content), "options": {"raw": {"language": kind}}}
    if kind == "urlencoded":
        return {"mode": "urlencoded", "urlencoded": kv(content)}
    if kind == "formdata":
        fields = []
        for entry in content if isinstance(content, list) else []:
            if isinstance(entry, dict) and entry.get("key") is not None:
                fields.append(
                    {
                        "key": text(entry.get("key")),
                        "type": "file" if text(entry.get("type")) == "file" else "text",
                        "value": text(entry.get("value")),
                        "disabled": true(entry.get("disabled")),
                    }
                )
        return {"mode": "formdata", "formdata": fields}
    if kind == "graphql":
        graphql = content if isinstance(content, dict) else {}
        variables = graphql.get("variables")
        return {
            "mode": "graphql",
            "graphql": {
                "query": text(graphql.get("query")),
                "variables": variables if isinstance(variables, str) else text(variables),
            },
        }
    if kind == "file":
        return {"mode": "file", "file": {}}
    return None


def _url(data: dict[str, Any]) -> dict[str, Any]:
    url: dict[str, Any] = {"raw": text(data.get("url"))}
    if data.get("queryParams") is not None:
        url["query"] = kv(data.get("queryParams"))
    if data.get("pathVariables") is not None:
        url["variable"] = kv(data.get("pathVariables"))
    return url


def http_request(data: dict[str, Any]) -> dict[str, Any]:
    """A request file (or an example's `request`) as a v2.1 request."""
    request: dict[str, Any] = {"url": _url(data), "header": kv(data.get("headers"))}
    method = text(data.get("method")).strip()
    if method:
        request["method"] = method
    body = _body(data.get("body"))
    if body is not None:
        request["body"] = body
    if "```mockpost" in text(data.get("description")):  # state tags (state/tags.py)
        request["description"] = text(data.get("description"))
    return request


def saved_response(data: dict[str, Any], stem: str) -> dict[str, Any]:
    """An example file as a v2.1 saved response (with its `order`, to sort by)."""
    found = data.get("response")
    response: dict[str, Any] = found if isinstance(found, dict) else {}
    found = response.get("body")
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    kind = text(body.get("type")).lower()
    headers = kv(response.get("headers"))
    content = text(body.get("content"))
    named = any(h["key"].lower() == "content-type" for h in headers)
    if kind in CONTENT_TYPES and not named:
        headers.append({"key": "Content-Type", "value": CONTENT_TYPES[kind]})
    code = text(response.get("statusCode")).strip()
    saved: dict[str, Any] = {
        "name": text(data.get("name")) or stem,
        "code": int(code) if code.isdigit() else (code or None),
        "status": text(response.get("statusText")),
        "header": headers,
        "body": content,
        "_postman_previewlanguage": kind if kind in RAW_TYPES else "",
    }
    if isinstance(data.get("id"), str) and data["id"]:
        saved["id"] = data["id"]
    if isinstance(data.get(BASE64_BODY), str):  # mockpost's own: a recorded binary body
        saved[BASE64_BODY] = data[BASE64_BODY]
    if "```mockpost" in text(data.get("description")):  # state tags (state/tags.py)
        saved["description"] = text(data.get("description"))
    original = data.get("request")
    if isinstance(original, dict):
        request = http_request(original)
        if not request["url"]["raw"].strip():  # saved with no request: its parent's
            request.pop("url")
            request.pop("method", None)
        saved["originalRequest"] = request
    return saved
