"""What the runtime reads in a call's headers: the private mode's key, whether a header can
change an otherwise plain call's answer, and the key hidden from every record."""

from __future__ import annotations

import hmac

from mockpost.calls.record import RawHeaders


def directive_or_origin(headers: RawHeaders) -> bool:
    """Whether a header may change the answer of an otherwise plain call: an `x-mock-*` or
    `x-mockpost-*` one (a superset of the headers `is_plain` looks for), `Prefer` or `Origin`. One
    pass over the names as they came, instead of a case-insensitive lookup for each name
    that matters."""
    for name, _ in headers:
        if name[:1] in b"xXoOpP":
            lowered = name.lower()
            if lowered.startswith(b"x-mock") or lowered in (b"origin", b"prefer"):
                return True
    return False


def redacted(headers: RawHeaders) -> RawHeaders:
    """The headers with the private mode's key hidden: it never appears in any output."""
    return tuple(
        (name, b"[redacted]") if name.lower() == b"x-api-key" else (name, value)
        for name, value in headers
    )


def key_matches(given: str, key: str) -> bool:
    """Whether a private mock's key was given: compared in constant time; a key that is not
    UTF-8 (aiohttp hands its bytes over as surrogates) is just a wrong key."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), key.encode("utf-8", "surrogateescape")
    )
