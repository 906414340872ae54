"""Each call's share of the unhappy paths: its delay, an injected error, a broken connection,
the rate limit's verdict.

One random stream draws them all, in the same order for every call (the delay, then the
error, then the connection fault, each only when it is in force): with a seed, the same
calls in the same order meet the same faults and delays, run after run.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import replace

from mockpost.calls.call import Call
from mockpost.calls.record import Headers, How
from mockpost.faults.headers import Asked
from mockpost.faults.latency import Latency
from mockpost.faults.plan import KINDS, Faults, RateLimit
from mockpost.faults.ratelimit import RateLimiter, Verdict
from mockpost.responses.reply import Reply

JSON_HEADERS: Headers = (("Content-Type", "application/json"),)
NO_ANSWER = ("reset", "empty", "garbage")  # kinds that send no HTTP answer at all


class Injector:
    """Draws delays and faults, and keeps the rate limit's windows."""

    def __init__(
        self, seed: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seed = seed
        self.clock = clock  # for the rate limit's windows
        self.rng = random.Random(seed)
        self._limiter: RateLimiter | None = None

    def reset(self) -> None:
        """As at start-up: the stream from its seed again, no window open."""
        self.rng = random.Random(self.seed)
        self._limiter = None

    def delay(self, latency: Latency) -> int:
        fixed = latency.fixed_ms
        return fixed if fixed is not None else latency.sample(self.rng)

    def limit(self, rule: RateLimit, call: Call) -> Verdict:
        if self._limiter is None or self._limiter.rule != rule:
            self._limiter = RateLimiter(rule, self.clock)  # a new rule starts from nothing
        return self._limiter.check(_client(rule, call))

    def inject(self, reply: Reply, faults: Faults, asked: Asked) -> Reply:
        """The reply with what the faults in force (or the call's own header) inject."""
        notes = reply.notes + asked.notes
        kind, code, why = self._pick(faults, asked)
        if code is not None:
            return injected_error(code, reply, why, notes)
        if kind is None:
            return replace(reply, notes=notes, final=False) if asked.notes else reply
        said = f"{kind} ({why})"
        if kind in NO_ANSWER:
            body = self.rng.randbytes(self.rng.randint(16, 256)) if kind == "garbage" else b""
            return _in_place_of(reply, 0, (), body, notes, said, fault=kind)
        return replace(reply, notes=notes, final=False, fault=kind, injected=said)

    def _pick(self, faults: Faults, asked: Asked) -> tuple[str | None, int | None, str]:
        """(a connection fault, an error code, why), drawn in a fixed order."""
        if asked.fault == "none":
            return None, None, ""
        if asked.fault == "error":
            return None, self.rng.choice(asked.error_codes), "x-mockpost-fault"
        if asked.fault in KINDS:
            return asked.fault, None, "x-mockpost-fault"
        rate = faults.error_rate
        if rate is not None and self.rng.random() * 100 < rate.percent:
            return None, self.rng.choice(rate.codes), f"error rate {rate.percent:g}%"
        if faults.connection:
            drawn, reached = self.rng.random() * 100, 0.0
            for fault in faults.connection:
                reached += fault.percent
                if drawn < reached:
                    return fault.kind, None, f"fault {fault.percent:g}%"
        return None, None, ""


def _client(rule: RateLimit, call: Call) -> str:
    if rule.by == "ip":
        return call.client
    if rule.by.startswith("header:"):
        return call.headers.get(rule.by.removeprefix("header:"), "")
    return ""


def injected_error(code: int, instead: Reply, why: str, notes: tuple[str, ...]) -> Reply:
    """An injected 5xx, in place of the answer the call would have had."""
    would = (
        f"the example {instead.example.name!r} would have answered"
        if instead.example is not None
        else f"the call would have had a {instead.status}"
    )
    message = f"mockpost injected this {code} ({why}); {would}."
    body = json.dumps({"error": {"name": "mockpostInjectedError", "message": message}})
    return _in_place_of(instead, code, JSON_HEADERS, body.encode(), notes, f"error {code} ({why})")


def _in_place_of(
    instead: Reply,
    status: int,
    headers: Headers,
    body: bytes,
    notes: tuple[str, ...],
    injected: str,
    fault: str | None = None,
) -> Reply:
    """What mockpost injected in place of a reply: which example it stood for (and its score
    and step), the delay it kept, what was injected and why."""
    return Reply(
        status,
        headers,
        body,
        How.INJECTED,
        example=instead.example,
        score=instead.score,
        path_step=instead.path_step,
        notes=notes,
        delay_ms=instead.delay_ms,
        fault=fault,
        injected=injected,
    )


def rate_limited(verdict: Verdict, rule: RateLimit, delay_ms: int) -> Reply:
    """The 429 of a call over the rate limit."""
    per = "second" if rule.per == "s" else "minute"
    message = (
        f"Over this mock's rate limit of {rule.limit} calls a {per}: "
        f"retry after {verdict.reset_s} s."
    )
    body = json.dumps({"error": {"name": "rateLimitedError", "message": message}})
    return Reply(
        429,
        (*JSON_HEADERS, *verdict.headers),
        body.encode(),
        How.RATE_LIMITED,
        delay_ms=delay_ms,
        injected=f"rate limit {rule}",
    )


def with_headers(reply: Reply, headers: Headers) -> Reply:
    return replace(reply, headers=(*reply.headers, *headers), final=False)
