"""Every real collection of ../shared/corpus loads, and every saved example can be served.

For each collection (with its environment, from the corpus README's table):
* it loads, and every example is either served or dropped with a reason;
* replay by id: method, path and `x-mock-response-id` give that example's status and, where
  the body has no `{{…}}`, exactly its body;
* replay by path: a plain call (method, path, query, body) is answered by an example saved on
  the same request, or by an identical copy of one (same name, code and body). Never the
  not-found error. Every other answer is listed in EXPLAINED with the reason, and the test
  proves it is Postman's algorithm answering: the winner scores at least as high as the
  example itself for that very call, and wins the tie.

Skipped, saying why, when ../shared/corpus is not beside the repository.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from mockpost.calls.call import Call
from mockpost.matching.compile import IndexedExample
from mockpost.matching.directives import read_directives
from mockpost.matching.evaluate import PreparedCall, Scored, evaluate, pick
from mockpost.matching.index import Index, build_index
from mockpost.matching.options import MatchOptions
from mockpost.matching.report import replay_call
from mockpost.postman.reader import load_collection, load_environment
from mockpost.runtime.runtime import Runtime
from mockpost.web.app import create_app
from tests.conftest import runtime_of

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COLLECTIONS = sorted((CORPUS / "collections").glob("*.postman_collection.json"))
BODYLESS_CODES = frozenset({204, 304})

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not COLLECTIONS, reason=f"no corpus at {CORPUS}: these tests need ../shared/corpus"
    ),
]

# (collection, request replayed, request that answers) -> why Postman's algorithm picks it.
SAME_CALL = "same method, path, query and body; the requests differ only in headers or auth"
EXPLAINED: dict[tuple[str, str, str], str] = {
    (
        "paypal-partner-apis-v2.0.0",
        "Get seller access token (post-onboarding)",
        "Generate access_token",
    ): SAME_CALL + " (POST /v1/oauth2/token, grant_type form)",
    (
        "paypal-partner-apis-v2.0.0",
        "Expanded Payments",
        "Branded payments",
    ): "two of its examples were saved with the same order body as Branded payments",
    (
        "paypal-partner-apis-v2.0.0",
        "Order card with token",
        "Order card with token",
    ): "two requests of that name in two folders, with different examples of the same call",
}


def environment_table() -> dict[str, str]:
    """collection stem -> environment stem, from the corpus README."""
    table: dict[str, str] = {}
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for env, coll in re.findall(r"^\| ([\w.-]+) \| ([\w.-]+) \|$", readme, re.MULTILINE):
        table[coll] = env
    return table


def stem(path: Path) -> str:
    return path.name.split(".postman_")[0]


def count_examples(data: Any) -> int:
    """Examples in the raw file, counted without mockpost's loader."""
    if isinstance(data, dict):
        own = len(data.get("response") or []) if "request" in data else 0
        return own + sum(count_examples(i) for i in data.get("item") or [])
    return 0


def request_of(example: IndexedExample) -> str:
    return example.example.where.rsplit(".response", 1)[0]


@dataclass
class Replay:
    name: str
    index: Index
    in_file: int
    by_id_ok: int = 0
    by_id_failures: list[str] = field(default_factory=list)
    by_path_same_request: int = 0
    by_path_identical_copy: int = 0
    not_found: list[str] = field(default_factory=list)
    misses: list[tuple[IndexedExample, IndexedExample, Call]] = field(default_factory=list)

    @property
    def served(self) -> int:
        return len(self.index.examples)

    @property
    def by_path_ok(self) -> int:
        return self.by_path_same_request + self.by_path_identical_copy


async def send(client: TestClient[Any, Any], call: Call) -> tuple[int, bytes, str | None]:
    url = URL.build(path=call.path, query=list(call.query) or None)
    async with client.request(
        call.method, url, headers=dict(call.headers), data=call.body or None
    ) as response:
        body = await response.read()
    record = runtime_of(client).store.last()
    answered = record.example if record is not None else None
    return response.status, body, answered.id if answered is not None else None


def score_example(example: IndexedExample, call: Call) -> Scored | None:
    """How one example scores for a call, or None when a step drops it."""
    prepared = PreparedCall(call, MatchOptions(), read_directives(call.headers))
    found = evaluate(example, prepared)
    return found if isinstance(found, Scored) else None


def saved(example: IndexedExample) -> tuple[str, int, str]:
    return example.name, example.code, example.example.body


def corpus_index(path: Path, environments: dict[str, str]) -> Index:
    """A corpus collection's index, with its environment from the corpus README's table."""
    env_stem = environments.get(stem(path))
    environment = (
        load_environment(CORPUS / "environments" / f"{env_stem}.postman_environment.json")
        if env_stem
        else None
    )
    return build_index(load_collection(path), environment)


