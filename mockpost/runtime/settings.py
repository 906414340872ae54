"""The settings a running mock answers by: what a user may change while it runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockpost.calls.record import Headers
from mockpost.faults.latency import NO_DELAY, Latency
from mockpost.faults.plan import NO_FAULTS, Faults
from mockpost.matching.options import MatchOptions


@dataclass(frozen=True, slots=True)
class ServerResponse:
    """Postman's active server response: a 5xx that answers every call."""

    code: int
    body: bytes | None = None  # None: mockpost's JSON body saying so
    headers: Headers = ()


@dataclass(frozen=True, slots=True)
class Settings:
    delay: Latency = NO_DELAY  # every answer waits this long unless the call says otherwise
    server_response: ServerResponse | None = None
    match: MatchOptions = field(default_factory=MatchOptions)
    api_key: str | None = None  # private mode: calls need x-api-key
    keep_cors_headers: bool = False  # serve the examples' saved Access-Control-* headers
    seed: int | None = None  # dynamic values reproducible from run to run
    locale: str | None = None  # Faker's locale for dynamic values (default en_US)
    faults: Faults = NO_FAULTS  # an error rate, a rate limit, broken connections
    validate: str = "warn"  # calls against an API definition: off, warn or enforce
    dynamic: bool = False  # a definition's made answers drawn afresh per call (--dynamic)
    crud: tuple[str, ...] = ()  # CRUD resources: --crud /todos, /todos:uuid, /todos:id=key
    read_only: bool = False  # --read-only: the API writes nothing into the collection file
