"""`mockpost.serving()`: a mock in-process, with `with` (a thread) and `async with` (this loop)."""

from __future__ import annotations

import gc
import json
import shutil
import sys
import threading
import time
from pathlib import Path

import aiohttp
import pytest

import mockpost
from mockpost.errors import LoadError, MockpostError
from mockpost.runtime.patch import SettingsError
from tests.conftest import EXAMPLE, collection, environment, example, http_get, item


def test_a_mock_answers_at_its_url_and_keeps_its_calls() -> None:
    with mockpost.serving(EXAMPLE) as mock:
        assert http_get(mock.url + "/v1/users/1")[0] == 200
        assert http_get(mock.url + "/v1/nothing")[0] == 404
        calls = mock.calls
    assert [(c.method, c.path, c.status) for c in calls] == [
        ("GET", "/v1/users/1", 200),
        ("GET", "/v1/nothing", 404),
    ]
    with pytest.raises(OSError, match="refused"):
        http_get(mock.url + "/v1/users/1")  # stopped on the way out


async def test_a_mock_runs_on_the_callers_event_loop_with_async_with() -> None:
    async with mockpost.serving(EXAMPLE) as mock, aiohttp.ClientSession() as session:
        async with session.get(mock.url + "/v1/users/1") as response:
            assert response.status == 200
        mock.assert_called("GET", "/v1/users/1", times=1, status=200)
        mock.set(server_response=503)
        async with session.get(mock.url + "/v1/users/1") as response:
            assert response.status == 503


def test_assert_called_lists_the_closest_calls_when_it_fails() -> None:
    with mockpost.serving(EXAMPLE) as mock:
        http_get(mock.url + "/v1/users/1")
        http_get(mock.url + "/v1/orders/ord_1001")
        with pytest.raises(AssertionError) as failed:
            mock.assert_called("GET", "/v1/user/1")
    message = str(failed.value)
    assert message.startswith("expected GET /v1/user/1 to be called, but it was not; 2 calls")
    assert message.index("#1 GET /v1/users/1 -> 200") < message.index("#2 GET /v1/orders")


def test_assert_called_checks_times_status_example_and_globs() -> None:
    with mockpost.serving(EXAMPLE) as mock:
        for user in ("1", "2", "1"):
            http_get(mock.url + "/v1/users/" + user + "?full=1")
        assert len(mock.assert_called("GET", "/v1/users/*", times=3)) == 3
        mock.assert_called("GET", "/v1/users/1?full=1", times=2, status=200)
        mock.assert_called("get", "/v1/users/*", example="user")
        with pytest.raises(AssertionError, match="called 1 time, but it was called 2 times"):
            mock.assert_called("GET", "/v1/users/1", times=1)
        with pytest.raises(AssertionError, match="answered 404"):
            mock.assert_called("GET", "/v1/users/1", status=404)


def test_assert_not_called_lists_the_calls_that_were_made() -> None:
    with mockpost.serving(EXAMPLE) as mock:
        mock.assert_not_called("DELETE", "/v1/users/1")
        http_get(mock.url + "/v1/users/1")
        with pytest.raises(AssertionError) as failed:
            mock.assert_not_called("GET", "/v1/users/*")
    assert "called 1 time:\n  #1 GET /v1/users/1 -> 200" in str(failed.value)


def test_assert_all_matched_lists_unmatched_calls_with_why() -> None:
    with mockpost.serving(EXAMPLE) as mock:
        http_get(mock.url + "/v1/users/1")
        mock.assert_all_matched()
        http_get(mock.url + "/v1/nothing/here")
        with pytest.raises(AssertionError) as failed:
            mock.assert_all_matched()
    message = str(failed.value)
    assert message.startswith("1 call matched no example:\n  #2 GET /v1/nothing/here -> 404")
    assert "closest: GET /v1/users" in message


def test_set_changes_settings_for_the_next_call_and_reset_undoes_it() -> None:
    with mockpost.serving(EXAMPLE) as mock:
        settings = mock.set(server_response={"code": 502, "body": "bad gateway"}, delay="3g")
        assert (settings["delay"], settings["server_response"]["code"]) == (100, 502)
        assert http_get(mock.url + "/v1/users/1") == (502, b"bad gateway")
        with pytest.raises(SettingsError, match="delay"):
            mock.set(delay=-1)
        assert mock.settings["delay"] == 100  # nothing changed
        mock.reset()
        assert mock.calls == []
        assert http_get(mock.url + "/v1/users/1")[0] == 200


