"""With `--seed`, the seed of each call's dynamic values.

It comes from the run's seed, the call (method, path, query string, body) and how many times
that same call came before: not from which other calls came first. Two runs with the same seed
and the same calls, in any interleaving, answer each call with the same values.
"""

from __future__ import annotations

from hashlib import blake2b

from mockpost.calls.call import Call

MAX_DISTINCT_CALLS = 1_000_000  # past this many, the counts start again (16 bytes per call)


class CallSeeds:
    """The seed for each call, counting the repeats of each distinct call."""

    def __init__(self, seed: int, max_calls: int = MAX_DISTINCT_CALLS) -> None:
        self._run = str(seed).encode("ascii")
        self._max_calls = max_calls
        self._repeats: dict[bytes, int] = {}

    def of(self, call: Call) -> int:
        which = blake2b(digest_size=16, person=b"mockpost-call")
        for part in (call.method, call.path, call.query_string):
            which.update(part.encode("utf-8", "surrogateescape"))
            which.update(b"\0")
        which.update(call.body)
        key = which.digest()
        repeats = self._repeats.get(key, 0)
        if repeats == 0 and len(self._repeats) >= self._max_calls:
            self._repeats.clear()
        self._repeats[key] = repeats + 1
        seed = blake2b(digest_size=8, person=b"mockpost-seed")
        seed.update(self._run + b"\0" + key + repeats.to_bytes(8, "big"))
        return int.from_bytes(seed.digest(), "big")

    def clear(self) -> None:
        """Count from zero again (a reset)."""
        self._repeats.clear()
