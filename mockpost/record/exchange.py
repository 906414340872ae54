"""One call and the answer it got: what a recording is made of."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

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


def split_target(url: str) -> tuple[str, str]:
    """A real API's URL as its origin (`https://api.example.com`) and base path (`/v2`, or
    ""); raises ValueError for anything but an http:// or https:// URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http:// or https:// URL")
    return f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")
