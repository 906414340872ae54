"""Is a file an API definition? Told by its content, before anything is parsed (and without
importing a YAML parser: a collection file never needs one)."""

from __future__ import annotations

import re
from typing import Any

LOOKS_LIKE = re.compile(rb"""^\s*["']?(?:openapi|swagger)["']?\s*:""", re.MULTILINE)


def looks_like_definition(data: bytes) -> bool:
    """Does a line of the file's first megabyte start with `openapi:` or `swagger:` (YAML or
    JSON)? The reader then checks that it is a definition's top level."""
    return LOOKS_LIKE.search(data[:1_000_000]) is not None


def is_definition(data: Any) -> bool:
    """Is parsed JSON a definition's top level (not a collection that names one)?"""
    return (
        isinstance(data, dict) and ("openapi" in data or "swagger" in data) and "item" not in data
    )
