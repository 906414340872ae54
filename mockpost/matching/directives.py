"""The `x-mock-*` request headers, read into directives for one call.

Prism's `Prefer: code=404, example=NAME` says the same as `x-mock-response-code` and
`x-mock-response-name` (which win when both are sent); other preferences (`return=minimal`,
`respond-async`) are not mockpost's and pass unread. A value that makes no sense is ignored
and said in `notes` (the call log shows them); it never fails the call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MAX_DELAY_MS = 180_000
MAX_DIGITS = 9  # a delay written with more digits is over the most, whatever they are


@dataclass(frozen=True, slots=True)
class Directives:
    code: int | None = None
    response_id: str | None = None
    response_name: str | None = None
    match_body: bool | None = None
    match_headers: tuple[str, ...] | None = None
    delay_ms: int | None = None
    dynamic: bool | None = None  # Prefer: dynamic=true|false (None: as the server says)
    code_preferred: bool = False  # the code came from Prism's `Prefer: code=N`
    mode: str | None = None  # x-mockpost-mode: score, in-turn or random (None: the request's)
    notes: tuple[str, ...] = ()


def parse_delay(value: str) -> int | None:
    """A delay in milliseconds, 0..180000 (0: none), or None when the text is not one."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > MAX_DIGITS:
        return None  # (and `int` of thousands of digits would raise)
    delay = int(value)
    return delay if delay <= MAX_DELAY_MS else None


NAMES = (
    "x-mock-response-code",
    "x-mock-match-request-body",
    "x-mock-match-request-headers",
    "x-mock-response-delay",
    "x-mock-response-id",
    "x-mock-response-name",
    "prefer",
    "x-mockpost-mode",
)
NONE = Directives()
HEADER_CODE = "x-mock-response-code"


def preferences(value: str) -> dict[str, str]:
    """RFC 7240's `Prefer`: `code=404, example="Not found"; x=y` as {"code": "404", ...}
    (names in lower case, quotes taken off, parameters after `;` left out)."""
    found: dict[str, str] = {}
    for part in value.split(","):
        name, _, given = part.split(";")[0].partition("=")
        name = name.strip().lower()
        if name and name not in found:
            text = given.strip()
            found[name] = text[1:-1] if len(text) > 1 and text[0] == text[-1] == '"' else text
    return found


def has_directives(headers: Mapping[str, str]) -> bool:
    for name in NAMES:  # noqa: SIM110 (a plain loop is faster, and this runs for every call)
        if name in headers:
            return True
    return False


def read_directives(headers: Mapping[str, str]) -> Directives:
    """Directives from a call's headers (names in lower case)."""
    if not has_directives(headers):
        return NONE  # most calls: nothing to read
    notes: list[str] = []

    def ignored(name: str, value: str, why: str) -> None:
        notes.append(f"ignored {name}: {value!r} ({why})")

    prefer = preferences(headers.get("prefer", ""))
    code: int | None = None
    preferred = False
    for name, raw in (
        ("x-mock-response-code", headers.get(HEADER_CODE)),
        ("Prefer: code", prefer.get("code")),
    ):
        if raw is None or code is not None:
            continue
        text = raw.strip()
        if text.isascii() and text.isdigit() and 100 <= int(text) <= 599:
            code = int(text)
            preferred = name.startswith("Prefer")
        else:
            ignored(name, raw, "not a status code 100..599")
    dynamic: bool | None = None
    if (raw := prefer.get("dynamic")) is not None:
        if raw.strip().lower() in ("true", "false"):
            dynamic = raw.strip().lower() == "true"
        else:
            ignored("Prefer: dynamic", raw, "not true or false")

    match_body: bool | None = None
    if (raw := headers.get("x-mock-match-request-body")) is not None:
        text = raw.strip().lower()
        if text in ("true", "false"):
            match_body = text == "true"
        else:
            ignored("x-mock-match-request-body", raw, "not true or false")

    match_headers: tuple[str, ...] | None = None
    if (raw := headers.get("x-mock-match-request-headers")) is not None:
        match_headers = tuple(n.strip().lower() for n in raw.split(",") if n.strip())

    delay: int | None = None
    if (raw := headers.get("x-mock-response-delay")) is not None:
        delay = parse_delay(raw)
        if delay is None:
            ignored("x-mock-response-delay", raw, f"not a number of ms 0..{MAX_DELAY_MS}")

    mode: str | None = None
    if (raw := headers.get("x-mockpost-mode")) is not None:
        if raw.strip().lower() in ("score", "in-turn", "random"):
            mode = raw.strip().lower()
        else:
            ignored("x-mockpost-mode", raw, "not score, in-turn or random")

    response_id = headers.get("x-mock-response-id")
    response_name = headers.get("x-mock-response-name", prefer.get("example"))
    return Directives(
        code=code,
        response_id=response_id.strip() if response_id is not None else None,
        response_name=response_name,
        match_body=match_body,
        match_headers=match_headers,
        delay_ms=delay,
        dynamic=dynamic,
        code_preferred=preferred,
        mode=mode,
        notes=tuple(notes),
    )
