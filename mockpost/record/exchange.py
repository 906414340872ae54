"""One call and the answer it got: what a recording is made of."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

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
    """A real API's URL as its origin (`https://api.example.com`, without any user:password)
    and base path (`/v2`, or ""); raises ValueError for anything but an http:// or https://
    URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.hostname:
        raise ValueError(f"{shown_target(url)!r} is not an http:// or https:// URL")
    try:
        parts.port  # noqa: B018 (raises for a port that is no port)
    except ValueError:
        raise ValueError(f"{shown_target(url)!r} has no valid port") from None
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}", parts.path.rstrip("/")


def target_credentials(url: str) -> tuple[str, str] | None:
    """The user and password a target's URL holds (`https://user:pass@host`), decoded."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return None
    return unquote(parts.username or ""), unquote(parts.password or "")


def shown_target(url: str) -> str:
    """The URL as it may be shown or written: a user:password in it becomes `***`."""
    scheme, found, rest = url.partition("://")
    if not found:
        return url
    authority, slash, path = rest.partition("/")
    if "@" not in authority:
        return url
    return f"{scheme}://***@{authority.rpartition('@')[2]}{slash}{path}"
