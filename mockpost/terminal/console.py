"""The rich console mockpost prints to, and the colour of a status."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console


def make_console(file: TextIO | None = None) -> Console:
    """A console that never wraps log lines (they go to pipes and files too)."""
    return Console(
        file=file or sys.stdout, soft_wrap=True, highlight=False, markup=False, emoji=False
    )


def status_style(status: int) -> str:
    if status >= 500 or status == 0:  # 0: no answer at all (a broken connection)
        return "bold red"
    if status >= 400:
        return "yellow"
    if status >= 300:
        return "cyan"
    return "green"
