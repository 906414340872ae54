"""Snapshots of what was loaded: a second start with the same files skips building it.

Loading a collection of 20,000 examples (its JSON, the model, the index) takes about a second;
reading back what that built takes a third of it. The command line keeps what it loaded in
the user's cache directory, keyed by everything the result depends on: the files' paths and
bytes, mockpost's code (every module's size and time), and Python's version. A snapshot is
written by a detached process once the server listens, so a first start is not held up; one
that cannot be read is deleted, and the files are loaded as usual.

A snapshot is a pickle, and reading a pickle can run code: only a directory that belongs to
the user and that no one else may write to is used, and in it only regular files that belong
to the user and that no one else may write to.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import signal
import stat as kinds
import sys
import tempfile
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

CACHE_DIR_ENV = "MOCKPOST_CACHE_DIR"
KEEP = 8  # snapshots kept in the directory; the least recently written go
SUFFIX = ".snapshot"
STALE = 600  # seconds after which a writer's unfinished file is taken as left behind


def default_directory() -> Path:
    """`$MOCKPOST_CACHE_DIR`, else `$XDG_CACHE_HOME/mockpost`, else `~/.cache/mockpost`."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mockpost"


@cache
def code_fingerprint() -> bytes:
    """mockpost's version and every module's size and time, and Python's version: a snapshot
    from other code is never read."""
    import mockpost  # the package, for its place and version (loaded by then)

    package = Path(mockpost.__file__).parent
    digest = hashlib.sha256(f"{mockpost.__version__}\0{sys.version}\0{package}".encode())
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.digest()


def _private(stat: os.stat_result) -> bool:
    """Owned by this user, and no one else may write to it."""
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


class Snapshots:
    """The snapshots in one directory (made, private to the user, when missing)."""

    def __init__(self, directory: Path | None = None, *, detach: bool = True) -> None:
        self.directory = directory if directory is not None else default_directory()
        self.detach = detach  # False: written before `write` returns (for tests)
        self.read_back = False  # whether the last `read` found a snapshot
        self._kept: tuple[str, Any] | None = None  # what `write_kept` writes

    def key(self, parts: Iterable[bytes]) -> str:
        digest = hashlib.sha256(code_fingerprint())
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _usable(self, make: bool) -> bool:
        try:
            if make:
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            stat = self.directory.lstat()
        except OSError:
            return False
        return os.path.isdir(self.directory) and not self.directory.is_symlink() and _private(stat)

    def read(self, key: str) -> Any | None:
        """The value kept under `key`, or None (none kept, or not one that can be trusted)."""
        self.read_back = False
        if not hasattr(os, "getuid") or not self._usable(make=False):
            return None
        path = self.directory / f"{key}{SUFFIX}"
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as file:
                stat = os.fstat(file.fileno())
                if not kinds.S_ISREG(stat.st_mode) or not _private(stat):
                    return None
                found = pickle.loads(file.read())  # a private file, written by mockpost
                self.read_back = True
                return found
        except Exception:  # a snapshot cut short, or from a mockpost that pickled otherwise
            path.unlink(missing_ok=True)
            return None

    def keep(self, key: str, value: Any) -> None:
        """Write `value` under `key` when `write_kept` is called: a caller that has other
        threads at work waits for them to end first (a process forked meanwhile could find
        their locks held forever)."""
        self._kept = (key, value)

    def write_kept(self) -> None:
        if self._kept is not None:
            self.write(*self._kept)
            self._kept = None

    def write(self, key: str, value: Any) -> None:
        """Keep `value` under `key`, from a detached process: the caller goes on at once."""
        if not hasattr(os, "fork") or not self._usable(make=True):
            return
        if not self.detach:
            self._write(key, value)
            return
        try:
            child = os.fork()
        except OSError:  # no process to spare: no snapshot this time
            return
        if child:
            os.waitpid(child, 0)  # the child only starts the writer and leaves
            return
        try:  # the child: start a writer that no one waits for, and leave
            if os.fork() == 0:
                _detach()
                gc.disable()  # nothing it builds is garbage before it leaves
                try:
                    self._write(key, value)
                finally:
                    os._exit(0)
        finally:
            os._exit(0)

    def _write(self, key: str, value: Any) -> None:
        data = _pickled(value)
        fd, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, self.directory / f"{key}{SUFFIX}")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._prune()

    def _prune(self) -> None:
        """The newest KEEP snapshots stay; so do files a writer may still be writing (a
        writer killed before it renamed its file leaves it: gone after STALE seconds)."""
        kept = sorted(self.directory.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-KEEP]:
            old.unlink(missing_ok=True)
        now = time.time()
        for unfinished in self.directory.glob("*.tmp"):
            if now - unfinished.stat().st_mtime > STALE:
                unfinished.unlink(missing_ok=True)


def _detach() -> None:
    """A process of its own: no terminal, no pipe of the parent's held open (a reader waiting
    for the end of mockpost's output must not wait for this one)."""
    os.setsid()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)  # not the server's handlers: it stops when told
    signal.set_wakeup_fd(-1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, 1024)


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
