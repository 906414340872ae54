"""Settings changed while mockpost runs: a JSON patch checked whole before anything changes.

`{"delay": MS | "2g" | "3g" | "MIN-MAX" | "lognormal:MEDIAN:SIGMA" | null,
"server_response": {"code": 5xx, "body": TEXT?, "headers": {NAME: VALUE}?} | null,
(headers checked as an example's are, a body's type taken from its first bytes unless stated)
"match_body": BOOL, "match_headers": [NAME, ...], "fuzzy": BOOL, "faults": {...} | null}`
(the faults: `faults/plan.patched_faults`): a field left out keeps its value. A value that
makes no sense raises `SettingsError` naming the field, and nothing changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mockpost.errors import MockpostError
from mockpost.faults.latency import FORMS, NO_DELAY, Latency, LatencyError, fixed, parse_latency
from mockpost.faults.plan import FaultError, patched_faults
from mockpost.matching.directives import MAX_DELAY_MS
from mockpost.responses.prepare import HEADER_NAME, SKIPPED_RESPONSE_HEADERS, header_problem
from mockpost.runtime.settings import ServerResponse, Settings

FIELDS = ("delay", "server_response", "match_body", "match_headers", "fuzzy", "faults")


class SettingsError(MockpostError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _delay(value: Any) -> Latency:
    if value is None:
        return NO_DELAY
    if isinstance(value, str):
        try:
            return parse_latency(value)
        except LatencyError as error:
            raise SettingsError("delay", str(error)) from None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DELAY_MS:
        raise SettingsError("delay", f"expected null, or {FORMS} (0..{MAX_DELAY_MS} ms)")
    return fixed(value)


def _boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(field, "expected true or false")
    return value


def _server_response(value: Any) -> ServerResponse | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"code", "body", "headers"}:
        raise SettingsError("server_response", "expected null or {code, body?, headers?}")
    code = value.get("code")
    if isinstance(code, bool) or not isinstance(code, int) or not 500 <= code <= 599:
        raise SettingsError("server_response", "code: expected a number 500..599")
    body = value.get("body")
    if body is not None and not isinstance(body, str):
        raise SettingsError("server_response", "body: expected text")
    headers = value.get("headers") or {}
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise SettingsError("server_response", "headers: expected an object of texts")
    kept: list[tuple[str, str]] = []
    for name, text in headers.items():
        problem = header_problem(name, text)
        if problem is not None:
            raise SettingsError("server_response", f"headers: {problem}")
        if name.lower() not in SKIPPED_RESPONSE_HEADERS:  # the server frames the answer
            kept.append((name, text))
    encoded = body.encode("utf-8", "surrogatepass") if body is not None else None
    if encoded is not None and not any(name.lower() == "content-type" for name, _ in kept):
        kept.append(("Content-Type", sniffed_type(encoded)))
    return ServerResponse(code, encoded, tuple(kept))


def sniffed_type(body: bytes) -> str:
    """The type of a body that states none, from its first bytes."""
    start = body.lstrip()[:64].lower()
    if start[:1] in (b"{", b"["):
        return "application/json"
    if start.startswith((b"<!doctype html", b"<html")):
        return "text/html; charset=utf-8"
    if start.startswith(b"<"):
        return "application/xml"
    return "text/plain; charset=utf-8"


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(n, str) and HEADER_NAME.fullmatch(n.strip()) for n in value
    ):
        raise SettingsError("match_headers", "expected a list of header names")
    return tuple(n.strip().lower() for n in value)


def patched(settings: Settings, patch: Any) -> Settings:
    """The settings with the patch applied (raises SettingsError, changing nothing)."""
    if not isinstance(patch, dict):
        raise SettingsError("settings", "expected a JSON object")
    unknown = sorted(set(patch) - set(FIELDS))
    if unknown:
        name = unknown[0] if unknown[0].isidentifier() else repr(unknown[0])
        raise SettingsError(name, f"not a setting (the settings: {', '.join(FIELDS)})")
    match = settings.match
    if "match_body" in patch:
        match = replace(match, match_body=_boolean("match_body", patch["match_body"]))
    if "match_headers" in patch:
        match = replace(match, match_headers=_names(patch["match_headers"]))
    if "fuzzy" in patch:
        match = replace(match, fuzzy=_boolean("fuzzy", patch["fuzzy"]))
    faults = settings.faults
    if "faults" in patch:
        try:
            faults = patched_faults(faults, patch["faults"])
        except FaultError as error:
            raise SettingsError(f"faults.{error.field}", error.message) from None
    return replace(
        settings,
        delay=_delay(patch["delay"]) if "delay" in patch else settings.delay,
        faults=faults,
        server_response=(
            _server_response(patch["server_response"])
            if "server_response" in patch
            else settings.server_response
        ),
        match=match,
    )


def settings_json(settings: Settings) -> dict[str, Any]:
    """The settings in force, as `GET /__mockpost/settings` gives them."""
    response = settings.server_response
    return {
        "delay": settings.delay.json(),
        "server_response": (
            {
                "code": response.code,
                "body": response.body.decode("utf-8", "replace") if response.body else None,
                "headers": dict(response.headers),
            }
            if response is not None
            else None
        ),
        "match_body": settings.match.match_body,
        "match_headers": list(settings.match.match_headers),
        "fuzzy": settings.match.fuzzy,
        "faults": settings.faults.json(),
        "private": settings.api_key is not None,
        "read_only": settings.read_only,  # --read-only: the page offers no writes
    }
