"""The call log as JSON lines: one object per call (the full form), for files and CI logs.

Like the terminal's printer, recording a call only queues it; `flush_steps` writes the queue
(every 0.1 s, and once at the end), so writing never holds up a call, and a stop loses no
line. At most `limit` calls wait between two writes; any more are counted in a line of their
own (`{"event": "overflow", "calls": N}`).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Generator
from typing import Any, TextIO

from mockpost.calls.record import CallRecord
from mockpost.calls.views import full


def json_line(data: Any) -> str:
    """ASCII only: every control character (C1 ones too) and anything else beyond ASCII is
    escaped, so that no line can act on the terminal or log viewer it reaches."""
    return json.dumps(data, separators=(",", ":"))


class JsonLines:
    """A call-store listener that writes each call as one JSON object on a line."""

    def __init__(self, out: TextIO, *, limit: int = 50_000) -> None:
        self.out = out
        self.limit = limit
        self._pending: deque[CallRecord] = deque()
        self._overflow = 0

    def __call__(self, record: CallRecord) -> None:
        if len(self._pending) < self.limit:
            self._pending.append(record)
        else:
            self._overflow += 1

    def event(self, **data: Any) -> None:
        """Write a line that is not a call (`{"event": "listening", ...}`) at once."""
        self.out.write(json_line(data) + "\n")
        self.out.flush()

    def flush(self) -> None:
        for _ in self.flush_steps():
            pass

    def flush_steps(self, step: int = 256) -> Generator[None, None, None]:
        """Write what is queued, pausing (a `yield`) after each `step` lines."""
        pending = self._pending
        while pending:
            count = min(step, len(pending))
            lines = [json_line(full(pending.popleft())) for _ in range(count)]
            self.out.write("\n".join(lines) + "\n")
            self.out.flush()
            if pending:
                yield
        if self._overflow:
            overflow, self._overflow = self._overflow, 0
            self.event(event="overflow", calls=overflow)
