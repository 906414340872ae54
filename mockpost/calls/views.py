"""Call records as JSON data: the summary a list shows, the full form of one call, and the
filters of the call-log API (the same as the page's filter box).

Times are ISO 8601 in UTC with milliseconds; a body is text when it is UTF-8, else base64.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from mockpost.calls.record import CallRecord, ExampleRef, Headers, How, decoded

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


@lru_cache(maxsize=8)
def _second(second: int) -> str:
    return datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S.")


def _file(example: ExampleRef) -> dict[str, str]:
    """The file a v3 example came from, where there is one."""
    return {"file": example.file} if example.file else {}


def iso_time(unix: float) -> str:
    """`2026-11-29T18:43:32.512Z`."""
    second = int(unix // 1)
    return f"{_second(second)}{int((unix - second) * 1000):03d}Z"


def body_json(body: bytes) -> tuple[str, str]:
    """A body as JSON text: (text, "utf-8"), or (base64, "base64") when it is not UTF-8."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(body).decode("ascii"), "base64"


def summary(record: CallRecord) -> dict[str, Any]:
    example = record.example
    return {
        "id": record.id,
        "received": iso_time(record.received),
        "method": record.method,
        "path": record.path,
        "query": record.query,
        "status": record.status,
        "matched": example is not None,
        "how": record.how.value,
        "example": (
            {"name": example.name, "id": example.id, "request": example.request} | _file(example)
            if example is not None
            else None
        ),
        "score": record.score,
        "injected": record.injected or None,
        "duration_ms": round(record.duration_ms, 3),
    }


@lru_cache(maxsize=1 << 16)  # one per way of answering: kept replies share theirs
def _outcome_json(
    status: int, how: How, example: ExampleRef | None, score: float | None, injected: str
) -> str:
    return json.dumps(
        {
            "status": status,
            "matched": example is not None,
            "how": how.value,
            "example": (
                {"name": example.name, "id": example.id, "request": example.request}
                | _file(example)
                if example is not None
                else None
            ),
            "score": score,
            "injected": injected or None,
        },
        ensure_ascii=False,
    )[1:-1]


def summary_json(record: CallRecord) -> str:
    """`summary(record)` as JSON text, made with less work: the event stream sends one for
    every call while a page is open."""
    dumps = _dumps
    outcome = _outcome_json(
        record.status, record.how, record.example, record.score, record.injected
    )
    return (
        f'{{"id":{record.id},"received":"{iso_time(record.received)}",'
        f'"method":{dumps(record.method)},"path":{dumps(record.path)},'
        f'"query":{dumps(record.query)},{outcome},'
        f'"duration_ms":{round(record.duration_ms, 3)!r}}}'
    )


_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _message(headers: Headers, body: bytes, truncated: bool) -> dict[str, Any]:
    text, encoding = body_json(body)
    return {
        "headers": [[name, value] for name, value in headers],
        "body": text,
        "body_encoding": encoding,
        "body_truncated": truncated,
    }


def full(record: CallRecord) -> dict[str, Any]:
    """Everything kept of a call."""
    return {
        **summary(record),
        "path_step": record.path_step,
        "delay_ms": record.delay_ms,
        "request": _message(
            decoded(record.request_headers), record.request_body, record.request_body_truncated
        ),
        "response": _message(
            record.response_headers, record.response_body, record.response_body_truncated
        ),
        "explanation": [
            {"method": c.method, "path": c.path, "example": c.example, "reason": c.reason}
            for c in record.explanation
        ],
        "notes": list(record.notes),
        "violations": [v.as_json() for v in record.violations],
        "session": record.session,
        "state": {scenario: [before, after] for scenario, before, after in record.state},
    }


