"""Watching the collection and environment files: a save triggers a reload.

Polling (a `stat` of each file four times a second) rather than a platform watcher: it sees
every editor's way of saving (in place, rename over, several chunks), costs nothing while
nothing changes, and needs no dependency. A change is acted on once the file has stopped
changing for one poll, so a save written in several chunks is read once, whole.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

EVERY = 0.25  # seconds between two looks

Stamp = tuple[int, int, int] | None  # mtime_ns, size, inode; None: the file is not there


def stamp(path: Path) -> Stamp:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino)


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
    while True:
        await sleep(every)
        now = [stamp(p) for p in paths]
        if now != seen:
            seen, pending = now, True  # still being written, maybe: look once more
        elif pending:
            pending = False
            await changed()
