"""`mockpost serve COLLECTION -- COMMAND`: a command run against the mock, once it listens.

The command gets the mock's URL in `MOCKPOST_URL`; when it ends, mockpost stops and exits with
its exit code (128 + N when a signal N ended it, as a shell says). If mockpost is stopped
first (SIGINT, SIGTERM), the command is sent SIGTERM, then SIGKILL if it lingers.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence

URL_VARIABLE = "MOCKPOST_URL"
GRACE_SECONDS = 5.0  # what a command gets to end after SIGTERM
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
            process = await asyncio.create_subprocess_exec(*self.argv, env=environment)
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

    def _cannot(self, code: int, why: str) -> None:
        self.code = code
        self.say(f"cannot run {self.argv[0]!r}: {why}")


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
