"""The call log in the terminal: calls queued as they are recorded, printed every 0.1 s."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Generator

from rich.console import Console
from rich.text import Text

from mockpost.calls.record import CallRecord
from mockpost.terminal.lines import plain_call, render_call
from mockpost.text import printable


class CallPrinter:
    """A call-log listener that prints one line per call (more when nothing matched).

    Recording a call only queues it; `flush` (every 0.1 s from the server's loop, and once at
    the end) prints the queue, so printing never holds up a call. To a file or a pipe every
    call gets its plain-text line. On a terminal, a flush with more than `max_lines` calls
    prints one summary line that says how many calls it stands for, then the calls nothing
    answered or that got a 5xx, up to `max_shown`. At most `limit` calls wait between
    flushes; any beyond are counted in a summary line, not kept.
    """

    def __init__(
        self,
        console: Console,
        *,
        max_lines: int = 200,
        max_shown: int = 20,
        limit: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.console = console
        self.max_lines = max_lines
        self.max_shown = max_shown
        self.limit = limit
        self._pending: deque[CallRecord] = deque()
        self._overflow: Counter[int] = Counter()
        self.clock = clock
        self._since = clock()
        self._unwritten: deque[CallRecord | str] = deque()  # taken from the queue, not printed

    def __call__(self, record: CallRecord) -> None:
        if len(self._pending) < self.limit:
            self._pending.append(record)
        else:
            self._overflow[record.status] += 1

    def flush(self) -> None:
        """Print what is queued."""
        for _ in self.flush_steps():
            pass

    def flush_steps(self, step: int = 256) -> Generator[None, None, None]:
        """Print what is queued, pausing (a `yield`) after each `step` lines written to a file.

        A server's event loop answers calls during the pauses, so that thousands of lines
        never hold up a call for long. Lines a flush left when it was stopped in a pause
        are printed first by the next.
        """
        pending, self._pending = self._pending, deque()
        overflow, self._overflow = self._overflow, Counter()
        now = self.clock()
        elapsed, self._since = now - self._since, now
        if self.console.is_terminal:
            self._print_on_terminal(pending, overflow, elapsed)
            return
        unwritten = self._unwritten
        unwritten.extend(pending)
        if overflow:
            unwritten.append(_summary(overflow, elapsed, "not logged one by one: over the limit"))
        while unwritten:
            count = min(step, len(unwritten))
            lines = [unwritten.popleft() for _ in range(count)]
            text = "\n".join(x if isinstance(x, str) else plain_call(x) for x in lines)
            self.console.file.write(text + "\n")
            self.console.file.flush()
            if unwritten:
                yield

    def _print_on_terminal(
        self, pending: deque[CallRecord], overflow: Counter[int], elapsed: float
    ) -> None:
        if len(pending) <= self.max_lines and not overflow:
            for record in pending:
                self.console.print(render_call(record))
            return
        statuses = overflow + Counter(record.status for record in pending)
        examples = Counter(
            repr(record.example.name) if record.example is not None else "no match"
            for record in pending
        )
        failed = [r for r in pending if not r.matched or r.status >= 500]
        line = _summary(statuses, elapsed, "summarised")
        line += "; by example: " + ", ".join(
            f"{printable(name)} x {n:,}" for name, n in examples.most_common(10)
        )
        if len(examples) > 10:
            line += f", {len(examples) - 10:,} more"
        self.console.print(Text(line, style="dim"))
        for record in failed[: self.max_shown]:
            self.console.print(render_call(record))
        if len(failed) > self.max_shown:
            more = len(failed) - self.max_shown
            self.console.print(Text(f"... and {more:,} more unmatched or 5xx", style="dim"))


def _summary(statuses: Counter[int], elapsed: float, what: str) -> str:
    calls = sum(statuses.values())
    counts = ", ".join(f"{n:,} x {status}" for status, n in sorted(statuses.items()))
    return f"... {calls:,} calls in {elapsed:.1f} s {what}: {counts}"
