"""How long an answer waits: a fixed delay, or one drawn from a distribution for each call.

`300`, `2g` (300 ms) and `3g` (100 ms): fixed; `100-500`: uniform between the two;
`lognormal:MEDIAN:SIGMA`: a log-normal with that median (ms) and shape (the spread of real
network latency: most calls near the median, a long tail of slow ones). Every delay is at
most 180,000 ms.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from mockpost.matching.directives import MAX_DELAY_MS, MAX_DIGITS, parse_delay

PRESETS = {"2g": 300, "3g": 100}  # Postman's network presets, in ms
MAX_SIGMA = 4.0
FORMS = "ms, 2g, 3g, MIN-MAX or lognormal:MEDIAN:SIGMA"


class LatencyError(ValueError):
    """A delay that makes no sense; the message says why."""


@dataclass(frozen=True, slots=True)
class Latency:
    kind: str  # "fixed", "uniform" or "lognormal"
    first: float  # fixed: the ms; uniform: the least; lognormal: the median
    second: float = 0.0  # uniform: the most; lognormal: sigma

    @property
    def fixed_ms(self) -> int | None:
        """The delay when it is the same for every call, else None."""
        return int(self.first) if self.kind == "fixed" else None

    def sample(self, rng: random.Random) -> int:
        """A delay for one call, in ms."""
        if self.kind == "fixed":
            return int(self.first)
        if self.kind == "uniform":
            return round(rng.uniform(self.first, self.second))
        drawn = rng.lognormvariate(math.log(self.first), self.second)
        return min(MAX_DELAY_MS, round(drawn))

    def __str__(self) -> str:
        if self.kind == "fixed":
            return str(int(self.first))
        if self.kind == "uniform":
            return f"{int(self.first)}-{int(self.second)}"
        return f"lognormal:{int(self.first)}:{self.second:g}"

    def describe(self) -> str:
        """For the banner: `300 ms`, `100-500 ms (uniform)`, `lognormal, median 200 ms...`."""
        if self.kind == "fixed":
            return f"{int(self.first):,} ms"
        if self.kind == "uniform":
            return f"{int(self.first):,}-{int(self.second):,} ms (uniform)"
        return f"log-normal, median {int(self.first):,} ms, sigma {self.second:g}"

    def json(self) -> int | str:
        """As the settings API shows it: a number of ms when fixed, else its text."""
        fixed = self.fixed_ms
        return fixed if fixed is not None else str(self)


NO_DELAY = Latency("fixed", 0)


def fixed(ms: int) -> Latency:
    return Latency("fixed", ms)


def _ms(text: str) -> int:
    """A number of ms as `x-mock-response-delay` takes it (raises LatencyError saying why)."""
    found = parse_delay(text)
    if found is not None:
        return found
    if text.isascii() and text.isdigit():
        said = text if len(text) <= MAX_DIGITS else "that many"
        raise LatencyError(f"{said} ms is over the most, {MAX_DELAY_MS} ms")
    raise LatencyError("not a number of ms")


def parse_latency(text: str) -> Latency:
    """A delay in any of its forms (raises LatencyError saying which forms there are)."""
    value = text.strip().lower()
    if value in PRESETS:
        return fixed(PRESETS[value])
    try:
        if value.startswith("lognormal:"):
            parts = value.split(":")
            if len(parts) != 3:
                raise LatencyError("expected lognormal:MEDIAN:SIGMA, as in lognormal:200:0.5")
            median = _ms(parts[1])
            try:
                sigma = float(parts[2])
            except ValueError:
                raise LatencyError(f"sigma {parts[2]!r} is not a number") from None
            if median < 1 or not 0 < sigma <= MAX_SIGMA:
                raise LatencyError(
                    f"expected a median of 1 ms or more and 0 < sigma <= {MAX_SIGMA:g}"
                )
            return Latency("lognormal", median, sigma)
        if "-" in value:
            low, _, high = value.partition("-")
            least, most = _ms(low.strip()), _ms(high.strip())
            if least > most:
                raise LatencyError(f"{least} is more than {most}")
            return Latency("uniform", least, most) if least < most else fixed(least)
        return fixed(_ms(value))
    except LatencyError as error:
        raise LatencyError(f"{text!r}: {error} (a delay is {FORMS})") from None
