"""The server's options, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockpost.matching import MatchOptions

DELAY_PRESETS = {"2g": 300, "3g": 100}  # Postman's network presets, in ms


@dataclass(frozen=True, slots=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    delay_ms: int = 0  # every response waits this long unless x-mock-response-delay says
    api_key: str | None = None  # private mode: calls need x-api-key
    match: MatchOptions = field(default_factory=MatchOptions)
    server_response: int | None = None  # a 5xx that answers every call
    seed: int | None = None  # dynamic values reproducible from run to run
    locale: str | None = None  # Faker's locale for dynamic values (default en_US)
