"""A call's target is read as aiohttp reads it, even where mockpost reads it without
aiohttp's URL object (web/target.py): the path and query a record shows, the route a call
reaches, and which repeats share a kept answer."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest import mock

import pytest
from aiohttp import http_parser
from hypothesis import given
from hypothesis import strategies as st

from mockpost.web.target import decodes_to_itself, split
from tests.conftest import Serve, collection, example, item, runtime_of
from tests.raw import raw_call

# What a request line's target may hold (and some it may not: the parsers refuse those).
TARGET_CHARS = "/?#%+&=;:@!$'()*,.-_~ aZ09\"<>\\^`{|}\t\x7fé"
# aiohttp's Python parser, and the one its server uses (its C parser, when built).
PARSERS = list(dict.fromkeys([http_parser.HttpRequestParserPy, http_parser.HttpRequestParser]))


def parsed(parser_class: Any, target: str) -> Any:
    """The message aiohttp's parser makes of a request line (its `path` is the target a
    request's `raw_path` gives), or None when it refuses the line."""
    loop = asyncio.new_event_loop()
    try:
        parser = parser_class(mock.Mock(), loop, 2**16, max_line_size=8190)
        line = f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode("utf-8", "surrogateescape")
        try:
            messages, _, _ = parser.feed_data(line)
        except Exception:  # the parser refuses it: aiohttp answers 400, mockpost never sees it
            return None
        return messages[0][0] if messages else None
    finally:
        loop.close()


@pytest.mark.parametrize("parser_class", PARSERS, ids=lambda p: p.__module__)
@given(target=st.text(TARGET_CHARS, max_size=30).map(lambda text: "/" + text))
def test_a_target_that_decodes_to_itself_is_cut_where_aiohttp_cuts_it(
    parser_class: Any, target: str
) -> None:
    message = parsed(parser_class, target)
    if message is None or not decodes_to_itself(message.path):
        return
    path, query = split(message.path)
    assert (path, query) == (message.url.path, message.url.raw_query_string)
    assert path == message.url.path_safe  # what aiohttp's router would have matched


@pytest.mark.parametrize(
    ("target", "itself"),
    [
        ("/users/7?q=a+b&r", True),
        ("/users/%37", False),
        ("/users/7#top", False),
        ("*", False),
        ("example.com:443", False),
        ("http://example.com/users/7", False),
    ],
)
def test_only_an_origin_form_target_without_escapes_or_fragment_decodes_to_itself(
    target: str, itself: bool
) -> None:
    assert decodes_to_itself(target) is itself


USER = collection(item("user", example("one", "x/users/{{userId}}", body='{"id": "{{userId}}"}')))


async def test_repeats_of_targets_that_decode_alike_are_answered_and_recorded_decoded(
    serve: Serve,
) -> None:
    client = await serve(USER)
    assert client.port is not None
    targets = ["/users/7?q=%41+b", "/users/%37?q=%41+b", "/users/7?q=A+b"]
    for _ in range(3):  # the later rounds are repeats, answered from what was kept
        for target in targets:  # sent as written (aiohttp's client would re-quote them)
            line = f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
            assert (await raw_call(client.port, line)).endswith(b'{"id": "7"}')
    runtime = runtime_of(client)
    assert len(runtime.cache) == 3  # a kept answer per target as it came
    records = list(runtime.store)
    assert [(r.path, r.query) for r in records[-3:]] == [
        ("/users/7", "q=%41+b"),
        ("/users/7", "q=%41+b"),
        ("/users/7", "q=A+b"),
    ]
    assert {(r.path, r.query) for r in records[:3]} == {(r.path, r.query) for r in records[-3:]}


@pytest.mark.parametrize(
    ("target", "reaches_admin"),
    [
        ("/__mockpost/calls", True),
        ("/%5F%5Fmockpost/calls", True),  # the router decodes the path before it matches
        ("/__mockpost/calls?limit=1", True),
        ("/x/__mockpost/calls", False),
        ("/__mockpostcalls", False),
    ],
)
async def test_mockposts_own_routes_are_found_however_the_target_is_written(
    serve: Serve, target: str, reaches_admin: bool
) -> None:
    client = await serve(USER)
    for _ in range(2):  # a second call, in case the first left a kept answer
        response = await client.get(target)
        assert (response.status == 200) is reaches_admin
    assert (len(runtime_of(client).store) == 0) is reaches_admin  # the mock records its calls


async def test_a_fragment_on_the_request_line_is_not_part_of_the_recorded_path(
    serve: Serve,
) -> None:
    client = await serve(USER)
    assert client.port is not None
    for _ in range(2):
        answer = await raw_call(client.port, b"GET /users/7?q=1#top HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200")
        assert answer.endswith(b'{"id": "7"}')
        recorded = runtime_of(client).store.last()
        assert recorded is not None
        assert (recorded.path, recorded.query) == ("/users/7", "q=1")
