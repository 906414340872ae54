"""The lines for one call: their pieces are made here once (`_head`, `_outcome`, `_tail`),
and put together as rich `Text` on a terminal, as plain text for files and pipes.

Everything that comes from a call is put in `rich.text.Text`, never in markup, so `/[bold]x`
prints as it is.
"""

from __future__ import annotations

import time
from functools import lru_cache

from rich.text import Text

from mockpost.calls.record import CallRecord, ExampleRef, How
from mockpost.terminal.console import status_style
from mockpost.text import printable

Part = tuple[str, str]  # text, style
METHOD_WIDTH = 8  # OPTIONS and DELETE, and a space

OutcomeKey = tuple[int, How, ExampleRef | None, float | None, str, str]


@lru_cache(maxsize=4)
def _clock(second: int) -> str:
    return time.strftime("%H:%M:%S", time.localtime(second))


@lru_cache(maxsize=1 << 16)  # as many as the runtime keeps replies: a rotation never misses
def _outcome(key: OutcomeKey) -> tuple[tuple[Part, ...], str]:
    """What answered, as parts and as their text: the same for every call answered alike,
    made once."""
    status, how, example, score, path_step, injected = key
    parts = [(f"  {status}" if status else "  ---", status_style(status))]
    if injected:
        parts.append((f"  injected {printable(injected)}", "bold magenta"))
        if how in (How.INJECTED, How.RATE_LIMITED):  # instead of the answer
            if example is not None:
                parts.append((f" instead of {printable(repr(example.name))}", "cyan"))
            return tuple(parts), "".join(text for text, _ in parts)
    if example is not None:
        parts.append((f"  {printable(repr(example.name))}", "cyan"))
        if example.request:
            parts.append((f" of {printable(repr(example.request))}", "dim"))
        if how is How.SCORE and score is not None:
            parts.append((f"  score {score:g} ({path_step})", ""))
        else:
            parts.append((f"  by {how.value}", ""))
    elif how is How.NOT_FOUND:
        parts.append(("  No matching requests", "bold red"))
    else:
        parts.append((f"  {how.value}", "magenta"))
    return tuple(parts), "".join(text for text, _ in parts)


def _head(record: CallRecord) -> tuple[str, str, str]:
    """When, which method, which path."""
    received = record.received
    query = record.query
    return (
        f"{_clock(int(received))}.{int(received * 1000) % 1000:03d} ",
        f"{printable(record.method):<{METHOD_WIDTH}}",
        printable(f"{record.path}?{query}" if query else record.path),
    )


def _outcome_of(record: CallRecord) -> tuple[tuple[Part, ...], str]:
    return _outcome(
        (
            record.status,
            record.how,
            record.example,
            record.score,
            record.path_step,
            record.injected,
        )
    )


def _tail(record: CallRecord) -> list[Part]:
    """How long it took; then the notes and the closest examples, each on a line of its own."""
    parts = [(f"  {record.duration_ms:.1f} ms", "dim")]
    for note in record.notes:
        parts += [("\n    note: ", "yellow"), (printable(note), "")]
    for near in record.explanation:
        parts += [
            ("\n    closest: ", "red"),
            (printable(f"{near.method} {near.path} {near.example!r}"), ""),
            (printable(f" - {near.reason}"), "red"),
        ]
    return parts


def render_call(record: CallRecord) -> Text:
    """The lines for one call, as `Text` (request data never read as markup)."""
    when, method, target = _head(record)
    return Text.assemble(
        (when, "dim"), (method, "bold"), target, *_outcome_of(record)[0], *_tail(record)
    )


def plain_call(record: CallRecord) -> str:
    """The same lines as plain text (for files and pipes), made with fewer steps: a busy
    server writes thousands a second."""
    when, method, target = _head(record)
    text = f"{when}{method}{target}{_outcome_of(record)[1]}"
    if not record.notes and not record.explanation:
        return f"{text}  {record.duration_ms:.1f} ms"
    return text + "".join([part for part, _ in _tail(record)])
