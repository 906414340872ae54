"""Call records as a HAR 1.2 document, which browser dev tools import.

Entries are in the order the calls came. Bodies are those the records keep (64 KiB each at
most: a clipped one says so in its comment); a response body that is not UTF-8 is base64.
The example that answered (or why nothing did) is each entry's comment.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl

from mockpost.calls.record import CallRecord, Headers, decoded
from mockpost.calls.views import body_json, iso_time
from mockpost.status import phrase


def _header(headers: Headers, name: str) -> str:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), "")


def _comment(record: CallRecord) -> str:
    example = record.example
    if example is not None:
        how = f"score {record.score:g}, {record.path_step}" if record.score is not None else ""
        said = f"answered by {example.name!r} of {example.request!r}"
        said += f" in {example.file}" if example.file else ""
        said += f" ({how})" if how else f" ({record.how.value})"
    elif record.explanation:
        said = "no matching example; closest: " + "; ".join(
            f"{c.method} {c.path} {c.example!r} ({c.reason})" for c in record.explanation
        )
    else:
        said = record.how.value
    if record.injected:
        said = f"injected {record.injected}; " + said
    if record.violations:
        said += "; violates the API definition: " + "; ".join(v.line() for v in record.violations)
    clipped = [
        side
        for side, truncated in (
            ("request", record.request_body_truncated),
            ("response", record.response_body_truncated),
        )
        if truncated
    ]
    if clipped:
        said += f"; {' and '.join(clipped)} body clipped to what the call log keeps"
    return said


def entry(record: CallRecord, base_url: str) -> dict[str, Any]:
    target = record.path + (f"?{record.query}" if record.query else "")
    request_headers = decoded(record.request_headers)
    host = _header(request_headers, "host")
    url = f"{base_url.split('://')[0]}://{host}{target}" if host else base_url + target
    request: dict[str, Any] = {
        "method": record.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": n, "value": v} for n, v in request_headers],
        "queryString": [
            {"name": n, "value": v} for n, v in parse_qsl(record.query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": len(record.request_body),
    }
    if record.request_body:
        request["postData"] = {
            "mimeType": _header(request_headers, "content-type"),
            "text": record.request_body.decode("utf-8", "replace"),
        }
    text, encoding = body_json(record.response_body)
    content: dict[str, Any] = {
        "size": len(record.response_body),
        "mimeType": _header(record.response_headers, "content-type"),
        "text": text,
    }
    if encoding == "base64":
        content["encoding"] = "base64"
    return {
        "startedDateTime": iso_time(record.received),
        "time": round(record.duration_ms, 3),
        "request": request,
        "response": {
            "status": record.status,
            "statusText": phrase(record.status),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": n, "value": v} for n, v in record.response_headers],
            "content": content,
            "redirectURL": _header(record.response_headers, "location"),
            "headersSize": -1,
            "bodySize": len(record.response_body),
        },
        "cache": {},
        "timings": {"send": 0, "wait": round(record.duration_ms, 3), "receive": 0},
        "comment": _comment(record),
        "_mockpost": {"how": record.how.value, "injected": record.injected or None},
    }


def har(records: Iterable[CallRecord], base_url: str, version: str) -> dict[str, Any]:
    """The records (oldest first) as a HAR 1.2 document."""
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "mockpost", "version": version},
            "entries": [entry(record, base_url) for record in records],
        }
    }


def har_pieces(
    records: Sequence[CallRecord], base_url: str, version: str, per_piece: int = 50
) -> Iterator[bytes]:
    """`har(...)` as JSON text in pieces of `per_piece` entries, so that a server can send a
    full log while it goes on answering calls between the pieces."""
    head = json.dumps(har((), base_url, version), ensure_ascii=False)
    opening, closing = head.split('"entries": []', 1)
    yield (opening + '"entries": [').encode()
    for start in range(0, len(records), per_piece):
        chunk = records[start : start + per_piece]
        text = ", ".join(json.dumps(entry(r, base_url), ensure_ascii=False) for r in chunk)
        yield ((", " if start else "") + text).encode()
    yield ("]" + closing).encode()
