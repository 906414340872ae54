"""What passes through the proxy stays out of what mockpost writes and shows: secrets in
headers and query strings, the user:password of the target, the mock's own key."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from mockpost.record.file import RecordFile
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.web.app import create_app
from mockpost.web.fallthrough import FallThrough
from mockpost.web.proxy import Forwarder
from tests.conftest import collection, example, item
from tests.target import running_target

EMPTY = collection(item("Nothing", example("none", "x/nothing/here")))


async def proxying(
    make_index: Any,
    aiohttp_client: Any,
    target: str,
    out: Path | None,
    settings: Settings | None = None,
    keep_query: tuple[str, ...] = (),
) -> Any:
    forwarder = Forwarder(target)
    record = RecordFile.open(out, forwarder.origin, keep_query=keep_query) if out else None
    runtime = Runtime(make_index(EMPTY), settings)
    app = create_app(runtime, fallthrough=FallThrough(forwarder, record))
    return await aiohttp_client(app)


async def everything_shown(client: Any) -> str:
    """The call log in full, as the API and the page show it."""
    listed = await (await client.get("/__mockpost/calls?limit=100")).json()
    shown = [json.dumps(listed)]
    for call in listed["calls"]:
        one = await client.get(f"/__mockpost/calls/{call['id']}", headers={"x-api-key": "k"})
        shown.append(await one.text())
    shown.append(await (await client.get("/__mockpost/calls.har")).text())
    return "\n".join(shown)


async def test_secret_headers_and_query_parameters_never_reach_the_recording(
    make_index: Any, aiohttp_client: Any, tmp_path: Path
) -> None:
    out = tmp_path / "recorded.json"
    secrets = {
        "Api-Key": "hdr-1-secret",
        "Ocp-Apim-Subscription-Key": "hdr-2-secret",
        "X-Functions-Key": "hdr-3-secret",
        "X-Session-Id": "hdr-4-secret",
        "X-Signature": "hdr-5-secret",
        "X-Auth-User": "hdr-6-secret",
        "X-Account-Password": "hdr-7-secret",
    }
    query = "access_token=q-1-secret&api_key=q-2-secret&key=q-3-secret&sig=q-4-secret&page=2"
    with running_target(tmp_path) as target:
        client = await proxying(make_index, aiohttp_client, target.url, out, keep_query=("sig",))
        response = await client.get(f"/api/count?{query}", headers=secrets)
        assert response.status == 200
    text = out.read_text(encoding="utf-8")
    for n in range(1, 8):
        assert f"hdr-{n}-secret" not in text
    for n in range(1, 4):
        assert f"q-{n}-secret" not in text
    assert "q-4-secret" in text  # kept by name (--keep-query sig)
    saved = json.loads(text)["item"][0]["response"][0]["originalRequest"]["url"]
    assert "access_token={{access_token}}" in saved["raw"]
    assert "page=2" in saved["raw"]
    assert {q["key"]: q["value"] for q in saved["query"]}["api_key"] == "{{api_key}}"


async def test_a_redacted_set_cookie_is_left_out_not_served_empty(
    make_index: Any, aiohttp_client: Any, tmp_path: Path
) -> None:
    out = tmp_path / "recorded.json"
    with running_target(tmp_path) as target:
        client = await proxying(make_index, aiohttp_client, target.url, out)
        response = await client.get("/api/secret")
        assert "s3cr3t-session" in response.headers["Set-Cookie"]  # the caller gets it
    saved = json.loads(out.read_text(encoding="utf-8"))["item"][0]["response"][0]
    assert "set-cookie" not in {h["key"].lower() for h in saved["header"]}
    assert "s3cr3t" not in json.dumps(saved)


async def test_the_targets_user_and_password_are_sent_as_basic_auth_and_never_shown(
    make_index: Any, aiohttp_client: Any, tmp_path: Path
) -> None:
    out = tmp_path / "recorded.json"
    with running_target(tmp_path) as target:
        url = target.url.replace("://", "://ada:pa%24%24word@") + "/api"
        client = await proxying(make_index, aiohttp_client, url, out)
        response = await client.get("/whoami")
        said = await response.json()
        assert (said["user"], said["password_length"]) == ("ada", 8)  # pa$$word, decoded
        shown = await everything_shown(client)
    for place in (shown, out.read_text(encoding="utf-8")):
        assert "pa%24%24word" not in place
        assert "pa$$word" not in place
        assert "YWRhOnBhJCR3b3Jk" not in place


async def test_the_private_mocks_own_key_is_never_sent_on(
    make_index: Any, aiohttp_client: Any, tmp_path: Path
) -> None:
    with running_target(tmp_path) as target:
        client = await proxying(
            make_index, aiohttp_client, target.url, None, Settings(api_key="sesame")
        )
        response = await client.get("/api/whoami", headers={"x-api-key": "sesame"})
        assert response.status == 200
        assert (await response.json())["x_api_key_sent"] is False


@pytest.fixture
async def broken_target() -> AsyncIterator[str]:
    """An API that answers with a control character in a header."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nX-Odd: a\x01b\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.close()
    await server.wait_closed()


async def test_an_answer_with_a_control_character_in_a_header_is_a_502_with_a_reason(
    make_index: Any, aiohttp_client: Any, broken_target: str
) -> None:
    client = await proxying(make_index, aiohttp_client, broken_target, None)
    response = await client.get("/anything")
    assert response.status == 502
    message = (await response.json())["error"]["message"]
    assert "X-Odd" in message or "header" in message


def test_an_authentication_challenge_is_no_secret() -> None:
    from mockpost.record.redact import is_secret

    assert not is_secret("WWW-Authenticate")
    assert is_secret("X-Auth-Token")
    assert is_secret("Ocp-Apim-Subscription-Key")
