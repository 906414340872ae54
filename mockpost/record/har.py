"""`mockpost import`: the entries of a HAR file (a browser's dev tools, or mockpost's own
`calls.har`) become requests and examples, as `mockpost record` makes them."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from mockpost.errors import LoadError
from mockpost.postman.items import kind
from mockpost.postman.jsonfile import read_json
from mockpost.record.collection import Recorder, Recording
from mockpost.record.exchange import Exchange
from mockpost.record.file import RecordFile, is_tree
from mockpost.responses.prepare import HEADER_NAME
from mockpost.text import header_safe, plural, printable
from mockpost.whole import check_writable

STATIC_TYPES = ("image/", "font/", "text/css", "javascript", "application/font", "video/", "audio/")
STATIC_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".avif", ".bmp", ".woff",
        ".woff2", ".ttf", ".otf", ".eot", ".css", ".js", ".mjs", ".map", ".mp4", ".webm", ".mp3",
    }
)  # fmt: skip


def _field(value: Any, name: str, wanted: type, where: str, source: str) -> Any:
    present = isinstance(value, dict) and name in value
    found = value.get(name) if isinstance(value, dict) else None
    if not isinstance(found, wanted) or isinstance(found, bool) != (wanted is bool):
        expected = {str: "text", int: "a number", list: "an array", dict: "an object"}[wanted]
        said = kind(found) if present else "nothing"
        raise LoadError(source, f"expected {expected}, found {said}", f"{where}.{name}")
    return found


def _optional(value: Any, name: str, wanted: type, where: str, source: str) -> Any:
    """A field HAR allows to be left out: None when it is, else checked as `_field` does."""
    if not isinstance(value, dict) or value.get(name) is None:
        return None
    return _field(value, name, wanted, where, source)


def _headers(raw: Any, where: str, source: str) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise LoadError(source, f"expected a list, found {kind(raw)}", where)
    out = []
    for i, header in enumerate(raw):
        name = _field(header, "name", str, f"{where}[{i}]", source)
        if HEADER_NAME.fullmatch(name) is None and not name.startswith(":"):
            raise LoadError(source, f"{name!r} is not a header name", f"{where}[{i}].name")
        value = _field(header, "value", str, f"{where}[{i}]", source)
        if header_safe(value) != value:
            raise LoadError(source, "a header value holds a control character", f"{where}[{i}]")
        out.append((name, value))
    return tuple(out)


def _content(content: Any, where: str, source: str) -> bytes:
    if content is None:
        return b""
    if not isinstance(content, dict):
        raise LoadError(source, f"expected an object, found {kind(content)}", where)
    _optional(content, "mimeType", str, where, source)
    text: str | None = _optional(content, "text", str, where, source)
    if text is None:
        return b""
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise LoadError(source, "content.text is not base64", where) from None
    return text.encode("utf-8")


def _url(url: str, where: str, source: str) -> SplitResult:
    """The entry's URL, refused unless it is a whole http(s) URL."""
    shown = printable(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for a port out of range or no number)
        host = parts.hostname
    except ValueError as error:
        raise LoadError(source, f"{shown!r} is not a valid URL: {error}", where) from None
    if parts.scheme not in ("http", "https") or not host:
        raise LoadError(source, f"{shown!r} is not an http(s) URL", where)
    if printable(url) != url or " " in url:
        raise LoadError(source, f"{shown!r} holds a space or a control character", where)
    return parts


# How mockpost answers calls that are no real API's answer (calls/record.py's `How`).
MOCKPOSTS_OWN = frozenset(
    {
        "not found", "preflight", "unauthorized", "server response", "internal error",
        "injected", "rate limited",
    }
)  # fmt: skip


def _mockposts_own(entry: Any) -> bool:
    """Whether a HAR entry of mockpost's own `calls.har` is an answer mockpost made up (a
    not-found, an injected fault, the server response...) rather than an example's or the
    real API's."""
    said = entry.get("_mockpost") if isinstance(entry, dict) else None
    if not isinstance(said, dict):
        return False
    return said.get("how") in MOCKPOSTS_OWN or bool(said.get("injected"))


def _mime(entry: Any) -> str:
    """The response's MIME type, when the entry gives one where HAR puts it."""
    response = entry.get("response") if isinstance(entry, dict) else None
    content = response.get("content") if isinstance(response, dict) else None
    mime = content.get("mimeType") if isinstance(content, dict) else None
    return mime if isinstance(mime, str) else ""


def _is_static(url: str, mime: str) -> bool:
    if any(part in mime.lower() for part in STATIC_TYPES):
        return True
    return PurePosixPath(urlsplit(url).path).suffix.lower() in STATIC_SUFFIXES


