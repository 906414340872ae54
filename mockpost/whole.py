"""Writing a file whole: a temporary file beside it, renamed into place, so that a reader (or
a crash) never sees half of it."""

from __future__ import annotations

import os
from pathlib import Path

from mockpost.errors import MockpostError


class WriteError(MockpostError):
    """A file mockpost was asked to write cannot be written."""


def write_whole(path: Path, text: str) -> None:
    """`text` in `path`, replacing what was there at once (raises WriteError)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot be written: {exc.strerror or exc}") from None
