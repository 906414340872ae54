"""A recording as a Postman Collection v2.1 document, kept in memory and written whole.

One request per method and path, in the folder "Recorded" when added to an existing
collection; one example per distinct answer (status and body), named after the status
(`200 OK`, `200 OK 2`...), with the call that produced it as its `originalRequest`. Path
segments that are ids stay concrete: mockpost's ID step matches other ids.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from mockpost.calls.body import media_type, preview_language
from mockpost.hop_by_hop import HOP_BY_HOP
from mockpost.postman.items import BASE64_BODY
from mockpost.record.exchange import Exchange, Headers
from mockpost.record.redact import redacted, redacted_query, variable_for
from mockpost.status import phrase

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
FOLDER = "Recorded"
# Not saved with a request or an example: they describe one connection or one encoding.
DROPPED_HEADERS = HOP_BY_HOP | {"host", "content-length", "content-encoding", "date"}


@dataclass(frozen=True, slots=True)
class Added:
    request: str  # the request's name
    example: str  # the example's name
    new: bool  # False: an identical answer was already saved
    redacted: tuple[str, ...]  # header names whose values became placeholders


def status_name(code: int, reason: str = "") -> str:
    return f"{code} {phrase(code) or reason}".strip()


def _text(body: bytes) -> str | None:
    """The body as text, or None when it is not UTF-8 (kept as base64 then)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _headers(
    headers: Headers, keep: tuple[str, ...], answer: bool = False
) -> tuple[list[dict[str, str]], list[str]]:
    """The headers to save, secrets as placeholders; in an answer (`answer`) a secret is
    left out instead, so that it is never served back as an empty header."""
    kept = tuple(
        (n, v) for n, v in headers if n.lower() not in DROPPED_HEADERS and not n.startswith(":")
    )  # HTTP/2's pseudo-headers (`:authority`) are not headers a request can hold
    safe, names = redacted(kept, keep)
    if answer:
        safe = tuple((n, v) for (n, v), (_, was) in zip(safe, kept, strict=True) if v == was)
    return [{"key": n, "value": v} for n, v in safe], list(names)


