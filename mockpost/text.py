"""Making text from a call safe to show: no control character reaches a terminal or a log.

A path, a query or a header may hold anything a client sent (`%1b[2J`, `%0d%0a`): shown as
they are, they would clear a screen, set a window title or forge a log line. `printable`
escapes C0 and C1 controls, DEL and lone surrogates (`\\x1b`, `\\n`, `\\udcff`).
`header_safe` makes a value safe to send in a response header.
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE_IN_HEADER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")  # a tab may stay


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    escaped = _ESCAPES.get(char)
    if escaped is not None:
        return escaped
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """The text with every control character and lone surrogate escaped."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _percent(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"%{code:02X}" if code < 0x100 else "%EF%BF%BD"  # a lone surrogate: U+FFFD


def header_safe(value: str) -> str:
    """A header value with CR, LF, NUL, other controls and lone surrogates percent-encoded."""
    if _UNSAFE_IN_HEADER.search(value) is None:
        return value
    return _UNSAFE_IN_HEADER.sub(_percent, value)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 request`, `2 requests` (`many` for words that do not take an s)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