class FilterError(ValueError):
    """A filter value that makes no sense; `field` names the parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Glob:
    """A pattern where `*` stands for any text and everything else for itself, matched in
    one pass (a regular expression of many stars backtracks for minutes on a long path)."""

    parts: tuple[str, ...]

    def fullmatch(self, text: str) -> bool:
        if len(self.parts) == 1:
            return text == self.parts[0]
        first, *middle, last = self.parts
        end = len(text) - len(last)
        if end < len(first) or not text.startswith(first) or not text.endswith(last):
            return False
        at = len(first)
        for part in middle:  # the leftmost place of each part leaves the most for the rest
            found = text.find(part, at, end)
            if found < 0:
                return False
            at = found + len(part)
        return True


def glob(pattern: str) -> Glob:
    """`*` stands for any text; everything else for itself."""
    return Glob(tuple(pattern.split("*")))


def _boolean(field: str, text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise FilterError(field, f"{text!r} is not true or false")
    return value == "true"


def whole_number(text: str, highest: int) -> int | None:
    """The number that ASCII digits spell, if it is at most `highest` (None: any other text,
    such as `²`, `٣` or 5,000 digits)."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(highest)):
        return None
    number = int(text)
    return number if number <= highest else None


def _number(field: str, text: str, lowest: int, highest: int) -> int:
    number = whole_number(text, highest)
    if number is None or number < lowest:
        raise FilterError(field, f"{text!r} is not a whole number from {lowest} to {highest}")
    return number


@dataclass(frozen=True, slots=True)
class CallFilter:
    """Which calls to list: every given condition must hold (AND)."""

    method: str | None = None
    path: Glob | None = None
    status: int | None = None
    status_class: int | None = None  # 4 for `4xx`
    matched: bool | None = None
    example: str | None = None  # lower case: text in the example's name
    text: str | None = None  # lower case: text anywhere in a call (its headers and bodies too)
    after: int = 0
    limit: int = DEFAULT_LIMIT

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> CallFilter:
        """From query parameters; raises FilterError naming a value that makes no sense."""
        status = params.get("status")
        exact = status_class = None
        if status is not None:
            text = status.strip().lower()
            if re.fullmatch(r"[1-5]xx", text):
                status_class = int(text[0])
            else:
                exact = _number("status", text, 100, 599)
        path = params.get("path")
        return cls(
            method=params["method"].strip().upper() if params.get("method") else None,
            path=glob(path) if path else None,
            status=exact,
            status_class=status_class,
            matched=_boolean("matched", params["matched"]) if "matched" in params else None,
            example=params["example"].lower() if params.get("example") else None,
            text=params["q"].lower() if params.get("q") else None,
            after=_number("after", params["after"], 0, 1 << 62) if "after" in params else 0,
            limit=(
                _number("limit", params["limit"], 1, MAX_LIMIT)
                if "limit" in params
                else DEFAULT_LIMIT
            ),
        )

    def matches(self, record: CallRecord) -> bool:
        if record.id <= self.after:
            return False
        if self.method is not None and record.method.upper() != self.method:
            return False
        if self.path is not None and not self.path.fullmatch(record.path):
            return False
        if self.status is not None and record.status != self.status:
            return False
        if self.status_class is not None and record.status // 100 != self.status_class:
            return False
        if self.matched is not None and (record.example is not None) != self.matched:
            return False
        name = record.example.name.lower() if record.example is not None else ""
        if self.example is not None and self.example not in name:
            return False
        if self.text is not None:
            haystack = f"{record.method} {record.path} {record.query} {name}".lower()
            if self.text not in haystack and not _holds(record, self.text):
                return False
        return True

    def select(self, newest_first: Iterable[CallRecord]) -> tuple[int, list[CallRecord]]:
        """How many calls match, and the first `limit` of them."""
        found = [record for record in newest_first if self.matches(record)]
        return len(found), found[: self.limit]


def _holds(record: CallRecord, text: str) -> bool:
    """Whether the call's headers or bodies hold `text` (lower case; bodies read as UTF-8)."""
    headers = (*decoded(record.request_headers), *record.response_headers)
    if any(text in f"{name}: {value}".lower() for name, value in headers):
        return True
    bodies = (record.request_body, record.response_body)
    return any(text in body.decode("utf-8", "replace").lower() for body in bodies if body)


def newest_first(records: Iterable[CallRecord]) -> Iterator[CallRecord]:
    return reversed(list(records))
