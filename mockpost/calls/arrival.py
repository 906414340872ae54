"""A call as it arrived: the one object the web layer hands the runtime for each call."""

from __future__ import annotations

from dataclasses import dataclass

from mockpost.calls.record import RawHeaders


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Arrival:
    """What came, when, and what was noted on the way: enough to find a kept reply without
    reading anything else, and to keep the call's record however it ends."""

    method: str
    target: str  # the request line's, as it came (path, query and all)
    headers: RawHeaders  # as they came: names and values as bytes, in order
    has_body: bool
    received: float  # the clock's time when it came
    path: str  # decoded, derived once from the target
    query: str  # the raw query string
    body: bytes = b""  # once read (a kept reply's repeat reads none)
    notes: tuple[str, ...] = ()  # what happened on the way: a body not read, a client gone

    @property
    def key(self) -> tuple[str, str]:
        """What names a plain call among its repeats (see `Call.key`)."""
        return (self.method, self.target)
