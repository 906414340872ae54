"""The errors mockpost raises; the CLI turns each into one line and exit code 1."""

from __future__ import annotations


class MockpostError(Exception):
    """Base of every error mockpost reports to a person at the terminal."""


class LoadError(MockpostError):
    """A collection or environment file cannot be read or served.

    The message names the file, what is wrong and where (a JSON path).
    """

    def __init__(self, source: str, problem: str, where: str = "") -> None:
        self.source = source
        self.problem = problem
        self.where = where
        location = f" (at {where})" if where else ""
        super().__init__(f"{source}: {problem}{location}")
