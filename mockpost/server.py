"""The aiohttp server: one catch-all handler that answers every call and logs it.

Order for each call: CORS preflight (never needs the key) -> private-mode key -> the server's
active 5xx response -> Postman's matching -> the example, or the exact not-found body.
Then the delay (the call's `x-mock-response-delay` over the server's), then the answer.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from mockpost.bodies import CallBody
from mockpost.calllog import CallLog, CallRecord, Closest, Outcome, clip
from mockpost.config import ServerConfig
from mockpost.directives import has_directives
from mockpost.dynamic import DynamicValues
from mockpost.index import Index
from mockpost.matching import Call, Decision, Matcher, methods_for_path
from mockpost.startup import GrowthFreezer
from mockpost.templates import RequestView

NOT_FOUND_BODY = (
    b'{"error":{"name":"mockRequestNotFoundError","message":"Double check your method and '
    b'the request path and try again.","header":"No matching requests"}}'
)
UNAUTHORIZED_BODY = (
    b'{"error":{"name":"unauthorizedError","message":"This mock server is private: send its '
    b'API key in the x-api-key header."}}'
)
INTERNAL_ERROR_BODY = (
    b'{"error":{"name":"mockpostInternalError","message":"mockpost failed to answer this call; '
    b'its call log says why."}}'
)
JSON = "application/json"
ALL_METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = "86400"
MAX_REQUEST_BODY = 64 * 1024 * 1024
REPLIES_KEPT = 1 << 16  # complete replies to plain calls kept; then emptied and refilled

log = logging.getLogger("mockpost.server")


@dataclass(slots=True)
class Reply:
    """An answer, before it becomes an aiohttp response, with what the log says of it."""

    status: int
    body: bytes = b""
    headers: CIMultiDict[str] = field(default_factory=CIMultiDict)
    reason: str | None = None
    how: str = "score"
    decision: Decision | None = None
    final: bool = False  # the same, complete, for every repeat of the call
    outcome: Outcome | None = None  # what the call log says of it, made when first logged


PlainKey = tuple[str, str, str]  # method, path, query string


@dataclass
class MockServer:
    """What the handler needs: the index, the options, the call log, dynamic values.

    `replies` keeps the complete reply to a plain call (no body, no `x-mock-*` header, not
    OPTIONS) whose example holds nothing that changes from call to call: its repeats are
    answered without building the call or matching it again. Only where nothing but method,
    path and query decide the answer: no API key, no active server response, no header
    matching.
    """

    index: Index
    config: ServerConfig
    calls: CallLog
    dynamic: DynamicValues = field(init=False)
    match: Matcher = field(init=False)
    freezer: GrowthFreezer | None = None  # freezes the kept replies as they grow
    replies: dict[PlainKey, Reply] = field(init=False, default_factory=dict)
    keeps_replies: bool = field(init=False)

    def __post_init__(self) -> None:
        config = self.config
        self.match = Matcher(self.index, config.match)
        self.keeps_replies = (
            config.api_key is None
            and config.server_response is None
            and not config.match.match_headers
        )
        self.dynamic = DynamicValues(config.seed, config.locale)
        names: set[str] = set()
        for example in self.index.examples:
            if example.may_be_dynamic:
                names |= example.response.dynamic_names
        self.dynamic.warm_up(names)

    def keep(self, key: PlainKey, reply: Reply) -> None:
        """Keep a complete reply for the repeats of a plain call."""
        replies = self.replies
        if len(replies) >= REPLIES_KEPT:
            replies.clear()
        replies[key] = reply
        if self.freezer is not None:
            self.freezer.grew(len(replies))


SERVER = web.AppKey("server", MockServer)


def _json_reply(status: int, body: bytes, how: str) -> Reply:
    return Reply(status, body, CIMultiDict({"Content-Type": JSON}), how=how)


def _is_preflight(request: web.Request) -> bool:
    return (
        request.method == "OPTIONS"
        and "Origin" in request.headers
        and "Access-Control-Request-Method" in request.headers
    )


def _preflight_reply(server: MockServer, request: web.Request) -> Reply:
    methods = methods_for_path(server.index, request.path, server.config.match.fuzzy)
    headers: CIMultiDict[str] = CIMultiDict(
        {
            "Access-Control-Allow-Methods": ", ".join(methods) if methods else ALL_METHODS,
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        }
    )
    wanted = request.headers.get("Access-Control-Request-Headers")
    if wanted:
        headers["Access-Control-Allow-Headers"] = wanted
    return Reply(204, headers=headers, how="preflight")


def _example_reply(server: MockServer, decision: Decision, call: Call) -> Reply:
    assert decision.example is not None
    response = decision.example.response
    captures = decision.captures
    view = None
    if response.reads_request:
        view = RequestView(
            call.path, call.query, call.headers, CallBody(call.body, call.content_type)
        )
    headers: CIMultiDict[str]
    if response.static_headers is not None:
        headers = CIMultiDict(response.static_headers)
    else:
        headers = CIMultiDict()
        for name, value in response.headers:
            headers.add(name, value.render(captures, server.dynamic, view))
    body = response.static_body
    if body is None:
        body = response.body.render(captures, server.dynamic, view).encode("utf-8", "replace")
    reply = Reply(
        response.status, body, headers, response.reason, how=decision.how, decision=decision
    )
    # Nothing in it changes from call to call: the captures come from the path.
    reply.final = not response.reads_request and not response.dynamic_names
    return reply


def answer(server: MockServer, request: web.Request, call: Call) -> Reply:
    """What to send back for a call (no waiting, no I/O)."""
    config = server.config
    if _is_preflight(request):
        decision = server.match(call)
        if decision.example is not None:
            return _example_reply(server, decision, call)
        return _preflight_reply(server, request)
    if config.api_key is not None:
        given = request.headers.get("x-api-key", "")
        if not hmac.compare_digest(given.encode(), config.api_key.encode()):
            return _json_reply(401, UNAUTHORIZED_BODY, "private mode: no valid x-api-key")
    if config.server_response is not None:
        body = (
            b'{"error":{"name":"serverError","message":"This mock server answers every call '
            b"with " + str(config.server_response).encode() + b' (--server-response)."}}'
        )
        return _json_reply(config.server_response, body, "--server-response")
    decision = server.match(call)
    if decision.example is None:
        reply = _json_reply(404, NOT_FOUND_BODY, decision.how)
        reply.decision = decision
        reply.final = True
        return reply
    return _example_reply(server, decision, call)


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


def _call_of(request: web.Request, body: bytes) -> Call:
    return Call(
        method=request.method.upper(),
        path=request.path,
        query=tuple(request.query.items()) if request.query_string else (),
        headers=CallHeaders(request.headers),
        body=body,
    )


def _outcome(reply: Reply) -> Outcome:
    """What the call log says of a reply."""
    decision = reply.decision
    example = decision.example if decision is not None else None
    closest: tuple[Closest, ...] = ()
    if decision is not None and example is None:
        closest = tuple(
            Closest(m.example.method, m.example.path.text, m.example.name, m.reason)
            for m in decision.misses
        )
    return Outcome(
        reply.status,
        how=reply.how,
        example_name=example.name if example is not None else None,
        request_name=example.example.request_name if example is not None else None,
        example_id=example.id if example is not None else None,
        score=decision.score if decision is not None and example is not None else None,
        path_step=decision.path_step if decision is not None else "",
        closest=closest,
        response_headers=reply.headers,  # complete: nothing changes it from here on
        response_body=clip(reply.body),
    )


def _record(
    request: web.Request,
    body: bytes,
    reply: Reply,
    received: float,
    started: float,
    notes: tuple[str, ...],
) -> CallRecord:
    if reply.outcome is None:
        reply.outcome = _outcome(reply)  # once: the repeats of a kept reply share it
    return CallRecord(
        received,
        request.method,
        request.path,
        request.query_string,
        (time.perf_counter() - started) * 1000,
        reply.outcome,
        notes,
        request.headers,  # immutable: kept as it is
        clip(body),
    )


def _plain_key(server: MockServer, request: web.Request) -> PlainKey | None:
    """The key under which a plain call's reply may be kept, or None for any other call."""
    if (
        not server.keeps_replies
        or request.body_exists
        or request.method == "OPTIONS"
        or has_directives(request.headers)
    ):
        return None
    return (request.method, request.path, request.query_string)


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


