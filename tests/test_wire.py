"""A kept reply's repeats are sent as bytes made once (web/wire.py): a client must not be able
to tell them from the first answer, which aiohttp built, whatever the reply holds."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from aiohttp import web

from mockpost.calls.record import How
from mockpost.responses.reply import Reply
from mockpost.runtime.runtime import Runtime
from mockpost.web import wire
from mockpost.web.app import create_app
from mockpost.web.handler import FAST_REPLIES
from mockpost.web.wire import MAX_WHOLE, NOT_WHOLE, Whole, encode
from tests.conftest import Serve, arrival, collection, example, item, runtime_of
from tests.raw import connect, raw_call

DATE = re.compile(rb"\r\nDate: [^\r]*")


def undated(answer: bytes) -> bytes:
    return DATE.sub(b"\r\nDate: -", answer)


REPLIES = collection(
    item(
        "json",
        example(
            "json",
            "x/json",
            body='{"a": 1}',
            headers=[{"key": "Content-Type", "value": "application/json"}],
        ),
    ),
    item("bare", example("no content type", "x/bare", body="plain bytes", language=None)),
    item("empty", example("empty 200", "x/empty", body="")),
    item(
        "own",
        example(
            "its own Date and Server",
            "x/own",
            body="dated",
            headers=[
                {"key": "Date", "value": "Tue, 01 Jan 2030 00:00:00 GMT"},
                {"key": "Server", "value": "nginx"},
                {"key": "X-Twice", "value": "1"},
                {"key": "x-twice", "value": "2"},
            ],
        ),
    ),
    item("teapot", example("teapot", "x/teapot", code=418, body="short and stout")),
    item("unknown", example("odd status", "x/odd", code=599, body="?")),
    item(
        "utf8",
        example("unicode", "x/utf8", body="héllo ✓", headers=[{"key": "X-Name", "value": "Zoë"}]),
    ),
)


@pytest.mark.parametrize(
    "target",
    ["/json", "/bare", "/empty", "/own", "/teapot", "/odd", "/utf8", "/nowhere?q=1"],
)
async def test_a_kept_reply_repeats_the_first_answer_byte_for_byte(
    serve: Serve, target: str
) -> None:
    client = await serve(REPLIES, fast_replies=True)
    async with connect(client.port) as connection:
        first = await connection.call(target)
        assert runtime_of(client).kept(arrival(target)) is not None
        repeats = [await connection.call(target) for _ in range(3)]
    assert first.startswith(b"HTTP/1.1 404" if target.startswith("/nowhere") else b"HTTP/1.1 ")
    assert b"404" not in first.split(b"\r\n")[0] or target.startswith("/nowhere")
    assert all(undated(r) == undated(first) for r in repeats), (first, repeats[0])
    assert all(
        re.search(rb"\r\nDate: \w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT\r\n", r) for r in repeats
    )


async def test_each_repeat_has_one_date_of_its_moment_and_the_examples_own_server(
    serve: Serve,
) -> None:
    client = await serve(REPLIES, fast_replies=True)
    async with connect(client.port) as connection:
        answers = [await connection.call("/own") for _ in range(3)]
    for answer in answers:
        assert answer.count(b"\r\nDate: ") == 1
        assert b"2030" not in answer  # a saved Date is not replayed (the first answer's rule)
        assert answer.count(b"\r\nServer: ") == 1
        assert b"\r\nServer: nginx\r\n" in answer
        assert b"aiohttp" not in answer
        assert b"\r\nX-Twice: 1\r\nx-twice: 2\r\n" in answer


@pytest.mark.parametrize(
    ("method", "extra", "expect"),
    [
        ("HEAD", "", b"Content-Length: 8\r\n"),  # and no body
        ("GET", "Connection: close\r\n", b"Connection: close\r\n"),
    ],
)
async def test_calls_aiohttp_answers_differently_still_get_aiohttps_answer(
    serve: Serve, method: str, extra: str, expect: bytes
) -> None:
    client = await serve(REPLIES, fast_replies=True)
    for _ in range(3):  # the first is matched, the others are repeats of a kept reply
        async with connect(client.port) as connection:
            answer = await connection.call("/json", method, extra)
        assert expect in answer
        assert answer.endswith(b"\r\n\r\n" if method == "HEAD" else b'{"a": 1}')


async def test_an_http_1_0_call_gets_an_http_1_0_answer_on_its_repeats(serve: Serve) -> None:
    client = await serve(REPLIES, fast_replies=True)
    for _ in range(3):  # the server closes: HTTP/1.0 without keep-alive
        answer = await raw_call(client.port, b"GET /json HTTP/1.0\r\n\r\n", until_closed=True)
        assert answer.startswith(b"HTTP/1.0 200 OK\r\n")
        assert answer.endswith(b'{"a": 1}')


def reply(headers: tuple[tuple[str, str], ...] = (), **fields: Any) -> Reply:
    fields.setdefault("body", b"x")
    return Reply(status=fields.pop("status", 200), headers=headers, how=How.SCORE, **fields)


@pytest.mark.parametrize(
    "odd",
    [
        reply((("Content-Length", "3"),)),
        reply((("Transfer-Encoding", "chunked"),)),
        reply((("connection", "close"),)),
        reply((("X-Evil", "a\r\nSet-Cookie: b"),)),
        reply((("X-Evil\n", "a"),)),
        reply(reason="OK\r\nX: y"),
        reply((("X-Broken", "\udc80"),)),
        reply(status=204, body=b""),
        reply(status=304, body=b""),
        reply(status=101, body=b""),
        reply(body=b"x" * (MAX_WHOLE + 1)),
    ],
)
def test_replies_aiohttp_would_send_otherwise_or_refuse_go_the_usual_way(odd: Reply) -> None:
    assert encode(odd) is NOT_WHOLE


def test_the_bytes_of_a_reply_are_its_head_the_date_of_the_moment_and_the_rest() -> None:
    made = encode(reply((("Content-Type", "text/plain"),), body=b"hi", reason="Fine"))
    assert isinstance(made, Whole)
    assert made.dated
    assert made.head == b"HTTP/1.1 200 Fine\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
    assert made.rest.startswith(b"Server: ")
    assert made.rest.endswith(b"\r\n\r\nhi")


async def test_pipelined_repeats_are_all_answered_in_order(serve: Serve) -> None:
    client = await serve(REPLIES, fast_replies=True)
    targets = ["/json", "/bare", "/teapot"] * 100
    async with connect(client.port) as connection:
        connection.writer.write(
            b"".join(f"GET {t} HTTP/1.1\r\nHost: t\r\n\r\n".encode() for t in targets)
        )
        statuses = [(await connection.answer()).split(b" ")[1] for _ in targets]
    assert statuses == [b"200", b"200", b"418"] * 100


async def test_an_access_log_reads_the_repeats_as_it_reads_any_answer(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """Embedded in an app whose access log is on (aiohttp's default logger at INFO)."""
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    client = await serve(REPLIES, fast_replies=True)
    for _ in range(3):
        answer = await client.get("/teapot", headers={"Referer": "r"})
        assert answer.status == 418
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(lines) == 3
    sizes = [re.search(r'"GET /teapot HTTP/1.1" 418 (\d+)', line) for line in lines]
    assert all(size is not None and int(size.group(1)) > len(b"short and stout") for size in sizes)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# -- confined: on only where mockpost owns the server, and what it sends is aiohttp's -----


def with_a_header_middleware(app: web.Application) -> None:
    @web.middleware
    async def stamped(request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        response.headers["X-Embedder"] = "yes"
        return response

    app.middlewares.append(stamped)


@pytest.mark.parametrize("asked", [False, True], ids=["default", "asked-for"])
async def test_an_app_embedded_with_a_middleware_answers_every_repeat_through_it(
    make_index: Any, aiohttp_client: Any, asked: bool
) -> None:
    app = create_app(Runtime(make_index(REPLIES)), fast_replies=asked)
    with_a_header_middleware(app)
    client = await aiohttp_client(app)
    for _ in range(4):
        answer = await client.get("/json")
        assert answer.status == 200
        assert answer.headers["X-Embedder"] == "yes"
        assert await answer.read() == b'{"a": 1}'
    assert not app[FAST_REPLIES].on


@pytest.mark.parametrize("asked", [False, True], ids=["default", "asked-for"])
async def test_an_embedders_response_signal_sees_every_repeat(
    make_index: Any, aiohttp_client: Any, asked: bool
) -> None:
    seen: list[str] = []

    async def prepared(request: web.Request, response: web.StreamResponse) -> None:
        seen.append(request.path)
        response.headers["X-Signed"] = "1"

    app = create_app(Runtime(make_index(REPLIES)), fast_replies=asked)
    app.on_response_prepare.append(prepared)
    client = await aiohttp_client(app)
    for _ in range(3):
        answer = await client.get("/teapot")
        assert (answer.status, answer.headers["X-Signed"]) == (418, "1")
    assert seen == ["/teapot"] * 3


async def test_an_app_made_by_create_app_builds_every_reply_through_aiohttp(
    make_index: Any, aiohttp_client: Any
) -> None:
    app = create_app(Runtime(make_index(REPLIES)))
    await aiohttp_client(app)
    assert not app[FAST_REPLIES].on


async def test_asked_for_on_a_plain_app_the_fast_path_is_on_once_it_starts(
    make_index: Any, aiohttp_client: Any
) -> None:
    app = create_app(Runtime(make_index(REPLIES)), fast_replies=True)
    await aiohttp_client(app)
    assert app[FAST_REPLIES].on


async def test_the_bytes_made_here_are_the_bytes_aiohttp_sends() -> None:
    assert await wire.differs_from_aiohttp() == ""


@pytest.mark.parametrize("broken", ["encoding", "series"])
async def test_the_fast_path_turns_itself_off_with_a_note_when_it_would_differ(
    make_index: Any, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    if broken == "encoding":  # as if aiohttp had changed what it sends
        made = encode

        def other(reply: Reply) -> Whole:
            found = made(reply)
            return Whole(found.head.replace(b"Content-Length", b"content-length"), found.rest, True)

        monkeypatch.setattr(wire, "encode", other)
    else:
        monkeypatch.setattr(wire, "CHECKED_WITH", ("2.0",))
    notes: list[str] = []
    app = create_app(Runtime(make_index(REPLIES)), fast_replies=True, say=notes.append)
    client = await aiohttp_client(app)
    assert not app[FAST_REPLIES].on
    assert len(notes) == 1
    assert "every reply is built by aiohttp" in notes[0]
    assert ("content-length" in notes[0]) if broken == "encoding" else ("series" in notes[0])
    for _ in range(3):
        answer = await client.get("/json")
        assert answer.headers["Content-Length"] == "8"
