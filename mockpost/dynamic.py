"""Postman's dynamic variables (`{{$guid}}`, `{{$randomInt}}`...): a fresh value each time.

Each generator takes a `random.Random`, so that a seeded source gives reproducible values.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

DynamicGenerator = Callable[[random.Random], str]


def _uuid4(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _timestamp(rng: random.Random) -> str:
    return str(int(time.time()))


def _iso_timestamp(rng: random.Random) -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _random_int(rng: random.Random) -> str:
    return str(rng.randint(0, 1000))


def _random_boolean(rng: random.Random) -> str:
    return "true" if rng.random() < 0.5 else "false"


DYNAMIC_VARIABLES: dict[str, DynamicGenerator] = {
    "guid": _uuid4,
    "randomUUID": _uuid4,
    "timestamp": _timestamp,
    "isoTimestamp": _iso_timestamp,
    "randomInt": _random_int,
    "randomBoolean": _random_boolean,
}


class DynamicValues:
    """Fresh values for dynamic variables, from one random source."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)

    def __call__(self, name: str) -> str:
        generator = DYNAMIC_VARIABLES.get(name)
        if generator is None:
            return "{{$" + name + "}}"
        return generator(self._rng)