def _redacted_query(query: str, keep: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The query as sent, with each secret parameter's value a placeholder."""
    if not query:
        return query, ()
    out: list[str] = []
    names: list[str] = []
    for part in query.split("&"):
        raw_name, _, raw_value = part.partition("=")
        name = unquote_plus(raw_name)
        _, hidden = redacted_query([(name, raw_value)], keep)
        if hidden:
            out.append(f"{raw_name}={{{{{variable_for(name)}}}}}")
            names.extend(n for n in hidden if n not in names)
        else:
            out.append(part)
    return "&".join(out), tuple(names)


def _url(origin: str, path: str, query: str) -> dict[str, Any]:
    """The URL with the target's origin written out: no variable that a collection or an
    environment could give a base path (`{{baseUrl}}` = `https://api.example.com/v1`), so
    the example answers exactly the path that was called."""
    parts = urlsplit(origin)
    url: dict[str, Any] = {
        "raw": origin + path + (f"?{query}" if query else ""),
        "protocol": parts.scheme,
        "host": (parts.hostname or "localhost").split("."),
        "path": path.split("/")[1:],
    }
    if parts.port is not None:
        url["port"] = str(parts.port)
    if query:
        url["query"] = [
            {
                "key": unquote_plus(key),
                "value": value if value.startswith("{{") else unquote_plus(value),
            }
            for key, _, value in (part.partition("=") for part in query.split("&") if part)
        ]
    return url


def _body(body: bytes, headers: Headers) -> dict[str, Any] | None:
    if not body:
        return None
    content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
    media = media_type(content_type)
    text = _text(body)
    if media == "application/x-www-form-urlencoded" and text is not None:
        pairs = parse_qsl(text, keep_blank_values=True)
        return {"mode": "urlencoded", "urlencoded": [{"key": k, "value": v} for k, v in pairs]}
    if text is None:
        text = body.decode("latin-1")  # a binary upload: kept as near as text allows
    raw: dict[str, Any] = {"mode": "raw", "raw": text}
    language = preview_language(content_type)
    if language != "text":
        raw["options"] = {"raw": {"language": language}}
    return raw


class Recording:
    """A collection that grows as calls are recorded."""

    def __init__(
        self,
        name: str,
        origin: str,
        base: dict[str, Any] | None = None,
        keep_headers: tuple[str, ...] = (),
        into_folder: bool = False,
        keep_query: tuple[str, ...] = (),
    ) -> None:
        """`origin`: the target's scheme, host and port; `base`: a collection to add to (a
        copy is made), in a folder "Recorded" with `into_folder`; `keep_headers`: secrets to
        save as they are."""
        parts = urlsplit(origin)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.keep = keep_headers
        self.keep_query = keep_query
        if base is None:
            self.document: dict[str, Any] = {
                "info": {"_postman_id": str(uuid.uuid4()), "name": name, "schema": SCHEMA},
                "item": [],
            }
        else:
            self.document = copy.deepcopy(base)
            self.document.setdefault("item", [])
        self.items: list[Any] = self._folder() if into_folder else self.document["item"]
        self._requests: dict[tuple[str, str], dict[str, Any]] = {}
        self._answers: dict[tuple[str, str], set[str]] = {}
        self._names: dict[tuple[str, str], set[str]] = {}  # the examples' names, per request
        self._numbered: dict[tuple[str, str, str], int] = {}  # the last number given a name
        for item in self.items:
            self._know(item)

    def _folder(self) -> list[Any]:
        for item in self.document["item"]:
            if isinstance(item, dict) and item.get("name") == FOLDER and "item" in item:
                items: list[Any] = item["item"]
                return items
        created: list[Any] = []
        self.document["item"].append({"name": FOLDER, "item": created})
        return created

    def _know(self, item: Any) -> None:
        """An item already in the folder (recorded before): new calls add to it."""
        request = item.get("request") if isinstance(item, dict) else None
        if not isinstance(request, dict) or not isinstance(request.get("url"), dict):
            return
        url = request["url"]
        if url.get("path") is not None:
            path = "/" + "/".join(str(s) for s in url["path"] or [])
        else:  # read from a v3 tree: the URL as written
            raw = str(url.get("raw") or "").partition("?")[0].partition("#")[0]
            path = urlsplit(raw).path if "://" in raw else "/" + raw.partition("/")[2]
        key = (str(request.get("method", "GET")).upper(), path)
        self._requests[key] = item
        self._answers[key] = {
            _answer_key(r.get("code"), r.get("body") or "", r.get(BASE64_BODY))
            for r in item.get("response") or []
            if isinstance(r, dict)
        }
        self._names[key] = {
            str(r.get("name")) for r in item.get("response") or [] if isinstance(r, dict)
        }

    def _variable(self, key: str, value: str) -> None:
        variables = self.document.setdefault("variable", [])
        if not any(isinstance(v, dict) and v.get("key") == key for v in variables):
            variables.append({"key": key, "value": value})

    def add(self, exchange: Exchange) -> Added:
        """Save a call and its answer (an identical answer is saved once)."""
        key = (exchange.method.upper(), exchange.path)
        request_headers, hidden = _headers(exchange.request_headers, self.keep)
        response_headers, hidden_too = _headers(exchange.response_headers, self.keep, True)
        query, hidden_query = _redacted_query(exchange.query, self.keep_query)
        for name in hidden + list(hidden_query):
            self._variable(variable_for(name), "")
        hidden += [f"{name} (query)" for name in hidden_query]
        original: dict[str, Any] = {
            "method": key[0],
            "header": request_headers,
            "url": _url(exchange.origin or self.origin, exchange.path, query),
        }
        if (body := _body(exchange.request_body, exchange.request_headers)) is not None:
            original["body"] = body
        item = self._requests.get(key)
        if item is None:
            item = {
                "name": f"{key[0]} {exchange.path}",
                "request": copy.deepcopy(original),
                "response": [],
            }
            self.items.append(item)
            self._requests[key] = item
            self._answers[key] = set()
            self._names[key] = set()
        text = _text(exchange.response_body)
        encoded = base64.b64encode(exchange.response_body).decode() if text is None else None
        answer = _answer_key(exchange.status, text or "", encoded)
        names = tuple(dict.fromkeys(hidden + hidden_too))
        base_name = status_name(exchange.status, exchange.reason)
        if answer in self._answers[key]:
            return Added(item["name"], base_name, False, names)
        taken = self._names[key]
        name, n = base_name, self._numbered.get((*key, base_name), 1)
        while name in taken:  # from the last number given: each name is tried once
            n += 1
            name = f"{base_name} {n}"
        self._numbered[(*key, base_name)] = n
        taken.add(name)
        content_type = next(
            (v for n_, v in exchange.response_headers if n_.lower() == "content-type"), ""
        )
        language = preview_language(content_type)
        example: dict[str, Any] = {
            "name": name,
            "originalRequest": original,
            "status": exchange.reason or status_name(exchange.status).partition(" ")[2],
            "code": exchange.status,
            "_postman_previewlanguage": language,
            "header": response_headers,
            "cookie": [],
            "body": text or "",
        }
        if encoded is not None:
            example[BASE64_BODY] = encoded
        item["response"].append(example)
        self._answers[key].add(answer)
        return Added(item["name"], name, True, names)

    def to_json(self) -> str:
        return json.dumps(self.document, indent=2, ensure_ascii=False)


class Recorder:
    """A recording and the place it is kept: a v2.1 file (`file.py`) or a v3 tree
    (`tree.py`)."""

    def __init__(self, path: Path, recording: Recording) -> None:
        self.path = path
        self.recording = recording
        self.added = 0  # new examples recorded since it was opened

    def remember(self, exchange: Exchange) -> Added:
        """Record the exchange in memory only: the caller saves (`save`, or what `pending`
        returns, run elsewhere), so that many new answers can share one write."""
        added = self.recording.add(exchange)
        self.added += added.new
        return added

    def add(self, exchange: Exchange) -> Added:
        """Record the exchange and, when its answer is new, save at once."""
        added = self.remember(exchange)
        if added.new:
            self.save()
        return added

    def pending(self) -> Callable[[], None]:
        """What is new, made into text now; the function returned writes it (off the event
        loop, if need be; it raises WriteError)."""
        raise NotImplementedError

    def save(self) -> None:
        """Write what is new (raises WriteError)."""
        self.pending()()


def _answer_key(code: Any, body: str, encoded: Any) -> str:
    digest = hashlib.sha256(f"{code}\0{body}\0{encoded or ''}".encode("utf-8", "replace"))
    return digest.hexdigest()