def exchange_of(entry: Any, where: str, source: str) -> Exchange | None:
    """An entry's call and answer; None for an entry that got no answer (status 0)."""
    request = _field(entry, "request", dict, where, source)
    response = _field(entry, "response", dict, where, source)
    url = _field(request, "url", str, f"{where}.request", source)
    parts = _url(url, f"{where}.request.url", source)
    method = _field(request, "method", str, f"{where}.request", source)
    if HEADER_NAME.fullmatch(method) is None:
        raise LoadError(source, f"{printable(method)!r} is not a method", f"{where}.request.method")
    raw_status = response.get("status")
    if isinstance(raw_status, float) and raw_status.is_integer():
        raw_status = int(raw_status)  # some tools write 200.0
    if (
        isinstance(raw_status, bool)
        or not isinstance(raw_status, int)
        or not 0 <= raw_status <= 999
    ):
        found = kind(raw_status) if "status" in response else "nothing"
        raise LoadError(
            source, f"expected a status code, found {found}", f"{where}.response.status"
        )
    status = raw_status
    if status == 0:
        return None
    post = _optional(request, "postData", dict, f"{where}.request", source)
    text = _optional(post, "text", str, f"{where}.request.postData", source)
    body = text.encode("utf-8", "surrogatepass") if text is not None else b""
    reason = _optional(response, "statusText", str, f"{where}.response", source)
    return Exchange(
        method=method.upper(),
        path=unquote(parts.path) or "/",
        query=parts.query,
        request_headers=_headers(request.get("headers"), f"{where}.request.headers", source),
        request_body=body,
        status=status,
        reason=reason if isinstance(reason, str) else "",
        response_headers=_headers(response.get("headers"), f"{where}.response.headers", source),
        response_body=_content(response.get("content"), f"{where}.response.content", source),
        origin=f"{parts.scheme}://{parts.netloc}",
    )


def import_har(
    har_file: Path,
    out: Path,
    include: Sequence[str] = (),
    exclude_static: bool = False,
    name: str | None = None,
    keep_headers: tuple[str, ...] = (),
    keep_query: tuple[str, ...] = (),
) -> str:
    """Write OUT from the HAR's entries (raises LoadError naming the place of what is
    wrong); a line saying what was made."""
    source = str(har_file)
    target: Recorder
    if is_tree(out):  # a v3 tree: added to, file by file
        from mockpost.record.tree import open_tree

        target = open_tree(
            out, "http://localhost", None, name or har_file.stem, keep_headers, keep_query
        )
    else:  # a v2.1 file: written anew
        check_writable(out)
        recording = Recording(
            name or har_file.stem, "http://localhost", None, keep_headers, keep_query=keep_query
        )
        target = RecordFile(out, recording)
    data = read_json(har_file)
    log = _field(data, "log", dict, "$", source)
    entries = _field(log, "entries", list, "$.log", source)
    recording = target.recording
    requests_before = len(recording.items)
    left_out = unanswered = repeated = own = included = 0
    for i, entry in enumerate(entries):
        where = f"$.log.entries[{i}]"
        request = _field(entry, "request", dict, where, source)
        url = _field(request, "url", str, f"{where}.request", source)
        mime = _mime(entry)
        if include and not any(url.startswith(prefix) for prefix in include):
            left_out += 1
            continue
        included += 1
        if exclude_static and _is_static(url, mime):
            left_out += 1
            continue
        if _mockposts_own(entry):
            own += 1
            continue
        exchange = exchange_of(entry, where, source)
        if exchange is None:
            unanswered += 1
            continue
        if not target.remember(exchange).new:
            repeated += 1
    if include and not included:
        raise LoadError(
            source,
            f"no entry's URL starts with {' or '.join(map(repr, include))} "
            f"(of {plural(len(entries), 'entry', 'entries')})",
            "--include",
        )
    target.save()
    requests = len(recording.items) - requests_before
    examples = target.added
    said = (
        f"{'added to' if requests_before else 'wrote'} {out}: {plural(requests, 'request')}, "
        f"{plural(examples, 'example')} "
        f"from {plural(len(entries), 'entry', 'entries')}"
    )
    skipped = [
        f"{n} {why}"
        for n, why in (
            (left_out, "left out by --include or --exclude-static"),
            (unanswered, "with no answer"),
            (own, "answered by mockpost itself (not found, injected, forced)"),
            (repeated, "repeating an answer already saved"),
        )
        if n
    ]
    return said + (f" ({'; '.join(skipped)})" if skipped else "")
