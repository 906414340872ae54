"""An incoming HTTP call, as the core sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie

from mockpost.calls.body import CallBody
from mockpost.postman.model import Pairs


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Call:
    """Method, path, query (pairs, and the string as sent), headers (read in any case), body."""

    method: str
    path: str
    query: Pairs = ()
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names, or any case
    body: bytes = b""
    query_string: str = ""
    client: str = ""  # the caller's address, for a rate limit by IP
    target: str = ""  # the request line's target as it came (path, query and all), if any
    _body_view: CallBody | None = field(default=None, repr=False, compare=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def parsed_body(self) -> CallBody:
        """The body in the forms matching and templates read, parsed on first use."""
        if self._body_view is None:
            self._body_view = CallBody(self.body, self.content_type)
        return self._body_view

    @property
    def key(self) -> tuple[str, str] | None:
        """What names a plain call among its repeats: method and target as they came (two
        targets that decode alike get an entry each: `/users/7`, `/users/%37`); None with no
        target."""
        return (self.method, self.target) if self.target else None


def cookies_of(headers: Mapping[str, str]) -> dict[str, str]:
    """A call's cookies by name (none for a malformed Cookie header: as if none was sent)."""
    sent = headers.get("cookie")
    if not sent:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(sent)
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}
