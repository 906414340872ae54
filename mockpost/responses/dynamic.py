"""Postman's dynamic variables (`{{$guid}}`, `{{$randomFirstName}}`...): a fresh value each time.

All 118 names of the postman-collection SDK (`generators`). Faker is imported only when a
variable that needs it is first used (or warmed up at start-up).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from mockpost.responses.generators import DYNAMIC_VARIABLES
from mockpost.responses.source import FIXED_NOW, Source

__all__ = ["DYNAMIC_VARIABLES", "FIXED_NOW", "DynamicValues", "needs_faker"]


def needs_faker(names: Iterable[str]) -> bool:
    """Whether any of these variables is made by Faker."""
    return any(getattr(DYNAMIC_VARIABLES.get(name), "needs_faker", False) for name in names)


class DynamicValues:
    """Fresh values for dynamic variables, from one `Source`."""

    def __init__(
        self,
        seed: int | None = None,
        locale: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.source = Source(seed, locale, clock)

    def warm_up(self, names: Iterable[str]) -> None:
        """Load Faker now if any of these variables needs it, not on the first call."""
        if needs_faker(names):
            self.source.faker  # noqa: B018

    def reseed(self, seed: int) -> None:
        """Values from here on come from `seed` (a seeded runtime calls it for each call)."""
        self.source.reseed(seed)

    def __call__(self, name: str) -> str:
        generator = DYNAMIC_VARIABLES.get(name)
        if generator is None:
            return "{{$" + name + "}}"
        return generator(self.source)