def load(path: Path, environments: dict[str, str]) -> Replay:
    index = corpus_index(path, environments)
    return Replay(stem(path), index, count_examples(json.loads(path.read_bytes())))


async def replay(result: Replay) -> Replay:
    index = result.index
    by_id = {e.id: e for e in index.examples}
    copies: dict[str, set[tuple[str, int, str]]] = {}
    for example in index.examples:
        copies.setdefault(request_of(example), set()).add(saved(example))
    async with TestClient(TestServer(create_app(Runtime(index)))) as client:
        for example in index.examples:
            status, body, _ = await send(
                client, replay_call(example, {"x-mock-response-id": example.id})
            )
            text = example.example.body
            expected = b"" if example.code in BODYLESS_CODES else text.encode()
            if status != example.code or ("{{" not in text and body != expected):
                result.by_id_failures.append(f"{example.example.where}: got {status}")
            else:
                result.by_id_ok += 1

            call = replay_call(example)
            status, body, answered_id = await send(client, call)
            answered = by_id.get(answered_id) if answered_id else None
            if answered is None:
                result.not_found.append(f"{example.method} {call.path} ({example.example.where})")
            elif request_of(answered) == request_of(example):
                result.by_path_same_request += 1
            elif saved(answered) in copies[request_of(example)]:
                result.by_path_identical_copy += 1
            else:
                result.misses.append((example, answered, call))
    return result


@pytest.fixture(scope="module")
def replays() -> dict[str, Replay]:
    """Every collection replayed once through the real aiohttp app."""
    environments = environment_table()

    async def run_all() -> dict[str, Replay]:
        return {r.name: await replay(r) for r in loaded}

    loaded = [load(path, environments) for path in COLLECTIONS]

    return asyncio.run(run_all())


NAMES = [stem(path) for path in COLLECTIONS]


def test_corpus_has_the_31_collections_it_promises() -> None:
    assert len(COLLECTIONS) == 31


@pytest.mark.parametrize("name", NAMES)
def test_collection_loads_and_drops_nothing_silently(replays: dict[str, Replay], name: str) -> None:
    result = replays[name]
    dropped = result.index.collection.dropped
    assert result.served + len(dropped) == result.in_file
    assert all(d.reason for d in dropped)


@pytest.mark.parametrize("name", NAMES)
def test_every_example_replays_by_id(replays: dict[str, Replay], name: str) -> None:
    result = replays[name]
    assert result.by_id_failures == []
    assert result.by_id_ok == result.served


@pytest.mark.parametrize("name", NAMES)
def test_replay_by_path_never_gets_not_found(replays: dict[str, Replay], name: str) -> None:
    assert replays[name].not_found == []


@pytest.mark.parametrize("name", NAMES)
def test_replay_by_path_misses_are_listed_and_are_the_algorithms_answer(
    replays: dict[str, Replay], name: str
) -> None:
    result = replays[name]
    seen = set()
    for example, answered, call in result.misses:
        key = (name, example.example.request_name, answered.example.request_name)
        assert key in EXPLAINED, f"unexplained miss: {key} for {example.example.where}"
        seen.add(key)
        own = score_example(example, call)
        winner = score_example(answered, call)
        assert own is not None
        assert winner is not None
        in_order = sorted([own, winner], key=lambda scored: scored.example.position)
        assert winner.score > own.score or (
            winner.score == own.score and pick(in_order) is winner
        ), f"{example.example.where} lost to {answered.example.where} without reason"
    listed = {key for key in EXPLAINED if key[0] == name}
    assert listed == seen, f"EXPLAINED lists pairs that no longer miss: {listed - seen}"


def test_corpus_figures(replays: dict[str, Replay], capsys: pytest.CaptureFixture[str]) -> None:
    served = sum(r.served for r in replays.values())
    by_id = sum(r.by_id_ok for r in replays.values())
    same_request = sum(r.by_path_same_request for r in replays.values())
    by_path = sum(r.by_path_ok for r in replays.values())
    with capsys.disabled():
        print(
            f"\ncorpus: {len(replays)} collections, {served} examples served, "
            f"{sum(len(r.index.collection.dropped) for r in replays.values())} dropped; "
            f"by id {by_id}/{served}; by path {by_path}/{served} "
            f"({same_request} by the same request, {by_path - same_request} by an identical "
            f"copy), {served - by_path} explained misses"
        )
    assert served == 1918
    assert by_id == served
    assert by_path / served >= 0.98
