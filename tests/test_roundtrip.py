"""Round trip on real collections: serve a corpus collection, record every example's call
through the recording proxy pointed at it, serve the recording, replay the same calls: the
same status and body as recorded.

In-process (the real aiohttp apps on real ports, one event loop); skipped, saying why, when
../shared/corpus is not beside the repository.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from yarl import URL

from mockpost.calls.call import Call
from mockpost.matching.index import build_index
from mockpost.matching.report import replay_call
from mockpost.postman.reader import parse_collection
from mockpost.record.collection import Recording
from mockpost.record.exchange import Exchange
from mockpost.runtime.runtime import Runtime
from mockpost.web.app import create_app
from mockpost.web.proxy import Forwarder
from mockpost.web.recorder import create_record_app
from tests.test_corpus import COLLECTIONS, CORPUS, corpus_index, environment_table, stem

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not COLLECTIONS, reason=f"no corpus at {CORPUS}: these tests need ../shared/corpus"
    ),
]


@dataclass
class RoundTrip:
    name: str
    calls: int = 0
    same: int = 0
    failed: list[str] = field(default_factory=list)


async def send(session: aiohttp.ClientSession, base: URL, call: Call) -> tuple[int, bytes]:
    url = base.with_path(call.path).with_query(list(call.query) or None)
    async with session.request(
        call.method, url, headers=dict(call.headers), data=call.body or None
    ) as response:
        return response.status, await response.read()


async def round_trip(name: str, index: Any) -> RoundTrip:
    result = RoundTrip(name)
    calls = [replay_call(example) for example in index.examples]
    recorded: list[tuple[int, bytes]] = []
    async with TestServer(create_app(Runtime(index), admin=False)) as original:
        origin = str(original.make_url("")).rstrip("/")
        recording = Recording(name, origin)

        def save(exchange: Exchange) -> None:
            recording.add(exchange)

        def fail(method: str, path: str, why: str) -> None:
            result.failed.append(f"{method} {path}: {why}")

        proxy_app = create_record_app(Forwarder(origin), save, fail)
        async with TestServer(proxy_app) as proxy, aiohttp.ClientSession() as session:
            for call in calls:
                recorded.append(await send(session, proxy.make_url(""), call))
    served = build_index(parse_collection(json.loads(recording.to_json()), name))
    mock_app = create_app(Runtime(served), admin=False)
    async with TestServer(mock_app) as mock, aiohttp.ClientSession() as session:
        for call, answer in zip(calls, recorded, strict=True):
            result.calls += 1
            replayed = await send(session, mock.make_url(""), call)
            if replayed == answer:
                result.same += 1
            else:
                result.failed.append(
                    f"{call.method} {call.path}: recorded {answer[0]}, replayed {replayed[0]}"
                )
    return result


async def test_recording_a_served_corpus_and_serving_it_answers_the_same(
    capsys: pytest.CaptureFixture[str],
) -> None:
    environments = environment_table()
    results = []
    for path in COLLECTIONS:
        results.append(await round_trip(stem(path), corpus_index(path, environments)))
    calls = sum(r.calls for r in results)
    same = sum(r.same for r in results)
    with capsys.disabled():
        print(f"\nround trip: {same}/{calls} calls replayed with the recorded status and body")
        for r in results:
            if r.same != r.calls:
                print(f"  {r.name}: {r.same}/{r.calls}; first: {r.failed[:2]}")
    assert calls == 1918
    # The calls that differ are POSTs to one path with bodies that got different answers:
    # the recording keeps both, and matching without --match-body answers the first.
    assert same / calls >= 0.99
