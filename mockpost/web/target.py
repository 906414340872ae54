"""A call's target as it came on the request line, read without aiohttp's URL object.

aiohttp's parser builds a URL object for every call from the target's path, query and
fragment, through a cache of the last 128 URLs; each decoded part (`path`, `path_safe`,
`query_string`, ...) is then worked out on first use, per URL object. A mock called over more
than 128 paths pays for every part it asks for on every call. A repeat of a plain call needs
none of them: its kept reply is found by the target itself, and a target that starts with `/`
and holds no `%` decodes to itself, so its path and query are plain slices of it. A target
holding a `#` is left to aiohttp: its two parsers (C and Python) cut such a target in
different places.
"""

from __future__ import annotations


def decodes_to_itself(target: str) -> bool:
    """Whether the target's path is its own text up to the query (an origin-form target with
    no percent-escape and no fragment: decoding it changes nothing)."""
    return target[:1] == "/" and "%" not in target and "#" not in target


def split(target: str) -> tuple[str, str]:
    """The path and the raw query string of a target that decodes to itself: the path ends at
    the first `?`, the query is all after it."""
    path, _, query = target.partition("?")
    return path, query
