"""Who may use mockpost's API and page under `/__mockpost/`: the checks that keep other web
pages, and other machines, away from the call log and the mock's settings.

* **Host.** A call's `Host` must be a loopback name or address, the address mockpost was
  bound to, or one named with `--allow-host`: a page served from a foreign name that its DNS
  points at 127.0.0.1 (DNS rebinding) is refused. Bound to every address (`0.0.0.0`, `::`),
  any IP address and this machine's name are allowed too (a rebinding page has a name, never
  an address).
* **Other pages.** A browser says where a call comes from (`Sec-Fetch-Site`, `Origin`): a
  call from another site is refused, unless it is the user opening the page (a navigation).
  A change (any method but GET and HEAD) must also be one that a plain HTML form or a
  "simple" `fetch` cannot send: not of a form's content types (urlencoded, multipart,
  text/plain) nor a body without a type, unless it carries a header of mockpost's own
  (`x-api-key`, `x-mockpost-*`). A JSON body, or no body at all, is what `curl -X POST`,
  scripts and the pytest plugin send; a browser sends those from another page only after
  asking (CORS), which mockpost's API never grants.
* **Other machines.** Bound beyond loopback without an API key, a change from another machine
  (settings, reload, reset, clearing the log) is refused unless the user opts in
  (`--allow-remote-admin`).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web

SAFE_METHODS = frozenset({"GET", "HEAD"})
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
WILDCARDS = frozenset({"", "0.0.0.0", "::", "*"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})


@dataclass(frozen=True, slots=True)
class Access:
    """The admin surface's access rules (see the module's text)."""

    bound: str = "127.0.0.1"  # the address mockpost listens on
    hosts: tuple[str, ...] = ()  # more Host names allowed (--allow-host)
    remote_changes: bool = False  # changes from other machines allowed (--allow-remote-admin)

    @property
    def beyond_loopback(self) -> bool:
        return not _loopback(self.bound)


class Refused(Exception):
    """A call the rules refuse: its status and the reason given to the caller."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _loopback(host: str) -> bool:
    name = host.strip("[]").rstrip(".").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def host_name(header: str) -> str | None:
    """The name in a `Host` header, without its port (None: not a host at all)."""
    try:
        name = urlsplit("//" + header).hostname
    except ValueError:
        return None
    return name.rstrip(".").lower() if name else None


def host_allowed(header: str | None, access: Access) -> bool:
    """Whether a call's `Host` header names this mock (see the module's text)."""
    if header is None:  # HTTP/1.0 without Host: no browser sends that
        return True
    name = host_name(header)
    if name is None:
        return False
    if _loopback(name) or name in (h.lower().rstrip(".") for h in access.hosts):
        return True
    bound = access.bound.strip("[]").lower()
    if bound in WILDCARDS:
        return _address(name) is not None or name == socket.gethostname().lower()
    if name == bound:
        return True
    bound_address, address = _address(bound), _address(name)
    return bound_address is not None and bound_address == address


def _own_header(request: web.Request) -> bool:
    return any(
        name.lower() == "x-api-key" or name.lower().startswith("x-mockpost")
        for name in request.headers
    )


def _same_origin(origin: str, host: str | None) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return host is not None and parts.scheme in ("http", "https") and parts.netloc == host


def check(request: web.Request, access: Access, private: bool) -> None:
    """Raise `Refused` for a call the rules refuse (see the module's text)."""
    host = request.headers.get("Host")
    if not host_allowed(host, access):
        shown = (host_name(host or "") or host or "").encode("ascii", "replace").decode()
        raise Refused(
            403,
            f"the Host {shown!r} is not this mock's: mockpost's API answers loopback names "
            "and the address it listens on (serve with --allow-host NAME to allow another)",
        )
    site = request.headers.get("Sec-Fetch-Site")
    navigation = request.headers.get("Sec-Fetch-Mode") == "navigate"
    change = request.method not in SAFE_METHODS
    if site is not None and site not in ("same-origin", "none") and (change or not navigation):
        raise Refused(403, "calls from other web pages are refused by mockpost's API")
    origin = request.headers.get("Origin")
    if change and origin is not None and not _same_origin(origin, host):
        raise Refused(403, "calls from other web pages are refused by mockpost's API")
    if not change:
        return
    content_type = request.headers.get("Content-Type")
    if content_type is None:
        simple = request.body_exists  # a body with no type: a plain `fetch` can send it
    else:  # the types a form or a plain `fetch` can send; any other needs CORS, never given
        simple = content_type.split(";", 1)[0].strip().lower() in FORM_TYPES
    if simple and not _own_header(request):
        raise Refused(
            415,
            "a change to mockpost takes a JSON body (Content-Type: application/json) or no "
            "body at all, so that no web page can send it with a plain form",
        )
    if access.beyond_loopback and not private and not access.remote_changes:
        peer = _address(request.remote or "")
        if peer is not None and not peer.is_loopback:
            raise Refused(
                403,
                "changes to this mock are taken from its own machine only: serve with "
                "--api-key (then send it), or --allow-remote-admin",
            )
