"""CORS headers are mockpost's, not the example's.

Saved `Access-Control-*` headers are stale copies of the real server's (Postman's own exports
hold `Access-Control-Allow-Origin:` with no value), so they are served only when asked
(`keep_saved`). A call without `Origin` gets `Access-Control-Allow-Origin: *`; a call with one
gets that origin back, `Vary: Origin`, `Access-Control-Allow-Credentials: true` (so that
`fetch(url, {credentials: "include"})` works) and `Access-Control-Expose-Headers` naming the
response's own headers, so that browser code can read them.
"""

from __future__ import annotations

from mockpost.responses.reply import Reply
from mockpost.text import header_safe

ALLOW_ORIGIN = "access-control-allow-origin"


def with_cors(reply: Reply, origin: str | None, keep_saved: bool = False) -> Reply:
    """The reply with mockpost's CORS headers for a call from `origin` (None: no Origin)."""
    headers = reply.headers
    if keep_saved and any(name.lower() == ALLOW_ORIGIN for name, _ in headers):
        return reply  # the example's own, as saved
    if origin is None:
        reply.headers = (*headers, ("Access-Control-Allow-Origin", "*"))
        return reply
    own = dict.fromkeys(n for n, _ in headers if not n.lower().startswith("access-control-"))
    added = [
        ("Access-Control-Allow-Origin", header_safe(origin)),
        ("Access-Control-Allow-Credentials", "true"),
        ("Vary", "Origin"),
    ]
    if own:
        added.append(("Access-Control-Expose-Headers", ", ".join(own)))
    reply.headers = (*headers, *added)
    return reply
