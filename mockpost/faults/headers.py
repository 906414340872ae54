"""mockpost's own per-call headers, next to Postman's `x-mock-*`: a call asks for its delay
or its fault, and wins over the server's settings.

* `x-mockpost-delay`: the forms of `--delay` (`300`, `2g`, `100-500`, `lognormal:200:0.5`).
* `x-mockpost-fault`: `reset`, `empty`, `garbage`, `truncate`, `dribble`; `error` or
  `error:CODE` (an injected 5xx); `none` (no injected error or fault for this call).

A value that makes no sense is ignored and said in the call's notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mockpost.faults.latency import Latency, LatencyError, parse_latency
from mockpost.faults.plan import ERROR_CODES, KINDS

DELAY = "x-mockpost-delay"
FAULT = "x-mockpost-fault"


@dataclass(frozen=True, slots=True)
class Asked:
    """What a call asked for with its headers."""

    latency: Latency | None = None
    fault: str | None = None  # a kind of KINDS, "error" or "none"
    error_codes: tuple[int, ...] = ERROR_CODES  # for "error"
    notes: tuple[str, ...] = ()


NOTHING = Asked()


def asks(headers: Mapping[str, str]) -> bool:
    return DELAY in headers or FAULT in headers


def read_asked(headers: Mapping[str, str]) -> Asked:
    if not asks(headers):
        return NOTHING
    notes: list[str] = []
    latency = None
    if (raw := headers.get(DELAY)) is not None:
        try:
            latency = parse_latency(raw)
        except LatencyError as error:
            notes.append(f"ignored {DELAY}: {error}")
    fault = None
    codes: tuple[int, ...] = ERROR_CODES
    if (raw := headers.get(FAULT)) is not None:
        value = raw.strip().lower()
        kind, _, code = value.partition(":")
        if value in KINDS or value == "none" or (kind == "error" and not code):
            fault = value
        elif kind == "error" and code.isdigit() and 500 <= int(code) <= 599:
            fault, codes = "error", (int(code),)
        else:
            forms = ", ".join((*KINDS, "error", "error:CODE", "none"))
            notes.append(f"ignored {FAULT}: {raw!r} (not one of {forms})")
    return Asked(latency, fault, codes, tuple(notes))
