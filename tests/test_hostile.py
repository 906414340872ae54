"""Hostile calls: whatever bytes a client (or a web page) sends, mockpost answers, records the
call, and never crashes, injects a header or leaks its key."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from mockpost.calls.store import CallStore
from mockpost.faults.latency import fixed
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.web.app import create_app
from mockpost.web.delays import Delays
from tests.conftest import NOT_FOUND, Serve, collection, example, item, runtime_of
from tests.raw import raw_call

USERS = collection(
    item(
        "user",
        example(
            "one",
            "x/users/{{userId}}",
            body='{"id": "{{userId}}"}',
            headers=[{"key": "X-User-Id", "value": "{{userId}}"}],
        ),
    ),
    item(
        "echo",
        example(
            "echo",
            "x/echo",
            method="POST",
            body='{"a": "{{$body \'a\'}}"}',
            headers=[
                {"key": "X-Body", "value": "{{$body 'a'}}"},
                {"key": "X-Query", "value": "{{$queryParams 'q'}}"},
            ],
        ),
    ),
)


async def start(aiohttp_server: Any, make_index: Any, data: dict[str, Any], **kw: Any) -> Any:
    runtime = Runtime(make_index(data), Settings(**kw))
    return await aiohttp_server(create_app(runtime)), runtime


@pytest.mark.parametrize(
    ("request_line", "path"),
    [
        pytest.param(b"GET /x/a%0d%0aB HTTP/1.1", "/x/a\r\nB", id="encoded-crlf-in-the-path"),
        pytest.param(b"OPTIONS * HTTP/1.1", "*", id="options-asterisk"),
        pytest.param(b"GET /a%1b[2J%00 HTTP/1.1", "/a\x1b[2J\x00", id="escape-and-nul"),
    ],
)
async def test_strange_targets_reach_mockpost_and_are_answered_and_logged(
    aiohttp_server: Any, make_index: Any, request_line: bytes, path: str
) -> None:
    server, runtime = await start(aiohttp_server, make_index, USERS)
    answer = await raw_call(server.port, request_line + b"\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 404")
    assert answer.endswith(NOT_FOUND)
    record = runtime.store.last()
    assert record is not None
    assert (record.status, record.path) == (404, path)


async def test_a_connect_call_is_refused_by_aiohttp_and_the_mock_goes_on(
    aiohttp_server: Any, make_index: Any
) -> None:
    """An aiohttp application never sees `CONNECT host:port` (aio-libs/aiohttp#3257): its
    router answers 404 before any handler. The mock stays up and answers the next call."""
    server, runtime = await start(aiohttp_server, make_index, USERS)
    answer = await raw_call(server.port, b"CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 404")
    answer = await raw_call(server.port, b"GET /users/7 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")
    record = runtime.store.last()
    assert record is not None
    assert record.path == "/users/7"


@pytest.mark.parametrize(
    ("target", "header", "sent"),
    [
        ("/users/a%0d%0aSet-Cookie:%20x=1", "X-User-Id", "a\r\nSet-Cookie: x=1"),
        ("/users/a%00b", "X-User-Id", "a\x00b"),
        ("/echo?q=a%0d%0aX-Evil:%201", "X-Query", "a\r\nX-Evil: 1"),
    ],
)
async def test_a_value_with_control_characters_never_injects_a_header(
    serve: Serve, target: str, header: str, sent: str
) -> None:
    client = await serve(USERS)
    method = "POST" if target.startswith("/echo") else "GET"
    response = await client.request(method, target, json={"a": "ok"})
    assert response.status == 200
    assert "Set-Cookie" not in response.headers
    assert "X-Evil" not in response.headers
    value = response.headers[header]
    assert not any(char in value for char in "\r\n\x00")
    assert value.startswith("a%")
    record = runtime_of(client).store.last()
    assert record is not None
    assert f"header {header}: control characters percent-encoded" in record.notes
    assert record.status == 200


async def test_a_body_value_with_a_newline_goes_into_a_header_safely(serve: Serve) -> None:
    client = await serve(USERS)
    response = await client.post("/echo", json={"a": "line1\nline2"})
    assert response.status == 200
    assert response.headers["X-Body"] == "line1%0Aline2"
    assert json.loads(await response.read()) == {"a": "line1\nline2"}  # JSON-escaped in the body


@pytest.mark.parametrize("depth", [900, 2000, 100_000])
async def test_a_deeply_nested_json_body_is_a_body_that_does_not_parse(
    serve: Serve, depth: int
) -> None:
    ex = example(
        "json",
        "x/deep",
        method="POST",
        body="got {{$body 'a'}}",
        request_body={"mode": "raw", "raw": '{"a": 1}'},
    )
    client = await serve(collection(item("r", ex)))
    deep = b"[" * depth + b"]" * depth
    json_type = {"Content-Type": "application/json"}
    response = await client.post("/deep", data=deep, headers=json_type)
    assert (response.status, await response.read()) == (200, b"got ")
    matched = await client.post(
        "/deep", data=deep, headers={**json_type, "x-mock-match-request-body": "true"}
    )
    assert matched.status == 404


async def test_an_api_key_that_is_not_utf8_gets_401_not_500(
    aiohttp_server: Any, make_index: Any
) -> None:
    server, runtime = await start(aiohttp_server, make_index, USERS, api_key="s3cret")
    answer = await raw_call(
        server.port, b"GET /users/1 HTTP/1.1\r\nHost: x\r\nx-api-key: \xff\xfe\x80\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 401")
    record = runtime.store.last()
    assert record is not None
    assert record.status == 401


async def test_private_mode_never_shows_the_key_or_an_options_examples_data_without_it(
    serve: Serve,
) -> None:
    data = collection(
        item("r", example("opts", "x/a", method="OPTIONS", body="secret options data"))
    )
    client = await serve(data, settings=Settings(api_key="s3cret"))
    preflight = {"Origin": "https://evil.test", "Access-Control-Request-Method": "GET"}
    response = await client.options("/a", headers=preflight)
    assert response.status == 204
    assert await response.read() == b""
    with_key = await client.options("/a", headers={**preflight, "x-api-key": "s3cret"})
    assert await with_key.read() == b"secret options data"
    for record in runtime_of(client).store:
        assert "s3cret" not in repr(record)
        assert (b"x-api-key", b"[redacted]") in record.request_headers or record.status == 204


async def test_head_is_answered_as_the_get_without_a_body(serve: Serve) -> None:
    client = await serve(USERS)
    response = await client.head("/users/7")
    assert response.status == 200
    assert await response.read() == b""
    assert response.headers["X-User-Id"] == "7"
    record = runtime_of(client).store.last()
    assert record is not None
    assert record.example is not None
    assert "no HEAD example: answered as a GET, without its body" in record.notes


async def test_a_delay_of_0_means_no_delay_for_that_call(
    make_index: Any, aiohttp_client: Any
) -> None:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    runtime = Runtime(make_index(USERS), Settings(delay=fixed(500)))
    client = await aiohttp_client(create_app(runtime, delays=Delays(sleep)))
    assert (await client.get("/users/1", headers={"x-mock-response-delay": "0"})).status == 200
    assert waited == []
    await client.get("/users/1")
    assert waited == [0.5]


async def test_a_stop_cuts_every_delay_short_and_each_call_is_answered_and_logged(
    make_index: Any, aiohttp_client: Any
) -> None:
    all_waiting = asyncio.Event()
    waiting = 0

    async def sleep(seconds: float) -> None:
        nonlocal waiting
        waiting += 1
        if waiting == 3:
            all_waiting.set()
        await asyncio.sleep(seconds)  # 180 s: only a stop ends it

    delays = Delays(sleep)
    store = CallStore()
    runtime = Runtime(make_index(USERS), Settings(delay=fixed(180_000)), store)
    client = await aiohttp_client(create_app(runtime, delays=delays))
    calls = [asyncio.ensure_future(client.get(f"/users/{i}")) for i in range(3)]
    await asyncio.wait_for(all_waiting.wait(), 10)
    delays.stop()
    answers = await asyncio.gather(*calls)
    assert [r.status for r in answers] == [200, 200, 200]
    assert len(store) == 3
    assert all("the delay was cut short: mockpost is stopping" in r.notes for r in store)
