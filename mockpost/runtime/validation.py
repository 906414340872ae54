"""Calls checked against an API definition: what a violation is, and what each mode does.

A collection served from a definition carries a checker (`openapi/checks.py`). `warn` (the
default) answers as usual, lists the violations in the call's notes (the call log, its page,
HAR and JSON lines show them) and sends a summary in `x-mockpost-violations`. `enforce`
answers a call that violates with the operation's own 401 (a missing credential), 422 or 400
example where the definition has one, else with RFC 9457's `application/problem+json` and a
`validation` list. `off` checks nothing.
"""

from __future__ import annotations

import json
from typing import Protocol

from mockpost.calls.call import Call
from mockpost.calls.record import How
from mockpost.calls.violation import Violation
from mockpost.responses.reply import Reply
from mockpost.text import header_safe

MODES = ("off", "warn", "enforce")
HEADER = "x-mockpost-violations"
SUMMARY_CHARS = 300  # of the header's summary


class Checker(Protocol):
    def check(self, call: Call) -> tuple[Violation, ...]:
        """The call's violations of its operation (none for a call no operation takes)."""


def noted(reply: Reply, violations: tuple[Violation, ...]) -> Reply:
    """`warn`: the answer unchanged, the violations in its notes and a summary header."""
    from dataclasses import replace

    summary = f"{len(violations)}: " + "; ".join(v.line() for v in violations)
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 3] + "..."
    notes = tuple(f"violates the definition: {v.line()}" for v in violations)
    return replace(
        reply,
        headers=(*reply.headers, (HEADER, header_safe(summary))),
        notes=reply.notes + notes,
        violations=violations,
        final=False,
    )


def refused(reply: Reply, violations: tuple[Violation, ...]) -> Reply:
    """`enforce`, answered with the operation's own example (`reply`)."""
    from dataclasses import replace

    refusals = tuple(f"refused: {v.line()}" for v in violations)
    return replace(
        reply, how=How.INVALID, notes=reply.notes + refusals, violations=violations, final=False
    )


def problem(call: Call, violations: tuple[Violation, ...]) -> Reply:
    """`enforce` where the operation has no example to answer with: RFC 9457's problem."""
    status = 401 if any(v.unauthorized for v in violations) else 422
    body = {
        "type": "https://mockpost.dev/problems/request-validation",
        "title": "Unauthorized" if status == 401 else "Request does not match the API definition",
        "status": status,
        "detail": "; ".join(v.line() for v in violations),
        "instance": call.path,
        "validation": [v.as_json() for v in violations],
    }
    return Reply(
        status,
        (("Content-Type", "application/problem+json"),),
        json.dumps(body, ensure_ascii=False).encode(),
        How.INVALID,
        notes=tuple(f"refused: {v.line()}" for v in violations),
        violations=violations,
    )


__all__ = ["HEADER", "MODES", "Checker", "Violation", "noted", "problem", "refused"]
