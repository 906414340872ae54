"""`mockpost serve COLLECTION -- COMMAND`: a command run against the mock, once it listens.

The command gets the mock's URL in `MOCKPOST_URL`; when it ends, mockpost stops and exits with
its exit code (128 + N when a signal N ended it, as a shell says). If mockpost is stopped
first (SIGINT, SIGTERM), the command is sent SIGTERM, then SIGKILL if it lingers.

The command runs in a session of its own, and what it started ends with it: once it has ended
(or mockpost stops), every process left in its process group (`sleep 300 &` in a script, a
dev server a test runner forgot) is sent SIGTERM, then SIGKILL if it lingers.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Sequence

URL_VARIABLE = "MOCKPOST_URL"
GRACE_SECONDS = 5.0  # what a command gets to end after SIGTERM
POLL_SECONDS = 0.05  # how often a process group is looked at while it ends
OWN_GROUP = hasattr(os, "killpg")  # POSIX: the command leads a process group
NOT_FOUND = 127  # the shell's codes for a command that cannot be run
NOT_RUNNABLE = 126


def exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


class Command:
    """One run of a command; `code` is its exit code once it has ended."""

    def __init__(self, argv: Sequence[str], say: Callable[[str], None]) -> None:
        self.argv = list(argv)
        self.say = say  # a one-line error, when the command cannot be run
        self.code: int | None = None

    async def run(self, url: str) -> None:
        environment = dict(os.environ, **{URL_VARIABLE: url})
        try:
            process = await asyncio.create_subprocess_exec(
                *self.argv, env=environment, start_new_session=OWN_GROUP
            )
        except FileNotFoundError:
            self._cannot(NOT_FOUND, "no such command")
            return
        except OSError as exc:
            self._cannot(NOT_RUNNABLE, exc.strerror or str(exc))
            return
        try:
            self.code = exit_code(await process.wait())
        except asyncio.CancelledError:  # mockpost is stopping: so does the command
            self.code = exit_code(await _end(process))
            raise
        finally:
            if OWN_GROUP:
                await _end_group(process.pid)

    def _cannot(self, code: int, why: str) -> None:
        self.code = code
        self.say(f"cannot run {self.argv[0]!r}: {why}")


def _group_left(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


async def _end_group(group: int) -> None:
    """End what is left of the command's process group: SIGTERM, then SIGKILL."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sent)
        except (ProcessLookupError, PermissionError):
            return
        for _ in range(round(GRACE_SECONDS / POLL_SECONDS)):
            if not _group_left(group):
                return
            await asyncio.sleep(POLL_SECONDS)


async def _end(process: asyncio.subprocess.Process) -> int:
    if process.returncode is not None:
        return process.returncode
    try:
        process.terminate()
        return await asyncio.wait_for(process.wait(), GRACE_SECONDS)
    except ProcessLookupError:
        return await process.wait()
    except TimeoutError:
        process.kill()
        return await process.wait()
