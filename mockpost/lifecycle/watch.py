"""Watching the collection and environment files: a save triggers a reload.

Polling (a `stat` of each file four times a second; of each file of a v3 collection's tree,
in a thread, and less often when the tree is large) rather than a platform watcher: it sees
every editor's way of saving (in place, rename over, several chunks), costs nothing while
nothing changes, and needs no dependency. A change is acted on once the file has stopped
changing for one poll, so a save written in several chunks is read once, whole.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import stat
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

EVERY = 0.25  # seconds between two looks

Stamp = tuple[int, int, int] | None  # mtime_ns, size, inode; None: the file is not there


def stamp(path: Path) -> Stamp:
    """A file's mtime, size and inode; for a directory (a v3 collection), one stamp of every
    file in its tree, so that an added, removed, renamed or edited file changes it."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    if stat.S_ISDIR(found.st_mode):
        return _tree(path)
    return (found.st_mtime_ns, found.st_size, found.st_ino)


MAX_FILES = 200_000  # files of a tree stamped; past that, changes beyond them go unseen


def _tree(root: Path) -> Stamp:
    digest = hashlib.blake2b(digest_size=8)
    count = 0
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") or d == ".resources")
        for name in sorted(files):
            try:
                found = os.stat(os.path.join(here, name))
            except OSError:
                continue
            line = f"{here}/{name}\0{found.st_mtime_ns}\0{found.st_size}\0"
            digest.update(line.encode("utf-8", "surrogateescape"))
            count += 1
            if count >= MAX_FILES:
                return (int.from_bytes(digest.digest(), "big"), count, -1)
    return (int.from_bytes(digest.digest(), "big"), count, -1)


async def watch(
    paths: Sequence[Path],
    changed: Callable[[], Awaitable[object]],
    every: float = EVERY,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    loaded: Sequence[Stamp] | None = None,
) -> None:
    """Call `changed` after any of the files changed and then stayed the same for a look.

    `loaded`: the files' stamps when they were read, so that a save made before the first
    look counts as a change too.
    """
    seen = list(loaded) if loaded is not None else [stamp(p) for p in paths]
    pending = False
    trees = any(p.is_dir() for p in paths)
    wait = every
    while True:
        await sleep(wait)
        if trees:  # a walk of a tree, away from the calls; at most a tenth of the time
            started = time.monotonic()
            now = await asyncio.to_thread(lambda: [stamp(p) for p in paths])
            wait = max(every, 10 * (time.monotonic() - started))
        else:
            now = [stamp(p) for p in paths]
        if now != seen:
            seen, pending = now, True  # still being written, maybe: look once more
        elif pending:
            pending = False
            await changed()
