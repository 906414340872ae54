"""What the assertions of a `Mock` say when they fail: the calls that came closest.

Plain text (no terminal codes): a test runner prints it as it is, and every part that came
from a call goes through `printable` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from mockpost.calls.record import CallRecord
from mockpost.calls.views import Glob, glob
from mockpost.text import plural, printable

CLOSEST = 5  # calls listed when an assertion fails


@dataclass(frozen=True, slots=True)
class Wanted:
    """A call an assertion looks for: method, path (`*` any text; `?query` to hold the query
    as sent too), and optionally the status and text in the answering example's name."""

    method: str
    path: str
    status: int | None = None
    example: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())

    @property
    def _path_and_query(self) -> tuple[Glob, str | None]:
        path, mark, query = self.path.partition("?")
        return glob(path), query if mark else None

    def matches(self, record: CallRecord) -> bool:
        pattern, query = self._path_and_query
        if record.method.upper() != self.method or not pattern.fullmatch(record.path):
            return False
        if query is not None and record.query != query:
            return False
        if self.status is not None and record.status != self.status:
            return False
        if self.example is not None:
            name = record.example.name if record.example is not None else ""
            return self.example.lower() in name.lower()
        return True

    def __str__(self) -> str:
        said = f"{self.method} {self.path}"
        if self.status is not None:
            said += f" answered {self.status}"
        if self.example is not None:
            said += f" by an example named like {self.example!r}"
        return printable(said)


def line(record: CallRecord) -> str:
    """`#3 GET /v1/users/1?x=1 -> 200 'Any user' of 'Get user'`"""
    target = record.path + (f"?{record.query}" if record.query else "")
    said = f"#{record.id} {record.method} {target} -> {record.status}"
    if record.example is not None:
        said += f" {record.example.name!r} of {record.example.request!r}"
    else:
        said += f" ({record.how.value})"
    return printable(said)


def closest(wanted: Wanted, records: Sequence[CallRecord]) -> list[CallRecord]:
    """The calls most like the one wanted: same method first, then the nearest path."""

    def likeness(record: CallRecord) -> tuple[bool, float]:
        same_method = record.method.upper() == wanted.method
        return same_method, fuzz.ratio(record.path, wanted.path)

    return sorted(records, key=likeness, reverse=True)[:CLOSEST]


def _listed(records: Iterable[CallRecord]) -> str:
    return "".join(f"\n  {line(record)}" for record in records)


def not_called(wanted: Wanted, records: Sequence[CallRecord], found: int, times: int | None) -> str:
    if times is None:
        head = f"expected {wanted} to be called, but it was not"
    else:
        head = f"expected {wanted} to be called {plural(times, 'time')}, but it was called "
        head += plural(found, "time")
    if not records:
        return head + "; no call was made"
    near = [r for r in records if wanted.matches(r)] if found else closest(wanted, records)
    label = "the calls that matched" if found else "the closest calls"
    return f"{head}; {plural(len(records), 'call')} made, {label}:{_listed(near)}"


def called(wanted: Wanted, matching: Sequence[CallRecord]) -> str:
    head = f"expected {wanted} not to be called, but it was called "
    return head + plural(len(matching), "time") + ":" + _listed(matching)


def unmatched(records: Sequence[CallRecord]) -> str:
    said = f"{plural(len(records), 'call')} matched no example:"
    for record in records:
        said += f"\n  {line(record)}"
        for miss in record.explanation:
            said += "\n      " + printable(
                f"closest: {miss.method} {miss.path} {miss.example!r} - {miss.reason}"
            )
    return said
