"""The catch-all handler: HTTP in, a `Call` to the runtime, its reply out, a record kept.

Every call gets an answer and a record, whatever it holds: a body that cannot be read is
noted, a failure inside mockpost is a 500 with a note, a client that goes away during the
delay is recorded as such.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace

from aiohttp import web
from multidict import CIMultiDictProxy

from mockpost.calls.arrival import Arrival
from mockpost.calls.call import Call
from mockpost.calls.record import How
from mockpost.responses.reply import Reply
from mockpost.runtime.runtime import Runtime
from mockpost.web.broken import send_broken
from mockpost.web.delays import Delays
from mockpost.web.fallthrough import PROXY
from mockpost.web.target import decodes_to_itself, split
from mockpost.web.wire import FastReplies, whole

MAX_REQUEST_BODY = 64 * 1024 * 1024
log = logging.getLogger("mockpost.web")

RUNTIME = web.AppKey("runtime", Runtime)
DELAYS = web.AppKey("delays", Delays)
FAST_REPLIES = web.AppKey("fast_replies", FastReplies)


class CallHeaders(Mapping[str, str]):
    """A call's headers as the core reads them: any case, repeated ones joined by ", ".

    A view over aiohttp's headers: nothing is copied for the calls that read none.
    """

    __slots__ = ("_raw",)

    def __init__(self, raw: CIMultiDictProxy[str]) -> None:
        self._raw = raw

    def __getitem__(self, name: str) -> str:
        values = self._raw.getall(name)
        return values[0] if len(values) == 1 else ", ".join(values)

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(name.lower() for name in self._raw))

    def __len__(self) -> int:
        return len(dict.fromkeys(name.lower() for name in self._raw))


async def _read_body(request: web.Request) -> tuple[bytes, tuple[str, ...]]:
    """The call's body, and a note when it could not be read (the call is answered anyway)."""
    if not request.body_exists:
        return b"", ()
    try:
        return await request.read(), ()
    except web.HTTPRequestEntityTooLarge:
        return b"", (f"request body over {MAX_REQUEST_BODY} bytes: not read",)
    except Exception as exc:  # a broken upload still gets an answer and a log line
        return b"", (f"request body could not be read: {type(exc).__name__}: {exc}",)


def _arrival(request: web.Request, received: float) -> Arrival:
    """The call as it came. The decoded path and the raw query string are cut from the
    target when it decodes to itself (web/target.py), else aiohttp's (a target with no path,
    such as `OPTIONS *`, stands for its path)."""
    target = request.raw_path
    if decodes_to_itself(target):
        path, query = split(target)
    else:
        path, query = request.path or target, request.rel_url.raw_query_string
    method, headers, has_body = request.method, request.raw_headers, request.body_exists
    return Arrival(method, target, headers, has_body, received, path, query)


def _call_of(request: web.Request, arrival: Arrival) -> Call:
    query_string = request.query_string  # decoded, as seeds (runtime/seeds.py) read it
    return Call(
        method=arrival.method.upper(),
        path=arrival.path,
        query=tuple(request.query.items()) if query_string else (),
        headers=CallHeaders(request.headers),
        body=arrival.body,
        query_string=query_string,
        client=request.remote or "",
        target=arrival.target,
    )


async def _proxied(request: web.Request, body: bytes, not_found: Reply) -> Reply:
    """The real API's answer to a call no example answers; a failure inside mockpost leaves
    the not-found answer, with a note (the call keeps its answer and its record)."""
    try:
        own_key = request.app[RUNTIME].state.settings.api_key
        return await request.app[PROXY].answer(request, body, own_key)
    except Exception as exc:
        log.exception("failed to proxy %s %s", request.method, request.path)
        return replace(not_found, notes=(*not_found.notes, f"proxy failed: {exc!r}"))


async def handle(request: web.Request) -> web.StreamResponse:
    """The one handler: every call gets an answer and a record in the call store."""
    runtime = request.app[RUNTIME]
    arrival, started = _arrival(request, runtime.clock()), time.perf_counter()
    reply = runtime.kept(arrival)
    kept = reply is not None
    if reply is None:
        arrival.body, arrival.notes = await _read_body(request)
        reply = runtime.answer(_call_of(request, arrival))
    delays = request.app[DELAYS]
    try:
        if reply.how is How.NOT_FOUND and PROXY in request.app:  # serve --proxy: the real API
            reply, kept = await _proxied(request, arrival.body, reply), False
        waits = reply.delay_ms and reply.fault != "dribble"  # a dribble spreads its delay
        if waits and not await delays.wait(reply.delay_ms / 1000):
            arrival.notes += ("the delay was cut short: mockpost is stopping",)
    except asyncio.CancelledError:
        arrival.notes += ("the client went away during the delay",)
        raise
    finally:  # recorded however the call ends: answered, cut short, or gone
        runtime.record(arrival, reply, (time.perf_counter() - started) * 1000)
    if reply.fault is not None:
        return await send_broken(request, reply, delays)
    if kept and request.app[FAST_REPLIES].on and (sent := whole(reply, request)) is not None:
        return sent  # a kept reply's repeat: bytes made on its first (web/wire.py)
    return web.Response(
        status=reply.status, reason=reply.reason, headers=reply.headers, body=reply.body
    )
