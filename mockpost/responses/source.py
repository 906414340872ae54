"""Where dynamic values come from: one random stream, Faker (made on first use) and a clock.

With a seed, every value is reproducible from run to run, the clock included: `$timestamp`
and the dates are counted from a fixed instant (2025-01-01T00:00:00Z) instead of now. The
runtime starts the stream again for each call (`reseed`), from the seed and the call, so that
a call's values do not depend on the calls that came before it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faker import Faker

FIXED_NOW = 1_735_689_600.0  # 2025-01-01T00:00:00Z: the clock of a seeded run
DEFAULT_LOCALE = "en_US"
DAY = 86_400.0


class Source:
    """Where values come from: one random stream, Faker (made on first use) and a clock."""

    def __init__(
        self,
        seed: int | None = None,
        locale: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.seeded = seed is not None
        self.clock = clock
        self.rng = random.Random(seed)
        self.locale = locale or DEFAULT_LOCALE
        self._faker: Faker | None = None
        self._latin: tuple[str, ...] = ()
        self._faker_seed: int | None = None

    def reseed(self, seed: int) -> None:
        """Start the random stream (and Faker's) again from `seed`."""
        self.rng.seed(seed)
        self._faker_seed = seed  # for a Faker made later in this call, too
        if self._faker is not None:
            self._faker.seed_instance(seed)

    @property
    def faker(self) -> Faker:
        if self._faker is None:
            from faker import Faker
            from faker.providers.lorem.la import Provider as Latin

            fake = Faker(self.locale)
            seed = self._faker_seed
            fake.seed_instance(self.rng.getrandbits(64) if seed is None else seed)
            self._latin = tuple(Latin.word_list)
            self._faker = fake
        return self._faker

    @property
    def latin(self) -> list[str]:
        """Lorem ipsum words, as faker.js uses."""
        self.faker  # noqa: B018 - loads the word list with Faker
        return list(self._latin)

    def now(self) -> float:
        return FIXED_NOW if self.seeded else self.clock()

    def pick(self, choices: tuple[str, ...]) -> str:
        return self.rng.choice(choices)

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(count))
