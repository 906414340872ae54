"""A rate limit: at most N calls per window (a second or a minute), for all calls or per
client (its IP, or a header's value).

Fixed windows, each starting at the first call that finds none open: exactly N calls pass in
each, the next is refused until the window ends. Every answer says where the client stands
(`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`: seconds until the window
ends); a refused call also gets `Retry-After` (the same seconds, rounded up).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from mockpost.calls.record import Headers
from mockpost.faults.plan import RateLimit

MAX_CLIENTS = 100_000  # windows kept; past it, the ended ones go, then the oldest


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_s: int  # whole seconds until the window ends (at least 1)

    @property
    def headers(self) -> Headers:
        said: Headers = (
            ("RateLimit-Limit", str(self.limit)),
            ("RateLimit-Remaining", str(self.remaining)),
            ("RateLimit-Reset", str(self.reset_s)),
        )
        return said if self.allowed else (("Retry-After", str(self.reset_s)), *said)


class RateLimiter:
    def __init__(
        self,
        rule: RateLimit,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.rule = rule
        self.clock = clock
        self.max_clients = max_clients
        self._windows: dict[str, tuple[float, int]] = {}  # client -> (start, calls)

    def check(self, client: str) -> Verdict:
        """Count a call from `client` (ignored for a global limit) and say if it passes."""
        rule, now = self.rule, self.clock()
        key = client if rule.by != "global" else ""
        start, calls = self._windows.get(key, (now, 0))
        if now >= start + rule.window_s:
            start, calls = now, 0
        allowed = calls < rule.limit
        if allowed:
            calls += 1
        if key not in self._windows and len(self._windows) >= self.max_clients:
            self._forget(now)
        self._windows[key] = (start, calls)
        reset = max(1, math.ceil(start + rule.window_s - now))
        return Verdict(allowed, rule.limit, rule.limit - calls, reset)

    def _forget(self, now: float) -> None:
        window = self.rule.window_s
        for key in [k for k, (start, _) in self._windows.items() if now >= start + window]:
            del self._windows[key]
        while len(self._windows) >= self.max_clients:
            del self._windows[next(iter(self._windows))]
