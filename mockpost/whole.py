"""Writing a file whole: a temporary file beside it, renamed into place, so that a reader (or
a crash) never sees half of it.

The temporary file gets an unpredictable name and is created exclusively (`mkstemp`): a
symbolic link planted where it would go is never followed. The file keeps its mode (a new
one gets the usual mode for new files, after the umask).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from mockpost.errors import MockpostError


class WriteError(MockpostError):
    """A file mockpost was asked to write cannot be written."""


def check_writable(path: Path, *, stream: bool = False) -> None:
    """Raise WriteError unless `path` can be written, said before any work is done: its
    folder exists and can be written to, and it is a regular file or not there yet (with
    `stream`, a file appended to as it goes: a FIFO or a device such as /dev/stdout too)."""
    folder = path.parent
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written: {exc.strerror or exc}") from None
    if info is not None:
        kind = stat.S_IFMT(info.st_mode)
        allowed = (stat.S_IFREG, stat.S_IFIFO, stat.S_IFCHR) if stream else (stat.S_IFREG,)
        if kind not in allowed:
            what = "a folder" if kind == stat.S_IFDIR else "not a regular file"
            raise WriteError(f"{path}: cannot be written: it is {what}")
        if kind != stat.S_IFREG:
            return
        if not os.access(path, os.W_OK):
            raise WriteError(f"{path}: cannot be written: permission denied")
    if not folder.is_dir():
        raise WriteError(f"{path}: cannot be written: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WriteError(f"{path}: cannot be written: the folder {folder} is not writable")


def _umask() -> int:
    """The process's umask, read without changing it (Linux says it; elsewhere the usual)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def write_whole(path: Path, text: str) -> None:
    """`text` in `path`, replacing what was there at once (raises WriteError)."""
    temporary: str | None = None
    try:
        mode = _mode_for(path)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot be written: {exc.strerror or exc}") from None
