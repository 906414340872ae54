"""Reload while serving: POST /__mockpost/reload and SIGHUP load the files again; a broken save
leaves the last good version serving."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import call_api, collection, example, http_get, item, running_cli


def shop(body: str) -> dict[str, Any]:
    return collection(item("r", example("e", "x/thing", body=body)))


def test_reload_by_the_api_serves_the_saved_file_and_a_broken_save_keeps_the_last_good(
    write_json: Callable[..., Path],
) -> None:
    path = write_json(shop("first"))
    with running_cli(str(path), "--quiet", "--no-watch") as cli:  # reloads by the API alone
        assert http_get(cli.url + "/thing") == (200, b"first")
        write_json(shop("second"))
        status, answer = call_api("POST", cli.url + "/__mockpost/reload")
        assert (status, answer["version"]) == (200, 2)
        assert http_get(cli.url + "/thing") == (200, b"second")
        path.write_text('{"info": {"name": "x"}, "item": [', encoding="utf-8")  # half-written
        status, answer = call_api("POST", cli.url + "/__mockpost/reload")
        assert status == 422
        assert "is not valid JSON" in answer["error"]["message"]
        assert "version 2 keeps serving" in answer["error"]["message"]
        assert http_get(cli.url + "/thing") == (200, b"second")
        health = json.loads(http_get(cli.url + "/__mockpost/health")[1])
        assert health["version"] == 2
        assert health["reloaded_at"].endswith("Z")


def test_sighup_reloads_and_says_so_in_one_line(write_json: Callable[..., Path]) -> None:
    path = write_json(shop("first"))
    with running_cli(str(path), "--no-watch") as cli:  # reloads by the signal alone
        write_json(shop("after hangup"))
        cli.process.send_signal(signal.SIGHUP)
        for _ in range(200):  # the reload runs in the background of the calls
            if http_get(cli.url + "/thing")[1] == b"after hangup":
                break
        assert http_get(cli.url + "/thing") == (200, b"after hangup")
        path.write_text("", encoding="utf-8")
        cli.process.send_signal(signal.SIGHUP)
        for _ in range(200):
            if "not reloaded" in "".join(cli._rest):
                break
            http_get(cli.url + "/__mockpost/health")
        output = cli.stop()
    assert cli.process.returncode == 0
    assert "reloaded (by SIGHUP): version 2, 1 example" in output
    assert re.search(r"not reloaded \(by SIGHUP\): \S+: the file is empty; version 2 keeps", output)


async def test_a_save_in_several_chunks_is_read_once_whole(tmp_path: Path) -> None:
    from mockpost.lifecycle.watch import watch

    file = tmp_path / "api.json"
    file.write_text("old")
    steps = [
        lambda: file.write_text('{"half": '),  # a save, begun
        lambda: file.write_text('{"half": 1, '),  # still being written
        lambda: file.write_text('{"half": 1, "done": 2}'),  # finished
        lambda: None,  # unchanged for a look: now it is read
        lambda: None,
        lambda: None,
    ]
    seen: list[str] = []

    async def sleep(seconds: float) -> None:
        if not steps:
            raise asyncio.CancelledError
        steps.pop(0)()

    async def changed() -> None:
        seen.append(file.read_text())

    with pytest.raises(asyncio.CancelledError):
        await watch([file], changed, sleep=sleep)
    assert seen == ['{"half": 1, "done": 2}']


def test_saving_the_collection_reloads_it_and_no_watch_does_not(
    write_json: Callable[..., Path],
) -> None:
    path = write_json(shop("first"))
    with running_cli(str(path)) as cli:
        write_json(shop("saved"))
        for _ in range(2000):  # the watcher looks four times a second
            if http_get(cli.url + "/thing")[1] == b"saved":
                break
        assert http_get(cli.url + "/thing") == (200, b"saved")
        output = cli.stop()
    assert "reloaded (by a save): version 2" in output
    with running_cli(str(path), "--no-watch") as cli:
        write_json(shop("ignored"))
        for _ in range(300):  # well over a second of looks
            assert http_get(cli.url + "/thing") == (200, b"saved")
        cli.process.send_signal(signal.SIGHUP)  # an explicit reload still works
        for _ in range(2000):
            if http_get(cli.url + "/thing")[1] == b"ignored":
                break
        assert http_get(cli.url + "/thing") == (200, b"ignored")


def test_switching_the_environment_rebuilds_what_answers(
    write_json: Callable[..., Path],
) -> None:
    from tests.conftest import environment

    path = write_json(collection(item("r", example("e", "x/hello", body="{{greeting}}"))))
    english = write_json(environment({"greeting": "hello"}), "en.json")
    french = write_json(environment({"greeting": "bonjour"}), "fr.json")
    with running_cli(str(path), "-e", str(english), "--no-watch") as cli:
        settings_url = cli.url + "/__mockpost/settings"
        assert http_get(cli.url + "/hello") == (200, b"hello")
        status, answer = call_api("PATCH", settings_url, {"environment": str(french)})
        assert (status, answer["environment"]) == (200, str(french))
        assert http_get(cli.url + "/hello") == (200, b"bonjour")
        status, answer = call_api(
            "PATCH", settings_url, {"environment": str(path.parent / "none.json")}
        )
        assert (status, answer["error"]["field"]) == (400, "environment")
        assert "no such file" in answer["error"]["message"]
        assert http_get(cli.url + "/hello") == (200, b"bonjour")  # nothing changed
        status, answer = call_api("PATCH", settings_url, {"environment": None, "delay": 0})
        assert (status, answer["environment"]) == (200, None)
        assert http_get(cli.url + "/hello") == (200, b"{{greeting}}")


async def test_each_reload_is_an_event_for_the_call_log_page(
    write_json: Callable[..., Path], aiohttp_client: Any
) -> None:
    from mockpost.lifecycle.load import load
    from mockpost.lifecycle.reload import Reloader
    from mockpost.runtime.runtime import Runtime
    from mockpost.web.app import create_app

    path = write_json(shop("first"))
    runtime = Runtime(load(path)[2])
    client = await aiohttp_client(create_app(runtime, reloader=Reloader(runtime, path, None)))
    events = await client.get("/__mockpost/events")
    await events.content.readline()  # the stream's opening comment
    assert (await client.post("/__mockpost/reload")).status == 200
    path.write_text("[", encoding="utf-8")
    assert (await client.post("/__mockpost/reload")).status == 422
    said = b""
    async with asyncio.timeout(10):
        while said.count(b"event: reload") < 2:
            said += await events.content.readany()
    first, second = (
        json.loads(line.removeprefix(b"data: "))
        for line in said.splitlines()
        if line.startswith(b"data: ")
    )
    assert (first["ok"], first["version"], first["examples"]) == (True, 2, 1)
    assert (second["ok"], second["version"]) == (False, 2)
    assert "is not valid JSON" in second["error"]
    events.close()


def test_mockpost_says_in_the_terminal_what_the_api_changed_and_what_it_wrote_at_exit(
    write_json: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_json(shop("first"))
    har, log = tmp_path / "calls.har", tmp_path / "calls.jsonl"
    args = (str(path), "--no-watch", "--quiet", "--har", str(har), "--log-file", str(log))
    with running_cli(*args) as cli:
        http_get(cli.url + "/thing")
        assert call_api("POST", cli.url + "/__mockpost/reload")[0] == 200
        assert call_api("PATCH", cli.url + "/__mockpost/settings", {"delay": 5})[0] == 200
        assert call_api("POST", cli.url + "/__mockpost/reset")[0] == 200
        output = " ".join(cli.stop().split())
    assert "reloaded (by the API): version 2, 1 example" in output
    assert "settings changed (by the API): delay" in output
    assert "reset (by the API): start-up settings and environment, call log emptied" in output
    assert f"wrote 0 calls as HAR to {har}" in output  # the reset emptied the log
    assert f"the call log of 1 call is in {log}" in output


def test_a_port_in_use_suggests_a_free_one(write_json: Callable[..., Path]) -> None:
    import socket

    from click.testing import CliRunner

    from mockpost.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve", str(write_json(shop("x"))), "--port", str(port)]
        )
    assert result.exit_code == 1
    assert "--port 0" in result.output


def test_builds_that_overlap_put_the_switch_interval_back_when_the_last_ends() -> None:
    from mockpost.lifecycle.reload import BUILD_SWITCH_INTERVAL, calls_first

    before = sys.getswitchinterval()
    first, second = calls_first(), calls_first()
    first.__enter__()
    second.__enter__()
    assert sys.getswitchinterval() == min(before, BUILD_SWITCH_INTERVAL)
    first.__exit__(None, None, None)  # the first to start ends first
    assert sys.getswitchinterval() == min(before, BUILD_SWITCH_INTERVAL)
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before
