"""Secrets stay out of a recording: their values become `{{name}}` placeholders.

`Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key`, and every header
whose name holds `token`, `secret` or `password`, unless the user keeps it by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mockpost.record.exchange import Headers

SECRET_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
SECRET_PARTS = ("token", "secret", "password")


def is_secret(name: str, keep: Iterable[str] = ()) -> bool:
    lowered = name.lower()
    if lowered in {k.lower() for k in keep}:
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