def _answer_safely(
    server: MockServer, request: web.Request, body: bytes
) -> tuple[Reply, tuple[str, ...]]:
    """`answer`, or a 500 with a note when mockpost itself fails: never a lost call."""
    notes: tuple[str, ...] = ()
    try:
        reply = answer(server, request, _call_of(request, body))
        if reply.decision is not None:
            notes = reply.decision.notes
    except Exception as exc:  # a bug must not cost the call its log line
        log.exception("failed to answer %s %s", request.method, request.path)
        reply = _json_reply(500, INTERNAL_ERROR_BODY, "internal error")
        notes = (f"mockpost failed: {type(exc).__name__}: {exc}",)
    reply.headers.setdefault("Access-Control-Allow-Origin", "*")
    return reply, notes


async def handle(request: web.Request) -> web.StreamResponse:
    """The one handler: every call gets an answer and a record in the call log."""
    server = request.app[SERVER]
    received, started = time.time(), time.perf_counter()
    key = _plain_key(server, request)
    reply = server.replies.get(key) if key is not None else None
    body = b""
    notes: tuple[str, ...] = ()
    delay = server.config.delay_ms
    if reply is None:
        body, notes = await _read_body(request)
        reply, answer_notes = _answer_safely(server, request, body)
        notes += answer_notes
        if key is not None and reply.final and not notes:  # a repeat logs no notes
            server.keep(key, reply)
        if reply.decision is not None and reply.decision.directives.delay_ms is not None:
            delay = reply.decision.directives.delay_ms
    try:
        if delay:
            await asyncio.sleep(delay / 1000)
    except asyncio.CancelledError:
        notes += ("the client went away during the delay",)
        server.calls.record(_record(request, body, reply, received, started, notes))
        raise
    response = web.Response(
        status=reply.status, reason=reply.reason, headers=reply.headers, body=reply.body
    )
    server.calls.record(_record(request, body, reply, received, started, notes))
    return response


def create_app(
    index: Index,
    config: ServerConfig | None = None,
    calls: CallLog | None = None,
    *,
    freeze_kept: bool = False,
) -> web.Application:
    """The aiohttp application serving the index.

    `freeze_kept`: freeze the replies kept for repeated calls out of the garbage collector's
    sight as they grow (`startup.GrowthFreezer`), for a process that does nothing but serve.
    """
    app = web.Application(client_max_size=MAX_REQUEST_BODY)
    app[SERVER] = MockServer(
        index,
        config if config is not None else ServerConfig(),
        calls if calls is not None else CallLog(),
        GrowthFreezer() if freeze_kept else None,
    )
    app.router.add_route("*", "/{tail:.*}", handle)
    return app
