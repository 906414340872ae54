"""Which faults are in force: an error rate, a rate limit, broken connections.

Each comes from the command line's text (`--error-rate 10:503`, `--rate-limit 5/s`,
`--fault 5:reset`) or from the settings API (the same texts, in a `"faults"` object).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

ERROR_CODES = (500, 502, 503, 504)
KINDS = ("reset", "empty", "garbage", "truncate", "dribble")
KIND_SAYS = {
    "reset": "the connection reset (TCP RST)",
    "empty": "the connection closed with no answer",
    "garbage": "random bytes, then the connection closed",
    "truncate": "a body shorter than its Content-Length, then closed",
    "dribble": "the body sent in small pieces over the delay",
}
WINDOWS = {"s": 1.0, "m": 60.0}


class FaultError(ValueError):
    """A fault that makes no sense: `field` names the setting, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ErrorRate:
    percent: float
    codes: tuple[int, ...] = ERROR_CODES

    def __str__(self) -> str:
        codes = "" if self.codes == ERROR_CODES else ":" + ",".join(map(str, self.codes))
        return f"{self.percent:g}{codes}"


@dataclass(frozen=True, slots=True)
class RateLimit:
    limit: int
    per: str  # "s" or "m"
    by: str = "global"  # "global", "ip" or "header:NAME" (NAME in lower case)

    @property
    def window_s(self) -> float:
        return WINDOWS[self.per]

    def __str__(self) -> str:
        return f"{self.limit}/{self.per}"


@dataclass(frozen=True, slots=True)
class ConnectionFault:
    percent: float
    kind: str

    def __str__(self) -> str:
        return f"{self.percent:g}:{self.kind}"


@dataclass(frozen=True, slots=True)
class Faults:
    error_rate: ErrorRate | None = None
    rate_limit: RateLimit | None = None
    connection: tuple[ConnectionFault, ...] = ()

    @property
    def active(self) -> bool:
        return self.error_rate is not None or self.rate_limit is not None or bool(self.connection)

    def describe(self) -> list[str]:
        """One line for each fault in force, for the banner."""
        lines = []
        if self.error_rate is not None:
            codes = ", ".join(map(str, self.error_rate.codes))
            lines.append(f"error rate: {self.error_rate.percent:g}% of calls get a {codes}")
        if self.rate_limit is not None:
            rule = self.rate_limit
            per = "second" if rule.per == "s" else "minute"
            lines.append(f"rate limit: {rule.limit:,} calls a {per}, by {rule.by}; then 429")
        for fault in self.connection:
            lines.append(f"fault: {fault.percent:g}% of calls get {KIND_SAYS[fault.kind]}")
        return lines

    def json(self) -> dict[str, Any]:
        rule = self.rate_limit
        return {
            "error_rate": str(self.error_rate) if self.error_rate is not None else None,
            "rate_limit": str(rule) if rule is not None else None,
            "rate_limit_by": rule.by if rule is not None else "global",
            "connection": [str(fault) for fault in self.connection],
        }


NO_FAULTS = Faults()


def _percent(field: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultError(field, f"{text!r} is not a percentage") from None
    if not 0 <= value <= 100:
        raise FaultError(field, f"{text!r} is not a percentage 0..100")
    return value


def parse_error_rate(text: str) -> ErrorRate | None:
    """`PERCENT[:CODE,CODE...]`; 0 is none."""
    percent_text, mark, codes_text = text.strip().partition(":")
    percent = _percent("error_rate", percent_text.strip().rstrip("%"))
    codes: tuple[int, ...] = ERROR_CODES
    if mark:
        try:
            codes = tuple(int(code) for code in codes_text.split(","))
        except ValueError:
            raise FaultError("error_rate", f"{codes_text!r} is not a list of codes") from None
        if not codes or not all(500 <= code <= 599 for code in codes):
            raise FaultError("error_rate", "the codes must be 5xx, as in 10:502,503")
    return ErrorRate(percent, codes) if percent > 0 else None


def parse_rate_limit(text: str, by: str = "global") -> RateLimit:
    """`N/s` or `N/m`."""
    found = re.fullmatch(r"\s*([0-9]{1,9})\s*/\s*(s|m|sec|min|second|minute)\s*", text.lower())
    if found is None or int(found.group(1)) < 1:
        raise FaultError("rate_limit", f"{text!r} is not N/s or N/m with N at least 1")
    return RateLimit(int(found.group(1)), found.group(2)[0], parse_by(by))


def parse_by(text: str) -> str:
    """`global`, `ip` or `header:NAME`."""
    value = text.strip()
    if value.lower() in ("global", "ip"):
        return value.lower()
    kind, _, name = value.partition(":")
    if kind.lower() == "header" and re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name.strip()):
        return "header:" + name.strip().lower()
    raise FaultError("rate_limit_by", f"{text!r} is not global, ip or header:NAME")


def parse_fault(text: str) -> ConnectionFault:
    """`PERCENT:KIND`."""
    percent_text, _, kind = text.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise FaultError("connection", f"{text!r}: the kind is one of {', '.join(KINDS)}")
    return ConnectionFault(_percent("connection", percent_text.strip().rstrip("%")), kind)


def check_connection(faults: tuple[ConnectionFault, ...]) -> tuple[ConnectionFault, ...]:
    total = sum(fault.percent for fault in faults)
    if total > 100:
        raise FaultError("connection", f"the faults add up to {total:g}%, over 100%")
    return tuple(fault for fault in faults if fault.percent > 0)


def _text(field: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FaultError(field, "expected text, as on the command line")
    return str(value)


def patched_faults(faults: Faults, patch: Any) -> Faults:
    """The faults with a settings patch's `"faults"` object applied (raises FaultError):
    `{"error_rate": "10:503" | 10 | null, "rate_limit": "5/s" | null, "rate_limit_by":
    "ip", "connection": ["5:reset", ...] | null}`; a field left out keeps its value; null
    for the whole object: no faults."""
    if patch is None:
        return NO_FAULTS
    if not isinstance(patch, dict):
        raise FaultError("faults", "expected an object or null")
    known = ("error_rate", "rate_limit", "rate_limit_by", "connection")
    unknown = sorted(set(patch) - set(known))
    if unknown:
        name = unknown[0] if unknown[0].isidentifier() else repr(unknown[0])
        raise FaultError(name, f"not a fault (the faults: {', '.join(known)})")
    result = faults
    if "error_rate" in patch:
        value = patch["error_rate"]
        rate = parse_error_rate(_text("error_rate", value)) if value is not None else None
        result = replace(result, error_rate=rate)
    by = result.rate_limit.by if result.rate_limit is not None else "global"
    if "rate_limit_by" in patch:
        by = parse_by(_text("rate_limit_by", patch["rate_limit_by"]))
    if "rate_limit" in patch:
        value = patch["rate_limit"]
        rule = parse_rate_limit(_text("rate_limit", value), by) if value is not None else None
        result = replace(result, rate_limit=rule)
    elif result.rate_limit is not None:
        result = replace(result, rate_limit=replace(result.rate_limit, by=by))
    if "connection" in patch:
        value = patch["connection"] or []
        if not isinstance(value, list):
            raise FaultError("connection", 'expected a list such as ["5:reset"], or null')
        parsed = tuple(parse_fault(_text("connection", item)) for item in value)
        result = replace(result, connection=check_connection(parsed))
    return result
