"""The one record of a call: what was asked, what was answered, how, and how long it took.

The terminal, the call-log store and everything that reads calls later read this record.
It is immutable (a `NamedTuple`: a call builds one, and a tuple is the cheapest immutable
object to build); bodies are kept up to `MAX_BODY_KEPT` bytes, with a flag when clipped.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from mockpost.calls.violation import Violation

MAX_BODY_KEPT = 64 * 1024  # bytes of each request and response body kept in a record

Headers = tuple[tuple[str, str], ...]  # every header, in order, repeated names kept
RawHeaders = tuple[tuple[bytes, bytes], ...]  # the same, as the bytes that came


def decoded(headers: RawHeaders) -> Headers:
    """Raw header bytes as text (UTF-8; what is not UTF-8 shows as U+FFFD)."""
    return tuple(
        (name.decode("utf-8", "replace"), value.decode("utf-8", "replace"))
        for name, value in headers
    )


class How(Enum):
    """How a call was answered."""

    SCORE = "score"  # the example with the best score (Postman's matching)
    RESPONSE_ID = "x-mock-response-id"
    RESPONSE_NAME = "x-mock-response-name"
    NOT_FOUND = "not found"  # Postman's not-found body: nothing matched
    PREFLIGHT = "preflight"  # mockpost's own answer to a CORS preflight
    UNAUTHORIZED = "unauthorized"  # private mode, no valid x-api-key
    SERVER_RESPONSE = "server response"  # the active 5xx server response
    INTERNAL_ERROR = "internal error"  # mockpost failed; the notes say why
    INJECTED = "injected"  # an error or a broken connection instead of the answer
    RATE_LIMITED = "rate limited"  # over the rate limit: 429
    PROXIED = "proxied"  # no example matched: the target of --proxy answered
    INVALID = "invalid"  # refused: the call breaks the API definition (--validate enforce)
    CRUD = "crud"  # a CRUD resource's store answered (its example, if any, gave the shape)

    @property
    def by_example(self) -> bool:
        return self in (How.SCORE, How.RESPONSE_ID, How.RESPONSE_NAME)


class ExampleRef(NamedTuple):
    """The example that answered: its name, id and the name of its request, and for a v3
    collection the file it came from (relative to the collection's root; "" otherwise)."""

    name: str
    id: str
    request: str
    file: str = ""


class Closest(NamedTuple):
    """An example near a call that nothing answered, and the step that dropped it."""

    method: str
    path: str
    example: str
    reason: str


class CallRecord(NamedTuple):
    id: int  # grows by one with every call
    received: float  # Unix time
    method: str
    path: str
    query: str  # as sent, without `?`
    request_headers: RawHeaders  # as they came: the bytes aiohttp's parser kept anyway
    request_body: bytes  # at most MAX_BODY_KEPT bytes
    request_body_truncated: bool
    status: int
    response_headers: Headers
    response_body: bytes  # at most MAX_BODY_KEPT bytes
    response_body_truncated: bool
    how: How
    example: ExampleRef | None  # None: no example answered
    score: float | None  # set when the example was chosen by score
    path_step: str  # the path step that matched ("exact", "wildcard"...), or ""
    explanation: tuple[Closest, ...]  # why nothing matched: the closest examples
    notes: tuple[str, ...]
    delay_ms: int  # how long the answer was held back on purpose
    duration_ms: float  # from the call's arrival to its answer, the delay included
    injected: str = ""  # what mockpost injected instead of (or into) the answer, and why
    violations: tuple[Violation, ...] = ()  # what it breaks of its API definition (OpenAPI)
    session: str = ""  # a collection with state: the call's session
    state: tuple[tuple[str, str, str], ...] = ()  # (scenario, before, after) of its answer

    @property
    def matched(self) -> bool:
        return self.example is not None


def clip(body: bytes) -> tuple[bytes, bool]:
    """A body as a record keeps it, and whether it was clipped."""
    if len(body) <= MAX_BODY_KEPT:
        return body, False
    return body[:MAX_BODY_KEPT], True
