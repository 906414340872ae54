"""The settings a running mock answers by: what a user may change while it runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockpost.calls.record import Headers
from mockpost.matching.options import MatchOptions

DELAY_PRESETS = {"2g": 300, "3g": 100}  # Postman's network presets, in ms


@dataclass(frozen=True, slots=True)
class ServerResponse:
    """Postman's active server response: a 5xx that answers every call."""

    code: int
    body: bytes | None = None  # None: mockpost's JSON body saying so
    headers: Headers = ()


@dataclass(frozen=True, slots=True)
class Settings:
    delay_ms: int = 0  # every answer waits this long unless x-mock-response-delay says
    server_response: ServerResponse | None = None
    match: MatchOptions = field(default_factory=MatchOptions)
    api_key: str | None = None  # private mode: calls need x-api-key
    keep_cors_headers: bool = False  # serve the examples' saved Access-Control-* headers
    seed: int | None = None  # dynamic values reproducible from run to run
    locale: str | None = None  # Faker's locale for dynamic values (default en_US)
