"""The call log: one record per call, kept in a bounded buffer, told to listeners.

No rendering here: the console (or anything else) listens. A listener that fails is
unsubscribed rather than allowed to break serving.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

NO_HEADERS: Mapping[str, str] = MappingProxyType({})
MAX_BODY_KEPT = 64 * 1024

log = logging.getLogger("mockpost.calllog")


@dataclass(frozen=True, slots=True)
class Closest:
    """An example near an unanswered call, and what dropped it."""

    method: str
    path: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True, eq=False)
class Outcome:
    """How a call was answered. The repeats of a plain call share one: it is built once.

    Compared and hashed by identity: a printer can remember what it made of one cheaply.
    """

    status: int
    how: str = ""  # "score", "x-mock-response-id", "preflight", "unauthorized"...
    example_name: str | None = None  # None: no example answered
    request_name: str | None = None
    example_id: str | None = None
    score: float | None = None
    path_step: str = ""
    closest: tuple[Closest, ...] = ()
    # The headers as answered: a read-only view, every value kept (`.items()`).
    response_headers: Mapping[str, str] = field(default_factory=lambda: NO_HEADERS)
    response_body: bytes = b""

    @property
    def matched(self) -> bool:
        return self.example_name is not None


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class CallRecord:
    """One call: what was asked, when, how long answering took, and how it was answered."""

    received: float  # Unix time
    method: str
    path: str
    query: str
    duration_ms: float
    outcome: Outcome
    notes: tuple[str, ...] = ()
    # The headers as sent: a read-only view, every value kept (`.items()`).
    request_headers: Mapping[str, str] = field(default_factory=lambda: NO_HEADERS)
    request_body: bytes = b""

    @property
    def status(self) -> int:
        return self.outcome.status

    @property
    def how(self) -> str:
        return self.outcome.how

    @property
    def example_name(self) -> str | None:
        return self.outcome.example_name

    @property
    def request_name(self) -> str | None:
        return self.outcome.request_name

    @property
    def example_id(self) -> str | None:
        return self.outcome.example_id

    @property
    def score(self) -> float | None:
        return self.outcome.score

    @property
    def path_step(self) -> str:
        return self.outcome.path_step

    @property
    def closest(self) -> tuple[Closest, ...]:
        return self.outcome.closest

    @property
    def response_headers(self) -> Mapping[str, str]:
        return self.outcome.response_headers

    @property
    def response_body(self) -> bytes:
        return self.outcome.response_body

    @property
    def matched(self) -> bool:
        return self.outcome.example_name is not None


Listener = Callable[[CallRecord], None]


def clip(body: bytes) -> bytes:
    """A body as the log keeps it: at most MAX_BODY_KEPT bytes."""
    return body if len(body) <= MAX_BODY_KEPT else body[:MAX_BODY_KEPT]


@dataclass
class CallLog:
    """The last `capacity` calls, oldest first, and the count of all calls seen."""

    capacity: int = 1000
    total: int = 0
    _records: deque[CallRecord] = field(init=False)
    _listeners: list[Listener] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._records = deque(maxlen=self.capacity)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def record(self, call: CallRecord) -> None:
        self._records.append(call)
        self.total += 1
        for listener in self._listeners:
            try:
                listener(call)
            except Exception:  # a broken listener must never break serving
                log.exception("call log listener %r failed; it is unsubscribed", listener)
                self._listeners = [x for x in self._listeners if x is not listener]

    def __iter__(self) -> Iterator[CallRecord]:
        return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)

    def last(self) -> CallRecord | None:
        return self._records[-1] if self._records else None
