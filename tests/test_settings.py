"""Settings changed while mockpost runs: GET and PATCH /__mockpost/settings, POST reset."""

from __future__ import annotations

from typing import Any

import pytest

from mockpost.faults.latency import fixed
from mockpost.runtime.settings import Settings
from tests.conftest import Serve, collection, example, item, runtime_of

USERS = collection(
    item(
        "user",
        example("one", "x/users/1", body="one"),
        example("v2", "x/users/1", body="v2", request_headers=[{"key": "X-V", "value": "2"}]),
    ),
    item("near", example("near", "x/userz/1", body="near")),
)


async def settings_of(client: Any) -> Any:
    response = await client.get("/__mockpost/settings")
    assert response.status == 200
    return await response.json()


async def change(client: Any, patch: Any) -> Any:
    return await client.patch("/__mockpost/settings", json=patch)


async def test_settings_in_force_are_listed(serve: Serve) -> None:
    client = await serve(USERS, settings=Settings(delay=fixed(100)))
    assert await settings_of(client) == {
        "delay": 100,
        "server_response": None,
        "match_body": False,
        "match_headers": [],
        "fuzzy": True,
        "faults": {
            "error_rate": None,
            "rate_limit": None,
            "rate_limit_by": "global",
            "connection": [],
        },
        "private": False,
        "read_only": False,
        "environment": None,
    }


async def test_a_server_response_set_at_runtime_answers_the_next_call(serve: Serve) -> None:
    client = await serve(USERS)
    assert await (await client.get("/users/1")).read() == b"one"  # kept for repeats
    patch = {"server_response": {"code": 503, "body": "down", "headers": {"Retry-After": "5"}}}
    response = await change(client, patch)
    assert response.status == 200
    assert (await response.json())["server_response"]["code"] == 503
    answer = await client.get("/users/1")
    assert (answer.status, await answer.read()) == (503, b"down")
    assert answer.headers["Retry-After"] == "5"
    await change(client, {"server_response": None})
    assert await (await client.get("/users/1")).read() == b"one"


async def test_matching_and_delay_settings_apply_to_the_next_call(serve: Serve) -> None:
    client = await serve(USERS)
    await change(client, {"match_headers": ["X-V"], "delay": "3g", "fuzzy": False})
    assert runtime_of(client).state.settings.delay == fixed(100)
    assert await (await client.get("/users/1", headers={"X-V": "2"})).read() == b"v2"
    assert (await client.get("/usrs/1")).status == 404  # no document-distance step
    await change(client, {"delay": None, "fuzzy": True, "match_headers": []})
    assert (await settings_of(client))["delay"] == 0
    assert await (await client.get("/users/1", headers={"X-V": "2"})).read() == b"one"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"delay": "soon"}, "delay"),
        ({"delay": 200_000}, "delay"),
        ({"delay": True}, "delay"),
        ({"server_response": {"code": 404}}, "server_response"),
        ({"server_response": {"code": 500, "body": 5}}, "server_response"),
        ({"server_response": "500"}, "server_response"),
        ({"match_body": "yes"}, "match_body"),
        ({"match_headers": "x-v"}, "match_headers"),
        ({"fuzzy": 1}, "fuzzy"),
        ({"colour": "red"}, "colour"),
        ([1], "settings"),
    ],
)
async def test_a_bad_value_is_a_400_naming_the_field_and_nothing_changes(
    serve: Serve, patch: Any, field: str
) -> None:
    client = await serve(USERS)
    before = await settings_of(client)
    response = await change(client, {"fuzzy": False, **patch} if isinstance(patch, dict) else patch)
    assert response.status == 400
    assert (await response.json())["error"]["field"] == field
    assert await settings_of(client) == before


async def test_reset_goes_back_to_the_start_up_settings_and_clears_the_log(serve: Serve) -> None:
    client = await serve(USERS, settings=Settings(delay=fixed(5)))
    await client.get("/users/1")
    await change(client, {"delay": 300, "match_body": True})
    response = await client.post("/__mockpost/reset")
    assert response.status == 200
    assert (await response.json())["delay"] == 5
    assert (await settings_of(client))["match_body"] is False
    assert len(runtime_of(client).store) == 0


async def test_settings_need_the_key_in_private_mode(serve: Serve) -> None:
    client = await serve(USERS, settings=Settings(api_key="k"))
    assert (await change(client, {"delay": 0})).status == 401
    assert (await client.get("/__mockpost/settings")).status == 401
    response = await client.patch(
        "/__mockpost/settings", json={"delay": 10}, headers={"x-api-key": "k"}
    )
    assert response.status == 200
    assert "k" not in str(await response.json()).replace("match", "")


async def test_a_reset_seeded_mock_answers_as_it_did_from_the_start(serve: Serve) -> None:
    data = collection(item("id", example("id", "x/id", body='{"id": "{{$guid}}"}')))
    client = await serve(data, settings=Settings(seed=3))
    first = [await (await client.get("/id")).read() for _ in range(2)]
    assert first[0] != first[1]
    await client.post("/__mockpost/reset")
    assert [await (await client.get("/id")).read() for _ in range(2)] == first
