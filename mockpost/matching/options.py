"""The matching rules a server applies to every call; a call's `x-mock-match-*` headers win."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MatchOptions:
    match_body: bool = False  # drop examples whose request body differs
    match_headers: tuple[str, ...] = ()  # these headers (lower case) must match
    fuzzy: bool = True  # the document-distance path step (70)
