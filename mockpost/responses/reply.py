"""A reply: what mockpost sends for a call, with what the call record says of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockpost.calls.record import Closest, ExampleRef, Headers, How, clip
from mockpost.calls.violation import Violation


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class Reply:
    """Everything about an answer but the call itself; a kept reply is shared by repeats.

    Not changed once built, but for one mutable cache: `sent_as`, the bytes the web layer
    made of it on its first repeat.
    """

    status: int
    headers: Headers
    body: bytes
    how: How
    reason: str | None = None  # the status text, when the example gives a valid one
    example: ExampleRef | None = None
    score: float | None = None
    path_step: str = ""
    explanation: tuple[Closest, ...] = ()
    notes: tuple[str, ...] = ()
    delay_ms: int = 0
    final: bool = False  # complete, and the same for every repeat of the call
    logged_body: bytes = b""  # the body as a record keeps it
    logged_truncated: bool = False
    fault: str | None = None  # a broken connection to send instead (faults/plan.KINDS)
    injected: str = ""  # what mockpost injected (an error, a fault, the rate limit), and why
    violations: tuple[Violation, ...] = ()  # what the call breaks of its API definition
    session: str = ""  # a collection with state: the call's session
    state: tuple[tuple[str, str, str], ...] = ()  # (scenario, before, after)
    # A kept reply as the web layer sends it, made there on its first repeat (web/wire.py).
    sent_as: object = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.logged_body, self.logged_truncated = clip(self.body)

    @property
    def size(self) -> int:
        """Roughly the bytes it holds onto, its bytes as sent (`sent_as`) included."""
        return 256 + 2 * (len(self.body) + sum(len(n) + len(v) for n, v in self.headers))
