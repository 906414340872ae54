"""Recording under load: new answers that come together share one write of the file and one
rebuild of what is served, and every one of them is saved; the file is written safely."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import random
import stat
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockpost.lifecycle.reload import Reloader
from mockpost.matching.index import build_index
from mockpost.postman.reader import load_collection
from mockpost.record.file import RecordFile
from mockpost.runtime.runtime import Runtime
from mockpost.web.app import create_app
from mockpost.web.fallthrough import FallThrough
from mockpost.web.proxy import Forwarder
from mockpost.whole import write_whole
from tests.conftest import collection, example, item
from tests.target import running_target

CALLS = 120


async def test_parallel_new_calls_are_all_recorded_with_few_writes_and_rebuilds(
    tmp_path: Path, aiohttp_client: Any
) -> None:
    served = tmp_path / "served.json"
    examples = [example(f"e{i}", f"x/known/{i}") for i in range(2000)]
    served.write_text(json.dumps(collection(item("Known", *examples))))
    out = tmp_path / "recorded.json"
    runtime = Runtime(build_index(load_collection(served), None))
    reloader = Reloader(runtime, served, None)
    with running_target(tmp_path) as target:
        forwarder = Forwarder(target.url)
        record = RecordFile.open(out, forwarder.origin)
        reloader.recorded = lambda: copy.deepcopy(record.recording.items)
        writes: list[int] = []
        saved = record.pending

        def counted() -> Callable[[], None]:
            writes.append(1)
            return saved()

        record.pending = counted  # type: ignore[method-assign]
        fallthrough = FallThrough(forwarder, record, reloader.reload)
        client = await aiohttp_client(
            create_app(runtime, reloader=reloader, fallthrough=fallthrough)
        )
        letters = random.Random(0)
        names = ["".join(letters.choices(string.ascii_lowercase, k=12)) for _ in range(CALLS)]
        # far apart: no call is answered by another's example (ID or distance step)
        answers = await asyncio.gather(*(client.get(f"/api/users/{name}") for name in names))
        assert [a.status for a in answers] == [200] * CALLS
        # every one is saved and served from now on, answered by the mock itself
        recorded = json.loads(out.read_text(encoding="utf-8"))
        assert sum(len(i["response"]) for i in recorded["item"]) == CALLS
        again = await client.get(f"/api/users/{names[7]}")
        assert (await again.json())["id"] == names[7]
        calls = (await (await client.get("/__mockpost/calls?limit=1")).json())["calls"]
        assert calls[0]["matched"] is True
    assert len(writes) < CALLS / 4  # written together, not once per call
    assert reloader.version - 1 < CALLS / 4  # rebuilt together too


def test_a_whole_write_never_follows_a_planted_link_and_keeps_the_files_mode(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    path = tmp_path / "out.json"
    path.write_text("{}")
    path.chmod(0o640)
    # where the temporary file used to go, predictably
    (tmp_path / f".out.json.{os.getpid()}.tmp").symlink_to(victim)
    write_whole(path, '{"new": true}')
    assert victim.read_text() == "precious"
    assert json.loads(path.read_text()) == {"new": True}
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".out.json.{os.getpid()}.tmp",
        "out.json",
        "victim.txt",
    ]  # no temporary file left behind


async def test_a_recorded_answer_is_served_without_loading_the_collection_again(
    tmp_path: Path, aiohttp_client: Any
) -> None:
    served = tmp_path / "served.json"
    served.write_text(json.dumps(collection(item("Known", example("e", "x/known", body="v1")))))
    runtime = Runtime(build_index(load_collection(served), None))
    reloader = Reloader(runtime, served, None)
    runtime.swap(index=reloader.load())
    with running_target(tmp_path) as target:
        forwarder = Forwarder(target.url)
        record = RecordFile.open(tmp_path / "recorded.json", forwarder.origin)
        reloader.recorded = lambda: copy.deepcopy(record.recording.items)
        fallthrough = FallThrough(forwarder, record, reloader.grow)
        client = await aiohttp_client(
            create_app(runtime, reloader=reloader, fallthrough=fallthrough)
        )
        # saved, not reloaded (no watcher): a recording grows what is served from the last load
        served.write_text(json.dumps(collection(item("Known", example("e", "x/known", body="v2")))))
        assert (await client.get("/api/users/abcdefghijkl")).status == 200
        assert await (await client.get("/known")).text() == "v1"
        recorded = runtime.state.index.examples[-1]
        assert recorded.example.request_name == "GET /api/users/abcdefghijkl"
        assert recorded.example.folders == ("Recorded",)
        assert recorded.example.position == 1
        again = await client.get("/api/users/abcdefghijkl")
        assert (await again.json())["id"] == "abcdefghijkl"
        # a reload loads the files, and still serves what was recorded
        assert (await client.post("/__mockpost/reload")).status == 200
        assert await (await client.get("/known")).text() == "v2"
        assert runtime.state.index.examples[-1].id == recorded.id  # the same example, the same id
