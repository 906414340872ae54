"""What an HTTP client sees: responses, headers, CORS, private mode, delays, dynamic values."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockpost.calls.store import CallStore
from mockpost.faults.latency import fixed
from mockpost.runtime.cache import ReplyCache
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import ServerResponse, Settings
from mockpost.web.app import create_app
from mockpost.web.delays import Delays
from tests.conftest import NOT_FOUND, Serve, arrival, collection, example, item, runtime_of


def raw_body(text: str) -> dict[str, Any]:
    return {"mode": "raw", "raw": text}


SIMPLE = collection(item("users", example("list", "x/users", body='[{"id": 1}]')))


async def test_not_found_body_is_postmans_byte_for_byte(serve: Serve) -> None:
    client = await serve(SIMPLE)
    response = await client.get("/nothing/here")
    assert response.status == 404
    assert response.headers["Content-Type"] == "application/json"
    assert await response.read() == NOT_FOUND


async def test_example_answers_with_its_code_status_text_headers_and_body(serve: Serve) -> None:
    ex = example(
        "created",
        "x/orders",
        method="POST",
        code=201,
        body='{"id": "o1"}',
        headers=[
            {"key": "Location", "value": "/orders/o1"},
            {"key": "X-Off", "value": "no", "disabled": True},
        ],
    )
    ex["status"] = "Created Just Now"
    client = await serve(collection(item("orders", ex)))
    response = await client.post("/orders")
    assert response.status == 201
    assert response.reason == "Created Just Now"
    assert response.headers["Location"] == "/orders/o1"
    assert "X-Off" not in response.headers
    assert await response.read() == b'{"id": "o1"}'


@pytest.mark.parametrize(
    ("language", "content_type"),
    [
        ("json", "application/json"),
        ("JSON", "application/json"),
        ("xml", "application/xml"),
        ("html", "text/html"),
        ("Text", "text/plain"),
    ],
)
async def test_content_type_is_derived_from_the_preview_language(
    serve: Serve, language: str, content_type: str
) -> None:
    client = await serve(collection(item("r", example("e", "x/a", body="x", language=language))))
    response = await client.get("/a")
    assert response.headers["Content-Type"] == content_type


async def test_the_examples_own_content_type_wins(serve: Serve) -> None:
    ex = example(
        "e",
        "x/a",
        body="a,b",
        language="json",
        headers=[{"key": "content-type", "value": "text/csv"}],
    )
    client = await serve(collection(item("r", ex)))
    response = await client.get("/a")
    assert response.headers.getall("Content-Type") == ["text/csv"]


async def test_length_and_hop_by_hop_headers_are_computed_not_copied(serve: Serve) -> None:
    ex = example(
        "e",
        "x/a",
        body="hello",
        headers=[
            {"key": "Content-Length", "value": "999"},
            {"key": "Transfer-Encoding", "value": "chunked"},
            {"key": "Connection", "value": "close"},
            {"key": "Content-Encoding", "value": "gzip"},
            {"key": "Set-Cookie", "value": "a=1"},
            {"key": "Set-Cookie", "value": "b=2"},
        ],
    )
    client = await serve(collection(item("r", ex)))
    response = await client.get("/a")
    assert response.headers["Content-Length"] == "5"
    assert "Content-Encoding" not in response.headers
    assert response.headers.getall("Set-Cookie") == ["a=1", "b=2"]
    assert await response.read() == b"hello"


# CORS


async def test_every_response_allows_any_origin(serve: Serve) -> None:
    client = await serve(SIMPLE)
    assert (await client.get("/users")).headers["Access-Control-Allow-Origin"] == "*"
    assert (await client.get("/missing")).headers["Access-Control-Allow-Origin"] == "*"


async def test_an_examples_saved_cors_headers_are_not_served_unless_kept(serve: Serve) -> None:
    saved = [
        {"key": "Access-Control-Allow-Origin", "value": ""},  # as Postman's own exports save it
        {"key": "Access-Control-Allow-Methods", "value": "GET"},
        {"key": "X-Trace", "value": "t"},
    ]
    data = collection(item("r", example("e", "x/a", headers=saved)))
    client = await serve(data)
    response = await client.get("/a")
    assert response.headers.getall("Access-Control-Allow-Origin") == ["*"]
    assert "Access-Control-Allow-Methods" not in response.headers
    kept = await serve(data, settings=Settings(keep_cors_headers=True))
    response = await kept.get("/a")
    assert response.headers.getall("Access-Control-Allow-Origin") == [""]
    assert response.headers["Access-Control-Allow-Methods"] == "GET"


async def test_a_call_with_an_origin_gets_it_back_with_credentials_and_exposed_headers(
    serve: Serve,
) -> None:
    headers = [{"key": "X-Total-Count", "value": "42"}, {"key": "ETag", "value": '"v1"'}]
    client = await serve(collection(item("r", example("e", "x/a", headers=headers))))
    for _ in range(2):  # a repeat, whose reply may be kept, gets them too
        response = await client.get("/a", headers={"Origin": "https://app.test"})
        assert response.headers["Access-Control-Allow-Origin"] == "https://app.test"
        assert response.headers["Access-Control-Allow-Credentials"] == "true"
        assert response.headers["Vary"] == "Origin"
        exposed = response.headers["Access-Control-Expose-Headers"].split(", ")
        assert {"X-Total-Count", "ETag", "Content-Type"} <= set(exposed)
    assert (await client.get("/a")).headers["Access-Control-Allow-Origin"] == "*"
    assert (await client.get("/missing", headers={"Origin": "https://b.test"})).headers[
        "Access-Control-Allow-Origin"
    ] == "https://b.test"


async def test_a_saved_date_is_replaced_by_the_current_one(serve: Serve) -> None:
    saved = [{"key": "Date", "value": "Tue, 01 Jan 2019 00:00:00 GMT"}]
    client = await serve(collection(item("r", example("e", "x/a", headers=saved))))
    response = await client.get("/a")
    assert response.headers.getall("Date") != ["Tue, 01 Jan 2019 00:00:00 GMT"]
    assert len(response.headers.getall("Date")) == 1


async def test_preflight_gets_204_with_the_paths_methods_and_echoed_headers(
    serve: Serve,
) -> None:
    client = await serve(
        collection(
            item(
                "r",
                example("a", "x/users"),
                example("b", "x/users", method="POST"),
                example("c", "x/other", method="DELETE"),
            )
        )
    )
    response = await client.options(
        "/users",
        headers={
            "Origin": "https://app.test",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-mock-response-code",
        },
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.test"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST"
    assert response.headers["Access-Control-Allow-Headers"] == "content-type, x-mock-response-code"
    assert int(response.headers["Access-Control-Max-Age"]) > 0


async def test_preflight_is_answered_by_an_options_example_when_there_is_one(
    serve: Serve,
) -> None:
    client = await serve(
        collection(item("r", example("opts", "x/a", method="OPTIONS", code=200, body="custom")))
    )
    response = await client.options(
        "/a", headers={"Origin": "o", "Access-Control-Request-Method": "GET"}
    )
    assert (response.status, await response.read()) == (200, b"custom")


# Private mode


async def test_private_mock_needs_the_api_key(serve: Serve) -> None:
    client = await serve(SIMPLE, settings=Settings(api_key="s3cret"))
    response = await client.get("/users")
    assert response.status == 401
    body = await response.json()
    assert body["error"]["name"] == "unauthorizedError"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert (await client.get("/users", headers={"x-api-key": "wrong"})).status == 401
    assert (await client.get("/users", headers={"x-api-key": "s3cret"})).status == 200


async def test_preflight_needs_no_api_key(serve: Serve) -> None:
    client = await serve(SIMPLE, settings=Settings(api_key="s3cret"))
    response = await client.options(
        "/users", headers={"Origin": "o", "Access-Control-Request-Method": "GET"}
    )
    assert response.status == 204


# Delays and the server response


class Sleeps:
    """Stands for asyncio.sleep: records what the server waited, and waits for nothing."""

    def __init__(self) -> None:
        self.waited: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waited.append(seconds)


async def serve_with_sleeps(
    make_index: Any, aiohttp_client: Any, data: dict[str, Any], settings: Settings | None = None
) -> tuple[Any, Sleeps, Runtime]:
    sleeps = Sleeps()
    runtime = Runtime(make_index(data), settings)
    return await aiohttp_client(create_app(runtime, delays=Delays(sleeps))), sleeps, runtime


async def test_response_delay_header_waits_that_long(make_index: Any, aiohttp_client: Any) -> None:
    client, sleeps, runtime = await serve_with_sleeps(make_index, aiohttp_client, SIMPLE)
    response = await client.get("/users", headers={"x-mock-response-delay": "250"})
    assert response.status == 200
    assert sleeps.waited == [0.25]
    record = runtime.store.last()
    assert record is not None
    assert record.delay_ms == 250


async def test_server_delay_applies_and_the_calls_delay_wins(
    make_index: Any, aiohttp_client: Any
) -> None:
    client, sleeps, _ = await serve_with_sleeps(
        make_index, aiohttp_client, SIMPLE, Settings(delay=fixed(300))
    )
    await client.get("/users")
    await client.get("/users")  # a repeat, answered from its kept reply, waits too
    await client.get("/users", headers={"x-mock-response-delay": "1"})
    await client.get("/missing")
    assert sleeps.waited == [0.3, 0.3, 0.001, 0.3]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("x-mock-response-delay", "soon"),
        ("x-mock-response-delay", "999999"),
        ("x-mock-response-delay", "9" * 5000),  # too long for `int` to read
        ("x-mockpost-delay", "9" * 5000),
        ("x-mock-response-code", "abc"),
        ("x-mock-response-code", "1000"),
        ("x-mock-match-request-body", "maybe"),
    ],
)
async def test_a_header_value_that_makes_no_sense_is_ignored_and_logged(
    serve: Serve, header: str, value: str
) -> None:
    client = await serve(SIMPLE)
    response = await client.get("/users", headers={header: value})
    assert response.status == 200
    record = runtime_of(client).store.last()
    assert record is not None
    assert any(header in note and value[:9] in note for note in record.notes)


async def test_server_response_answers_every_call_with_that_5xx(serve: Serve) -> None:
    client = await serve(SIMPLE, settings=Settings(server_response=ServerResponse(503)))
    response = await client.get("/users")
    assert response.status == 503
    assert (await response.json())["error"]["name"] == "serverError"


# Dynamic values


async def test_dynamic_variables_are_fresh_per_occurrence(serve: Serve) -> None:
    body = (
        '{"a": "{{$guid}}", "b": "{{$randomUUID}}", "t": {{$timestamp}}, '
        '"iso": "{{$isoTimestamp}}", "n": {{$randomInt}}, "keep": "{{$notAVariable}}"}'
    )
    ex = example("e", "x/a", body=body, headers=[{"key": "X-Request-Id", "value": "{{$guid}}"}])
    client = await serve(collection(item("r", ex)), clock=lambda: 1_800_000_000.5)
    response = await client.get("/a")
    data = await response.json()
    uuid.UUID(data["a"])
    uuid.UUID(data["b"])
    uuid.UUID(response.headers["X-Request-Id"])
    assert data["a"] != data["b"] != response.headers["X-Request-Id"]
    assert data["t"] == 1_800_000_000
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["iso"])
    assert 0 <= data["n"] <= 1000
    assert data["keep"] == "{{$notAVariable}}"
    assert (await (await client.get("/a")).json())["a"] != data["a"]


async def test_seed_makes_dynamic_values_reproducible(serve: Serve) -> None:
    data = collection(item("r", example("e", "x/a", body="{{$guid}} {{$randomInt}}")))
    first = await serve(data, settings=Settings(seed=7))
    second = await serve(data, settings=Settings(seed=7))
    assert await (await first.get("/a")).read() == await (await second.get("/a")).read()


# The call log


async def test_every_call_is_logged_with_what_answered(serve: Serve) -> None:
    store = CallStore()
    client = await serve(SIMPLE, store=store)
    await client.get("/users?x=1", headers={"X-Trace": "t"})
    await client.post("/nope", data=b"payload")
    first, second = list(store)
    assert (first.method, first.path, first.query, first.status) == ("GET", "/users", "x=1", 200)
    assert first.example is not None
    assert (first.example.name, first.example.request) == ("list", "users")
    assert (b"X-Trace", b"t") in first.request_headers
    assert ("Content-Type", "application/json") in first.response_headers
    assert first.response_body == b'[{"id": 1}]'
    assert (second.status, second.matched, second.request_body) == (404, False, b"payload")
    assert second.id == first.id + 1


async def test_a_call_cut_off_during_its_delay_is_still_logged(
    make_index: Any, aiohttp_client: Any
) -> None:
    async def forever(seconds: float) -> None:
        await asyncio.Event().wait()

    runtime = Runtime(make_index(SIMPLE))
    recorded = asyncio.Event()
    runtime.store.subscribe(lambda record: recorded.set())
    client = await aiohttp_client(create_app(runtime, delays=Delays(forever)))
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(client.get("/users", headers={"x-mock-response-delay": "2000"}), 0.2)
    await asyncio.wait_for(recorded.wait(), 10)
    record = runtime.store.last()
    assert record is not None
    assert "the client went away during the delay" in record.notes


async def test_a_malformed_body_never_causes_a_5xx(serve: Serve) -> None:
    client = await serve(SIMPLE)
    headers = {
        "Content-Type": "multipart/form-data; boundary=xyz",
        "x-mock-match-request-body": "true",
    }
    response = await client.post("/users", data=b"\xff\xfe not multipart", headers=headers)
    assert response.status == 404
    response = await client.get(
        "/users", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 200


# Repeated calls: a plain call's complete reply is kept, and only a plain repeat gets it


USERS = collection(
    item(
        "user",
        example("one", "x/users/{{userId}}", body='{"id": "{{userId}}"}'),
        example("gone", "x/users/{{userId}}", code=404, body='{"gone": "{{userId}}"}'),
    ),
    item(
        "by body",
        example("ada", "x/people", method="POST", body="ada", request_body=raw_body("ada")),
        example("bob", "x/people", method="POST", body="bob", request_body=raw_body("bob")),
    ),
)


async def test_a_repeated_call_gets_the_same_answer_and_every_repeat_is_logged(
    serve: Serve,
) -> None:
    store = CallStore()
    client = await serve(USERS, store=store)
    answers = [await (await client.get("/users/7")).read() for _ in range(3)]
    assert answers == [b'{"id": "7"}'] * 3
    assert (await client.get("/users/8")).headers["Access-Control-Allow-Origin"] == "*"
    assert await (await client.get("/users/8")).read() == b'{"id": "8"}'
    assert await (await client.get("/users/7")).read() == b'{"id": "7"}'
    assert len(store) == 6
    assert {(r.path, r.example and r.example.name, r.score) for r in store} == {
        ("/users/7", "one", 90),
        ("/users/8", "one", 90),
    }


async def test_a_repeat_with_an_x_mock_header_or_a_body_is_matched_again(serve: Serve) -> None:
    client = await serve(USERS)
    assert (await client.get("/users/7")).status == 200
    response = await client.get("/users/7", headers={"x-mock-response-code": "404"})
    assert (response.status, await response.read()) == (404, b'{"gone": "7"}')
    assert (await client.get("/users/7")).status == 200
    assert await (await client.post("/people")).read() == b"ada"
    assert await (await client.post("/people", data=b"bob")).read() == b"bob"  # +5, equal body
    assert await (await client.post("/people")).read() == b"ada"


async def test_a_reply_that_reads_the_call_is_made_for_each_call(serve: Serve) -> None:
    ex = example("hello", "x/hello", body="hello {{$headers 'X-Name'}}")
    client = await serve(collection(item("r", ex)))
    assert await (await client.get("/hello", headers={"X-Name": "ada"})).read() == b"hello ada"
    assert await (await client.get("/hello", headers={"X-Name": "bob"})).read() == b"hello bob"


async def test_private_mode_and_server_responses_hold_for_every_repeat(serve: Serve) -> None:
    client = await serve(USERS, settings=Settings(api_key="k"))
    for _ in range(2):
        assert (await client.get("/users/7", headers={"x-api-key": "k"})).status == 200
        assert (await client.get("/users/7")).status == 401
    client = await serve(USERS, settings=Settings(server_response=ServerResponse(503)))
    for _ in range(2):
        assert (await client.get("/users/7")).status == 503


async def test_the_kept_replies_are_bounded_by_count_and_bytes_and_answers_stay_right(
    make_index: Any, aiohttp_client: Any
) -> None:
    cache = ReplyCache(max_entries=2, max_bytes=1_000_000)
    client = await aiohttp_client(create_app(Runtime(make_index(USERS), cache=cache)))
    for user in [*range(5), *range(5)]:
        assert await (await client.get(f"/users/{user}")).read() == f'{{"id": "{user}"}}'.encode()
        assert len(cache) <= 2
    small = ReplyCache(max_entries=1000, max_bytes=2_000)
    client = await aiohttp_client(create_app(Runtime(make_index(USERS), cache=small)))
    for user in range(20):
        long_query = "q=" + "x" * 300 + str(user)
        response = await client.get(f"/users/{user}?{long_query}")
        assert await response.read() == f'{{"id": "{user}"}}'.encode()
        assert small.bytes <= 2_000


async def test_a_swap_drops_every_kept_answer(serve: Serve, make_index: Any) -> None:
    client = await serve(USERS)
    assert await (await client.get("/users/7")).read() == b'{"id": "7"}'
    runtime = runtime_of(client)
    runtime.swap(settings=Settings(server_response=ServerResponse(503)))
    assert len(runtime.cache) == 0
    assert (await client.get("/users/7")).status == 503
    new = make_index(collection(item("u", example("new", "x/users/7", body="new"))))
    runtime.swap(index=new, settings=Settings())
    assert await (await client.get("/users/7")).read() == b"new"


async def test_queries_that_decode_alike_but_differ_never_share_a_kept_answer(
    serve: Serve,
) -> None:
    data = collection(
        item(
            "r",
            example("split", "x/q?q=a&b", body="split"),
            example("joined", "x/q?q=a%26b", body="joined"),
        )
    )
    client = await serve(data)
    for _ in range(2):  # the second round is answered from what was kept
        assert await (await client.get("/q?q=a&b")).read() == b"split"
        assert await (await client.get("/q?q=a%26b")).read() == b"joined"


HEADER_NAMES = [
    "Host",
    "Accept",
    "X-Trace",
    "Origin",
    "ORIGIN",
    "origin-x",
    "X-Mock-Response-Code",
    "x-mock-response-name",
    "X-MOCK-MATCH-REQUEST-BODY",
    "x-mock-something-else",
    "x-mocked",
    "Xmock",
    "X-Mockpost-Delay",
    "x-mockpost-fault",
]


@given(names=st.lists(st.sampled_from(HEADER_NAMES), max_size=5))
def test_a_call_answered_from_a_kept_reply_is_one_that_is_plain_and_has_no_origin(
    names: list[str],
) -> None:
    from multidict import CIMultiDict, CIMultiDictProxy

    from mockpost.runtime.headers import directive_or_origin
    from mockpost.runtime.runtime import is_plain

    raw = tuple((name.encode(), b"v") for name in names)
    view = CIMultiDictProxy(CIMultiDict((name, "v") for name in names))
    if not directive_or_origin(raw):
        assert is_plain("GET", False, view)
        assert "origin" not in view
    else:
        assert any(n.lower().startswith("x-mock") or n.lower() == "origin" for n in names)


async def test_a_browser_call_does_not_undo_the_reply_kept_for_plain_repeats(
    serve: Serve,
) -> None:
    client = await serve(USERS)
    await client.get("/users/7")
    runtime = runtime_of(client)
    kept = runtime.kept(arrival("/users/7"))
    assert kept is not None
    response = await client.get("/users/7", headers={"Origin": "https://app.test"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.test"
    assert runtime.kept(arrival("/users/7")) is kept


async def test_a_preflight_for_a_method_the_path_lacks_lets_the_call_come_and_get_the_404(
    serve: Serve,
) -> None:
    client = await serve(collection(item("r", example("a", "x/users"))))
    preflight = {"Origin": "https://app.test", "Access-Control-Request-Method": "DELETE"}
    response = await client.options("/users", headers=preflight)
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Methods"] == "GET, DELETE"
    response = await client.delete("/users", headers={"Origin": "https://app.test"})
    assert response.status == 404
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.test"
    assert await response.read() == NOT_FOUND