def test_set_environment_switches_it(tmp_path: Path) -> None:
    api, env = tmp_path / "api.json", tmp_path / "env.json"
    data = collection(item("a", example("a", "x/a", body="{{who}}")), variables={"who": "coll"})
    api.write_text(json.dumps(data))
    env.write_text(json.dumps(environment({"who": "env"})))
    with mockpost.serving(api) as mock:
        assert http_get(mock.url + "/a") == (200, b"coll")
        mock.set(environment=env)
        assert http_get(mock.url + "/a") == (200, b"env")
        mock.set(environment=None)
        assert http_get(mock.url + "/a") == (200, b"coll")


def test_reload_serves_the_saved_file_and_a_broken_one_raises(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps(collection(item("a", example("a", "x/a", body="one")))))
    with mockpost.serving(path) as mock:
        assert http_get(mock.url + "/a") == (200, b"one")
        path.write_text(json.dumps(collection(item("a", example("a", "x/a", body="two")))))
        assert mock.reload() == 2
        assert http_get(mock.url + "/a") == (200, b"two")
        path.write_text("{")
        with pytest.raises(LoadError, match="is not valid JSON"):
            mock.reload()
        assert http_get(mock.url + "/a") == (200, b"two")


def test_two_mocks_in_one_process_leave_its_collector_and_switch_interval_alone(
    tmp_path: Path,
) -> None:
    """The library runs in someone else's process: starting, serving, reloading (two at
    once) and stopping change neither the garbage collector nor the switch interval."""
    path = tmp_path / "api.json"
    path.write_text(json.dumps(collection(item("a", example("a", "x/a", body="one")))))
    state = (gc.isenabled(), gc.get_threshold(), sys.getswitchinterval())
    frozen = gc.get_freeze_count()  # falls when a frozen object is freed; never grows here
    with mockpost.serving(path) as first, mockpost.serving(path) as second:
        assert http_get(first.url + "/a") == (200, b"one")
        for _ in range(5):
            first.reload()
            second.reload()
        reloads = [threading.Thread(target=mock.reload) for mock in (first, second) * 3]
        for thread in reloads:
            thread.start()
        for thread in reloads:
            thread.join()
        assert http_get(second.url + "/a") == (200, b"one")
        assert (gc.isenabled(), gc.get_threshold()) == state[:2]
    assert (gc.isenabled(), gc.get_threshold(), sys.getswitchinterval()) == state
    assert gc.get_freeze_count() <= frozen


def test_options_are_those_of_serve(tmp_path: Path) -> None:
    with mockpost.serving(EXAMPLE, api_key="k", seed=3) as mock:
        assert http_get(mock.url + "/v1/users/1")[0] == 401
        assert http_get(mock.url + "/v1/users/1", {"x-api-key": "k"})[0] == 200


def test_a_file_that_cannot_be_served_raises_on_entering(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"), mockpost.serving(tmp_path / "no.json"):
        pass
    with pytest.raises(MockpostError, match="server_response"):
        mockpost.serving(EXAMPLE, server_response=200)


def test_two_mocks_run_side_by_side() -> None:
    with mockpost.serving(EXAMPLE) as one, mockpost.serving(EXAMPLE) as two:
        assert one.url != two.url
        http_get(one.url + "/v1/users/1")
        assert (len(one.calls), len(two.calls)) == (1, 0)


def test_a_watched_mock_reloads_when_its_file_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    shutil.copy(EXAMPLE, path)
    with mockpost.serving(path, watch=True) as mock:
        data = json.loads(path.read_text())
        data["item"] = data["item"][:1]
        path.write_text(json.dumps(data))
        for _ in range(100):
            if http_get(mock.url + "/v1/health")[0] == 404:
                break
            time.sleep(0.1)  # the watcher looks at the file 4 times a second
        assert http_get(mock.url + "/v1/health")[0] == 404


def test_faults_are_options_and_settings_of_a_mock() -> None:
    with mockpost.serving(EXAMPLE, faults={"error_rate": "100:503"}) as mock:
        assert http_get(mock.url + "/v1/users/1")[0] == 503
        mock.set(faults={"error_rate": None, "rate_limit": "1/m"})
        assert [http_get(mock.url + "/v1/users/1")[0] for _ in range(2)] == [200, 429]
        assert mock.calls[-1].injected == "rate limit 1/m"
