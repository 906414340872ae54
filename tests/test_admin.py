"""mockpost's own API under /__mockpost/: the call log as data, HAR, events, routes, health."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from mockpost.calls.call import Call
from mockpost.calls.har import entry
from mockpost.calls.store import CallStore
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.web.admin import STREAMS
from mockpost.web.app import create_app
from mockpost.web.events import QUEUE_BYTES
from tests.conftest import (
    NOT_FOUND,
    Serve,
    arrival,
    call_record,
    collection,
    example,
    http_get,
    item,
    runtime_of,
)
from tests.raw import connect, read_until

SHOP = collection(
    item(
        "Get user",
        example("User 1", "x/v1/users/1", body='{"id": 1}'),
        example("Any user", "x/v1/users/{{id}}", body='{"id": "{{id}}"}'),
    ),
    item("Create", example("Created", "x/v1/users", method="POST", code=201, body="{}")),
    item("Broken", example("Boom", "x/v1/boom", code=500, body="boom")),
    item(
        "Image",
        example(
            "png",
            "x/v1/logo",
            body="\x89PNG",
            headers=[{"key": "Content-Type", "value": "image/png"}],
        ),
    ),
)


async def busy(client: Any) -> None:
    """Six calls: 200, 200 (wildcard), 201 with a body, 404, 500, a query string."""
    await client.get("/v1/users/1")
    await client.get("/v1/users/42")
    await client.post("/v1/users", json={"name": "ada"})
    await client.get("/v1/nowhere")
    await client.get("/v1/boom")
    await client.get("/v1/users/1?expand=orders")


async def api(client: Any, path: str, **kwargs: Any) -> Any:
    response = await client.get("/__mockpost/" + path, **kwargs)
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].startswith("application/json")
    return await response.json()


async def test_health_names_the_collection_and_counts_examples_and_calls(serve: Serve) -> None:
    client = await serve(SHOP)
    await busy(client)
    assert await api(client, "health") == {
        "status": "ok",
        "collection": "Test collection",
        "examples": 5,
        "calls": 6,
        "version": 1,
        "reloaded_at": None,
    }


async def test_calls_are_listed_newest_first_as_summaries(serve: Serve) -> None:
    client = await serve(SHOP)
    await busy(client)
    listed = await api(client, "calls")
    assert listed["total"] == 6
    paths = [(c["method"], c["path"], c["query"], c["status"]) for c in listed["calls"]]
    assert paths[0] == ("GET", "/v1/users/1", "expand=orders", 200)
    assert paths[-1] == ("GET", "/v1/users/1", "", 200)
    first = listed["calls"][-1]
    assert set(first) >= {
        "id",
        "received",
        "method",
        "path",
        "query",
        "status",
        "matched",
        "example",
        "score",
        "duration_ms",
    }
    assert first["example"] == {
        "name": "User 1",
        "id": first["example"]["id"],
        "request": "Get user",
    }
    assert first["received"].endswith("Z")
    assert len(first["received"]) == len("2026-11-29T18:43:32.512Z")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("method=post", [("POST", "/v1/users")]),
        (
            "path=/v1/users/*",
            [("GET", "/v1/users/1"), ("GET", "/v1/users/42"), ("GET", "/v1/users/1")],
        ),
        ("status=404", [("GET", "/v1/nowhere")]),
        ("status=5xx", [("GET", "/v1/boom")]),
        ("status=2xx&method=GET&path=*42", [("GET", "/v1/users/42")]),
        ("matched=false", [("GET", "/v1/nowhere")]),
        ("example=any", [("GET", "/v1/users/42")]),
        ("example=USER", [("GET", "/v1/users/1"), ("GET", "/v1/users/42"), ("GET", "/v1/users/1")]),
        ("q=orders", [("GET", "/v1/users/1")]),
        ("q=created", [("POST", "/v1/users")]),
        ("q=%22ADA%22", [("POST", "/v1/users")]),  # in its body: the search reads bodies too
        ("limit=2", [("GET", "/v1/users/1"), ("GET", "/v1/boom")]),
    ],
)
async def test_calls_can_be_filtered(serve: Serve, query: str, expected: list[Any]) -> None:
    client = await serve(SHOP)
    await busy(client)
    listed = await api(client, "calls?" + query)
    found = [(c["method"], c["path"]) for c in listed["calls"]]
    assert sorted(found) == sorted(expected) if "limit" not in query else found == expected
    if "limit" in query:
        assert listed["total"] == 6


async def test_after_gives_only_newer_calls_for_polling(serve: Serve) -> None:
    client = await serve(SHOP)
    await busy(client)
    newest = (await api(client, "calls"))["calls"][0]["id"]
    assert (await api(client, f"calls?after={newest}"))["calls"] == []
    await client.get("/v1/users/7")
    later = await api(client, f"calls?after={newest}")
    assert [c["path"] for c in later["calls"]] == ["/v1/users/7"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=6xx", "status"),
        ("status=abc", "status"),
        ("matched=maybe", "matched"),
        ("limit=0", "limit"),
        ("after=-1", "after"),
    ],
)
async def test_a_filter_that_makes_no_sense_is_a_400_naming_it(
    serve: Serve, query: str, field: str
) -> None:
    client = await serve(SHOP)
    response = await client.get("/__mockpost/calls?" + query)
    assert response.status == 400
    assert (await response.json())["error"]["field"] == field


async def test_one_call_in_full_with_its_explanation(serve: Serve) -> None:
    client = await serve(SHOP)
    await busy(client)
    listed = (await api(client, "calls"))["calls"]
    created = next(c for c in listed if c["method"] == "POST")
    detail = await api(client, f"calls/{created['id']}")
    assert detail["request"]["body"] == '{"name": "ada"}'
    assert detail["request"]["body_encoding"] == "utf-8"
    assert ["Content-Type", "application/json"] in detail["request"]["headers"]
    assert detail["response"]["body"] == "{}"
    assert detail["status"] == 201
    missed = next(c for c in listed if not c["matched"])
    explained = await api(client, f"calls/{missed['id']}")
    assert explained["response"]["body"] == NOT_FOUND.decode()
    assert explained["explanation"][0] == {
        "method": "GET",
        "path": "/v1/boom",
        "example": "Boom",
        "reason": "path /v1/boom does not match",
    } or explained["explanation"][0]["reason"].startswith("path ")
    assert len(explained["explanation"]) == 3
    response = await client.get("/__mockpost/calls/99999")
    assert response.status == 404
    assert "error" in await response.json()


async def test_a_binary_body_is_given_as_base64(serve: Serve) -> None:
    client = await serve(SHOP)
    await client.post("/v1/users", data=b"\xff\xfe\x00binary")
    [call] = (await api(client, "calls"))["calls"]
    detail = await api(client, f"calls/{call['id']}")
    assert detail["request"]["body_encoding"] == "base64"
    assert base64.b64decode(detail["request"]["body"]) == b"\xff\xfe\x00binary"


async def test_delete_empties_the_call_log(serve: Serve) -> None:
    client = await serve(SHOP)
    await busy(client)
    response = await client.delete("/__mockpost/calls")
    assert response.status == 204
    assert (await api(client, "calls")) == {"total": 0, "calls": []}
    assert (await api(client, "health"))["calls"] == 6  # ids keep growing


async def test_calls_to_the_api_are_not_recorded(serve: Serve) -> None:
    client = await serve(SHOP)
    for path in ("health", "calls", "routes", "calls.har", ""):
        await client.get("/__mockpost/" + path)
    assert len(runtime_of(client).store) == 0


async def test_routes_are_the_routes_command_as_data(serve: Serve) -> None:
    client = await serve(SHOP)
    routes = await api(client, "routes")
    assert [(r["method"], r["path"]) for r in routes][:2] == [
        ("GET", "/v1/users/1"),
        ("GET", "/v1/users/{{id}}"),
    ]
    assert routes[1]["wildcards"] == ["id"]


async def test_an_unknown_api_path_is_a_json_404(serve: Serve) -> None:
    client = await serve(SHOP)
    response = await client.post("/__mockpost/health")
    assert response.status == 404
    assert "mockpost's API" in (await response.json())["error"]["message"]


async def test_the_page_is_served_from_the_package(serve: Serve) -> None:
    client = await serve(SHOP)
    response = await client.get("/__mockpost/")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = await response.text()
    assert "<title>mockpost call log</title>" in page
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing from a CDN
    assert "innerHTML" not in page  # data goes in as text


# Private mode


async def test_the_api_and_page_need_the_key_in_private_mode(serve: Serve) -> None:
    client = await serve(SHOP, settings=Settings(api_key="s3cret"))
    for path in ("health", "calls", "calls.har", "routes", "", "events"):
        assert (await client.get("/__mockpost/" + path)).status == 401
    assert (await client.get("/__mockpost/health", headers={"x-api-key": "s3cret"})).status == 200
    assert (await client.get("/__mockpost/?api_key=s3cret")).status == 200
    assert (await client.get("/__mockpost/calls?api_key=wrong")).status == 401
    await client.get("/v1/users/1", headers={"x-api-key": "s3cret"})
    everything = json.dumps(await api(client, "calls?api_key=s3cret"))
    everything += json.dumps(
        await api(
            client, f"calls/{runtime_of(client).store.last_id}", headers={"x-api-key": "s3cret"}
        )
    )
    everything += json.dumps(await api(client, "calls.har", headers={"x-api-key": "s3cret"}))
    assert "s3cret" not in everything


async def test_no_admin_leaves_every_path_to_the_collection(
    make_index: Any, aiohttp_client: Any
) -> None:
    runtime = Runtime(make_index(SHOP))
    client = await aiohttp_client(create_app(runtime, admin=False))
    response = await client.get("/__mockpost/health")
    assert (response.status, await response.read()) == (404, NOT_FOUND)
    assert len(runtime.store) == 1


# HAR


def har_validator() -> Any:
    schemas = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "har"
    if not schemas.exists():
        pytest.skip(f"no HAR schema at {schemas}: these checks need ../shared")
    import jsonschema
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry()
    for file in schemas.glob("*.json"):
        schema = json.loads(file.read_text())
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    root = json.loads((schemas / "har.json").read_text())
    return jsonschema.Draft6Validator(root, registry=registry)


async def test_calls_har_is_a_valid_har_that_a_har_library_reads(serve: Serve) -> None:
    from haralyzer import HarEntry, HarParser

    client = await serve(SHOP)
    await busy(client)
    await client.get("/v1/logo")
    response = await client.get("/__mockpost/calls.har")
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = await response.json()
    errors = sorted(har_validator().iter_errors(document), key=str)
    assert errors == []
    entries = document["log"]["entries"]
    assert len(entries) == 7
    assert [e["request"]["url"].split("/", 3)[3] for e in entries][:2] == [
        "v1/users/1",
        "v1/users/42",
    ]
    post = entries[2]
    assert post["request"]["postData"] == {
        "mimeType": "application/json",
        "text": '{"name": "ada"}',
    }
    assert post["response"]["content"]["mimeType"] == "application/json"
    assert entries[5]["request"]["queryString"] == [{"name": "expand", "value": "orders"}]
    assert "answered by 'User 1' of 'Get user'" in entries[0]["comment"]
    assert "no matching example" in entries[3]["comment"]
    parsed = HarParser(document)
    read = [HarEntry(e) for e in parsed.har_data["entries"]]
    assert [(e.request.method, e.status) for e in read[:5]] == [
        ("GET", 200),
        ("GET", 200),
        ("POST", 201),
        ("GET", 404),
        ("GET", 500),
    ]
    assert read[0].url.endswith("/v1/users/1")


async def slow_reader(port: int, target: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection with a small receive buffer that has asked for `target` and reads only
    when the test says so."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    reader, writer = await asyncio.open_connection(sock=sock)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    return reader, writer


@pytest.mark.slow
async def test_calls_har_of_a_full_log_is_sent_in_pieces_while_calls_are_answered(
    make_index: Any, aiohttp_server: Any
) -> None:
    store = CallStore(capacity=5000)
    runtime = Runtime(make_index(SHOP), store=store)
    reply = runtime.answer(Call(method="GET", path="/v1/users/1"))
    for _ in range(5000):
        runtime.record(
            arrival("/v1/users/1", body=b"x" * 1000, received=runtime.clock()), reply, 0.1
        )
    server = await aiohttp_server(create_app(runtime))
    # A reader that asks for the HAR and then reads nothing for a while.
    reader, writer = await slow_reader(server.port, "/__mockpost/calls.har?limit=5000")
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert b"Transfer-Encoding: chunked" in head  # sent as it is made, not built whole first
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{server.port}/v1/users/1") as response,
    ):
        assert response.status == 200  # answered while the HAR is on its way
    body = b""
    while not body.endswith(b"0\r\n\r\n"):
        body += await asyncio.wait_for(reader.read(1 << 20), 10)
    writer.close()
    chunks, text = body, b""
    while chunks:
        size_line, _, chunks = chunks.partition(b"\r\n")
        size = int(size_line, 16)
        text, chunks = text + chunks[:size], chunks[size + 2 :]
    document = json.loads(text)
    assert har_validator().iter_errors(document) is not None
    assert len(document["log"]["entries"]) == 5000


def test_a_response_body_that_is_not_utf8_is_base64_in_the_har() -> None:
    record = call_record(
        response_body=b"\x89PNG\r\n\x1a\n\xff",
        response_headers=(("Content-Type", "image/png"),),
        request_headers=((b"Host", b"localhost:8080"),),
        path="/logo.png",
    )
    content = entry(record, "http://127.0.0.1:8080")["response"]["content"]
    assert content["encoding"] == "base64"
    assert content["mimeType"] == "image/png"
    assert base64.b64decode(content["text"]) == b"\x89PNG\r\n\x1a\n\xff"
    assert entry(record, "http://127.0.0.1:8080")["request"]["url"] == (
        "http://localhost:8080/logo.png"
    )


async def test_calls_har_takes_the_same_filters(serve: Serve) -> None:
    client = await serve(SHOP)
    await busy(client)
    document = await api(client, "calls.har?status=4xx")
    assert [e["response"]["status"] for e in document["log"]["entries"]] == [404]


# Events


async def read_events(response: Any, count: int) -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = []
    name = ""
    while len(events) < count:
        line = (await asyncio.wait_for(response.content.readline(), 10)).decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            events.append((name, json.loads(line[6:])))
    return events


async def test_events_bring_each_call_as_it_is_recorded(serve: Serve) -> None:
    client = await serve(SHOP)
    response = await client.get("/__mockpost/events")
    assert response.headers["Content-Type"].startswith("text/event-stream")
    await client.get("/v1/users/1")
    await client.get("/v1/nowhere")
    events = await read_events(response, 2)
    assert [(name, e["path"], e["status"]) for name, e in events] == [
        ("call", "/v1/users/1", 200),
        ("call", "/v1/nowhere", 404),
    ]
    response.close()


async def test_a_reader_that_keeps_up_loses_no_event_however_fast_calls_come(
    serve: Serve,
) -> None:
    client = await serve(SHOP)
    runtime = runtime_of(client)
    response = await client.get("/__mockpost/events")
    await client.get("/v1/users/1")
    [(_, first)] = await read_events(response, 1)  # the reader is subscribed
    calls = 5 * QUEUE_BYTES // 250 // 250 * 250  # five times what a reader may have waiting
    reading = asyncio.ensure_future(read_events(response, calls))
    reply = runtime.answer(Call(method="GET", path="/v1/users/1"))
    for _ in range(calls // 250):  # bursts of 250 calls, the loop turning between them
        for _ in range(250):
            runtime.record(arrival("/v1/users/1", received=runtime.clock()), reply, 0.1)
        for _ in range(5):
            await asyncio.sleep(0)
    events = await reading
    assert [name for name, _ in events] == ["call"] * calls  # no `lost` event among them
    assert [e["id"] for _, e in events] == list(range(first["id"] + 1, first["id"] + calls + 1))
    response.close()


async def test_a_stalled_reader_is_dropped_before_it_holds_memory_or_calls_back(
    make_index: Any, aiohttp_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    store = CallStore(capacity=500)
    runtime = Runtime(make_index(SHOP), store=store)
    app = create_app(runtime)
    server = await aiohttp_server(app)
    # A reader that connects and never reads.
    _, writer = await slow_reader(server.port, "/__mockpost/events")
    connected = asyncio.Event()
    store.subscribe(lambda record: connected.set())
    most_queued = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=32)) as session:
        await session.get(f"http://127.0.0.1:{server.port}/v1/users/0")
        await asyncio.wait_for(connected.wait(), 10)
        [stalled] = app[STREAMS].readers  # the stalled reader is connected

        async def one(i: int) -> int:
            nonlocal most_queued
            url = f"http://127.0.0.1:{server.port}/v1/users/{i}?pad={'x' * 2000}"
            async with session.get(url) as response:
                await response.read()
                most_queued = max(most_queued, stalled.queued)
                return response.status

        calls = 2000  # about 4.6 MB of events, 18 times the bound
        statuses = await asyncio.gather(*(one(i) for i in range(calls)))
    assert statuses == [200] * calls  # every call answered meanwhile
    assert most_queued <= QUEUE_BYTES  # memory bounded
    assert stalled.dropped
    assert not app[STREAMS].readers
    assert "fell 256 KiB behind: dropped" in caplog.text
    writer.close()
    # The page reconnects from the last call it saw: it gets the 500 calls the log keeps,
    # after being told of the 1,500 it no longer does.
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"http://127.0.0.1:{server.port}/__mockpost/events", headers={"Last-Event-ID": "1"}
        ) as response,
    ):
        events = await read_events(response, 501)
        assert events[0] == ("lost", {"lost": 1500})
        assert [e["id"] for _, e in events[1:]] == list(range(1502, 2002))
        await session.get(f"http://127.0.0.1:{server.port}/v1/users/1")
        await session.get(f"http://127.0.0.1:{server.port}/v1/users/2")
        events = await read_events(response, 2)  # each call once, in order
        assert [e["id"] for _, e in events] == [2002, 2003]


async def test_a_page_that_connects_after_a_call_gets_every_call_after_it_once(
    serve: Serve,
) -> None:
    client = await serve(SHOP)
    for _ in range(3):
        await client.get("/v1/users/1")
    response = await client.get("/__mockpost/events?after=1")
    await client.get("/v1/boom")
    events = await read_events(response, 3)
    assert [e["id"] for _, e in events] == [2, 3, 4]
    response.close()


def test_start_up_says_when_the_collection_has_paths_under_the_api(
    write_json: Any,
) -> None:
    from tests.conftest import running_cli

    data = collection(item("r", example("mine", "x/__mockpost/health", body="mine")))
    path = write_json(data)
    with running_cli(str(path)) as cli:
        assert "paths start with /__mockpost/" in cli.banner
        assert "Call log: " in cli.banner
        status, body = http_get(f"{cli.url}/__mockpost/health")
        assert status == 200
        assert json.loads(body)["status"] == "ok"  # the API wins
    with running_cli(str(path), "--no-admin") as cli:
        assert http_get(f"{cli.url}/__mockpost/health") == (200, b"mine")


def test_the_event_streams_summary_text_is_the_summary() -> None:
    from mockpost.calls.record import ExampleRef, How
    from mockpost.calls.views import summary, summary_json

    for record in (
        call_record(id=7, received=1_800_000_000.987, path='/a"b\\c\n\x1b', query="q=é"),
        call_record(status=404, example_name=None, how=How.NOT_FOUND, duration_ms=1.23456),
        call_record(
            example=ExampleRef("N\u2028", "id", "r"), score=110.0, received=0.0005, method="PUT"
        ),
    ):
        assert json.loads(summary_json(record)) == summary(record)


async def test_head_of_calls_har_sends_no_body_and_the_connection_goes_on(serve: Serve) -> None:
    client = await serve(SHOP)
    await client.get("/v1/users/1")
    async with connect(client.port) as connection:
        connection.writer.write(
            b"HEAD /__mockpost/calls.har HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            b"GET /__mockpost/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        received = await read_until(connection.reader, b'"status": "ok"')
    head, health = received.split(b"HTTP/1.1 200 OK", 2)[1:]
    assert b"log" not in head  # no HAR body after the HEAD's headers
    assert health.endswith(b"}")


async def test_head_of_the_event_stream_ends_at_once(serve: Serve) -> None:
    client = await serve(SHOP)
    response = await asyncio.wait_for(client.head("/__mockpost/events"), 10)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert not client.app[STREAMS].readers  # no reader left behind
