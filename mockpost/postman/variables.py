"""`{{name}}` variables, resolved as the Postman SDK does.

Unknown tokens stay as written, and substitution repeats while something changes (nested
variables), at most 19 passes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

TOKEN = re.compile(r"\{\{([^{}]*?)\}\}")
MAX_PASSES = 19


def resolve(text: str, lookup: Mapping[str, str]) -> str:
    """Replace every known `{{name}}`, repeatedly, as Postman does."""
    if "{{" not in text or lookup.keys().isdisjoint(TOKEN.findall(text)):
        return text

    def value(match: re.Match[str]) -> str:
        return lookup.get(match.group(1), match.group(0))

    for _ in range(MAX_PASSES):
        new = TOKEN.sub(value, text)
        if new == text:
            break
        text = new
    return text


def unresolved(text: str) -> list[str]:
    """Names of the `{{name}}` tokens left in text (dynamic `{{$…}}` ones excluded)."""
    return [m.group(1) for m in TOKEN.finditer(text) if not m.group(1).startswith("$")]
