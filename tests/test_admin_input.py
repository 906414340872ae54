"""Whatever mockpost's API is sent, it answers 400 naming the field, never 500, and a server
response set at runtime is held to the rules of a saved example's headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockpost.calls.views import CallFilter, FilterError, glob
from mockpost.lifecycle.reload import Reloader
from mockpost.matching.index import build_index
from mockpost.postman.reader import load_collection
from mockpost.runtime.runtime import Runtime
from mockpost.web.app import create_app
from tests.conftest import Serve, collection, environment, example, item, runtime_of
from tests.raw import connect, read_until

SHOP = collection(item("User", example("User 1", "{{base}}/v1/users/1", body='{"id": 1}')))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("calls/" + "9" * 5000, "id"),
        ("calls/²", "id"),
        ("calls/%D9%A3", "id"),  # an Arabic-Indic three
        ("calls/%00", "id"),
        ("calls/-1", "id"),
        ("calls?after=²", "after"),
        ("calls?after=" + "9" * 5000, "after"),
        ("calls?limit=%D9%A3", "limit"),
        ("calls?status=" + "9" * 5000, "status"),
        ("calls.har?after=²", "after"),
        ("calls.har?limit=" + "1" * 30, "limit"),
    ],
)
async def test_ids_and_filters_that_are_no_numbers_are_a_400_naming_the_field(
    serve: Serve, path: str, field: str
) -> None:
    client = await serve(SHOP)
    response = await client.get("/__mockpost/" + path)
    assert response.status == 400
    assert (await response.json())["error"]["field"] == field


async def test_settings_nested_100000_deep_are_a_400(serve: Serve) -> None:
    client = await serve(SHOP)
    deep = "[" * 100_000 + "]" * 100_000
    for body in (deep, '{"faults": ' + deep + "}"):
        response = await client.patch(
            "/__mockpost/settings", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status == 400
        assert (await response.json())["error"]["field"] == "settings"
    assert (await client.get("/v1/users/1")).status == 200


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({"X-Evil\r\nSet-Cookie": "a=1"}, "is not a header name"),
        ({"X Space": "1"}, "is not a header name"),
        ({"X-Evil": "a\r\nSet-Cookie: a=1"}, "control character"),
        ({"X-Evil": "a\x00b"}, "control character"),
    ],
)
async def test_a_server_response_header_that_could_split_the_answer_is_refused(
    serve: Serve, headers: dict[str, str], said: str
) -> None:
    client = await serve(SHOP)
    response = await client.patch(
        "/__mockpost/settings", json={"server_response": {"code": 503, "headers": headers}}
    )
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["field"] == "server_response"
    assert said in error["message"]
    assert runtime_of(client).state.settings.server_response is None


async def test_a_server_response_never_frames_the_answer_itself(serve: Serve) -> None:
    client = await serve(SHOP)
    framing = {"Content-Length": "1000", "Transfer-Encoding": "chunked", "Connection": "close"}
    response = await client.patch(
        "/__mockpost/settings",
        json={"server_response": {"code": 503, "body": "down", "headers": {**framing, "X-A": "1"}}},
    )
    assert response.status == 200
    assert (await response.json())["server_response"]["headers"] == {
        "X-A": "1",
        "Content-Type": "text/plain; charset=utf-8",
    }
    # two calls on one connection: both whole, the second not swallowed by a wrong length
    async with connect(client.port) as connection:
        connection.writer.write(b"GET /v1/users/1 HTTP/1.1\r\nHost: x\r\n\r\n" * 2)
        answer = await read_until(connection.reader, b"down", 2)
    assert answer.count(b"HTTP/1.1 503") == 2
    assert answer.count(b"\r\n\r\ndown") == 2
    assert b"Content-Length: 1000" not in answer


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"error": "down"}', "application/json"),
        ("  [1]", "application/json"),
        ("<!DOCTYPE html><p>down", "text/html; charset=utf-8"),
        ("<error>down</error>", "application/xml"),
        ("down", "text/plain; charset=utf-8"),
    ],
)
async def test_a_server_response_body_has_its_type_stated_or_taken_from_its_first_bytes(
    serve: Serve, body: str, content_type: str
) -> None:
    client = await serve(SHOP)
    await client.patch(
        "/__mockpost/settings", json={"server_response": {"code": 500, "body": body}}
    )
    response = await client.get("/v1/users/1")
    assert (response.status, response.headers["Content-Type"]) == (500, content_type)
    await client.patch(
        "/__mockpost/settings",
        json={"server_response": {"code": 500, "body": body, "headers": {"content-type": "a/b"}}},
    )
    response = await client.get("/v1/users/1")
    assert response.headers["Content-Type"] == "a/b"


@pytest.mark.parametrize("names", [["a\x00"], ["X Space"], ["x\r\ny"], [""]])
async def test_match_headers_that_are_no_header_names_are_refused(
    serve: Serve, names: list[str]
) -> None:
    client = await serve(SHOP)
    response = await client.patch("/__mockpost/settings", json={"match_headers": names})
    assert response.status == 400
    assert (await response.json())["error"]["field"] == "match_headers"


@pytest.fixture
async def reloadable(tmp_path: Path, aiohttp_client: Any) -> Any:
    """A mock started from files in tmp_path/project, with an environment beside them."""
    project = tmp_path / "project"
    project.mkdir()
    path = project / "shop.json"
    path.write_text(json.dumps(SHOP))
    env = project / "local.json"
    env.write_text(json.dumps(environment({"base": "x"})))
    (project / "other.json").write_text(json.dumps(environment({"base": "y"})))
    (tmp_path / "secret.json").write_text(json.dumps(environment({"base": "z"})))
    runtime = Runtime(build_index(load_collection(path), None))
    reloader = Reloader(runtime, path, env)
    return await aiohttp_client(create_app(runtime, reloader=reloader))


@pytest.mark.parametrize(
    "named",
    ["/etc/passwd", "../secret.json", "/etc/hostname", "a\x00b", "sub/../../secret.json", " "],
)
async def test_the_environment_is_read_only_from_the_projects_folder(
    reloadable: Any, named: str, tmp_path: Path
) -> None:
    if named == "/etc/hostname":
        named = str(tmp_path / "secret.json")  # an absolute path outside the folder
    response = await reloadable.patch("/__mockpost/settings", json={"environment": named})
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["field"] == "environment"
    assert "root:" not in error["message"]


async def test_an_environment_beside_the_collection_is_switched_to_and_reset_restores_the_first(
    reloadable: Any, tmp_path: Path
) -> None:
    for named in ("other.json", str(tmp_path / "project" / "other.json")):
        response = await reloadable.patch("/__mockpost/settings", json={"environment": named})
        assert response.status == 200, await response.text()
        assert (await response.json())["environment"].endswith("other.json")
    response = await reloadable.post("/__mockpost/reset")
    assert response.status == 200
    assert (await response.json())["environment"].endswith("local.json")


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/v1/*", "/v1/users/1", True),
        ("*users*", "/v1/users/1", True),
        ("/v1/*/2", "/v1/users/1", False),
        ("a*a", "a", False),
        ("/v1/users/1", "/v1/users/1", True),
        ("*a" * 30 + "*b", "a" * 5000, False),  # a regular expression backtracks for ages
    ],
)
def test_a_path_filter_matches_in_one_pass(pattern: str, path: str, matches: bool) -> None:
    assert glob(pattern).fullmatch(path) is matches


def test_a_filter_value_is_a_filter_error_naming_the_field() -> None:
    with pytest.raises(FilterError) as raised:
        CallFilter.parse({"after": "٣"})
    assert raised.value.field == "after"
