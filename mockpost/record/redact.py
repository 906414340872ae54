"""Secrets stay out of a recording: their values become `{{name}}` placeholders.

Headers: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and every header
whose name holds `key`, `token`, `secret`, `auth`, `session`, `signature`, `password` or
`credential` (`X-Api-Key`, `Ocp-Apim-Subscription-Key`, `X-Functions-Key` ...), unless the
user keeps it by name (`--keep-header`). Query parameters: `access_token`, `api_key`, `key`,
`token`, `sig`, `signature`, `password`, `secret` ... and every name that holds
`token`, `secret`, `password`, `signature`, `apikey`/`api_key` or `credential`, unless kept
by name (`--keep-query`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mockpost.record.exchange import Headers

SECRET_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
SECRET_PARTS = (
    "key", "token", "secret", "auth", "session", "signature", "password", "credential",
)  # fmt: skip
NOT_SECRET = frozenset(
    {"www-authenticate", "proxy-authenticate", "sec-websocket-key", "sec-websocket-accept"}
)  # named like secrets, but challenges and handshakes: saved as they are
SECRET_QUERY_NAMES = frozenset(
    {
        "key", "token", "sig", "signature", "password", "passwd", "pwd", "secret", "auth",
        "session", "sessionid", "jwt", "apikey", "api-key", "x-amz-signature",
        "x-amz-credential", "x-amz-security-token", "client_secret", "access_token",
    }
)  # fmt: skip
SECRET_QUERY_PARTS = (
    "token", "secret", "password", "signature", "apikey", "api_key", "api-key", "credential",
)  # fmt: skip


def is_secret(name: str, keep: Iterable[str] = ()) -> bool:
    lowered = name.lower()
    if lowered in NOT_SECRET or lowered in {k.lower() for k in keep}:
        return False
    return lowered in SECRET_NAMES or any(part in lowered for part in SECRET_PARTS)


def variable_for(name: str) -> str:
    """`X-Api-Key` -> `x_api_key`: the variable a placeholder names."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "secret"


def redacted(headers: Headers, keep: Iterable[str] = ()) -> tuple[Headers, tuple[str, ...]]:
    """The headers with secrets as placeholders, and the names of those redacted."""
    kept = tuple(keep)
    out: list[tuple[str, str]] = []
    names: list[str] = []
    for name, value in headers:
        if is_secret(name, kept):
            out.append((name, "{{" + variable_for(name) + "}}"))
            if name not in names:
                names.append(name)
        else:
            out.append((name, value))
    return tuple(out), tuple(names)


def is_secret_query(name: str, keep: Iterable[str] = ()) -> bool:
    lowered = name.lower()
    if lowered in {k.lower() for k in keep}:
        return False
    return lowered in SECRET_QUERY_NAMES or any(part in lowered for part in SECRET_QUERY_PARTS)


def redacted_query(
    pairs: Iterable[tuple[str, str]], keep: Iterable[str] = ()
) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """Query parameters with secrets as placeholders, and the names of those redacted."""
    kept = tuple(keep)
    out: list[tuple[str, str]] = []
    names: list[str] = []
    for name, value in pairs:
        if value and is_secret_query(name, kept):
            out.append((name, "{{" + variable_for(name) + "}}"))
            if name not in names:
                names.append(name)
        else:
            out.append((name, value))
    return out, tuple(names)
