"""The benchmark's collections are what it says: every path it calls is answered with 200."""

from __future__ import annotations

import sys
from pathlib import Path

from mockpost.calls.call import Call
from mockpost.matching.index import build_index
from mockpost.matching.match import match
from mockpost.postman.reader import parse_collection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate


def test_benchmark_paths_are_each_answered_by_their_own_200_example() -> None:
    document, paths = generate(40)
    index = build_index(parse_collection(document))
    assert len(index.examples) == 80
    assert sum("{{itemId}}" in e.path.text for e in index.examples) == 40
    for i, path in enumerate(paths):
        decision = match(index, Call("GET", path))
        assert decision.example is not None
        assert (decision.example.name, decision.example.code) == (f"OK {i}", 200)
