"""One call and the answer it got: what a recording is made of."""

from __future__ import annotations

from dataclasses import dataclass

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Exchange:
    method: str
    path: str  # as the mock answers it, without the query
    query: str  # as sent, without `?`
    request_headers: Headers
    request_body: bytes
    status: int
    reason: str
    response_headers: Headers
    response_body: bytes
    origin: str = ""  # scheme://host:port it was sent to, when not the recording's own
