"""Kept replies sent as bytes made once: the HTTP/1.1 answer to a plain call's repeats.

aiohttp builds each answer anew: a `Response` object, its header dictionary, the status line,
the headers serialised, Content-Length, Date and Server added; on a busy mock that is about a
fifth of what a call costs. A kept reply is the same for every repeat of its call, so the
bytes aiohttp would send for it are made once, on its first repeat, and kept on the reply
(`Reply.sent_as`); each repeat then costs one write of those bytes around the current Date.

The bytes are the ones aiohttp sends for the reply on a keep-alive HTTP/1.1 call: the same
headers in the same order, with the Content-Length, Content-Type, Date and Server it adds.
What aiohttp would send differently, or refuse, goes the usual way: a status without a body
(1xx, 204, 304), a HEAD or CONNECT call, HTTP/1.0, a call that closes the connection, a
reply with its own Content-Length, Transfer-Encoding or Connection, a CR or LF in its status
text or headers, text that is not UTF-8, a body over MAX_WHOLE.

This goes below aiohttp's public contract (what it sends is its own business), so it is
confined to where mockpost owns the whole server: the `mockpost` command asks for it, never
`create_app`'s default, `mockpost.serving` or the pytest plugin. Asked for, it is on only when
(`why_off`) the app has no middleware and no `on_response_prepare` signal (a repeat skips
both), aiohttp is of a series it was checked against (CHECKED_WITH), and, checked on a real
loopback connection as the app starts (`differs_from_aiohttp`), these bytes are the bytes
aiohttp sends for the same reply. Else every reply goes the usual way, and a note says why.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from email.utils import formatdate
from http import HTTPStatus

import aiohttp
from aiohttp import HttpVersion11, web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http import SERVER_SOFTWARE
from multidict import CIMultiDict, CIMultiDictProxy

from mockpost.calls.record import How
from mockpost.responses.reply import Reply

REASONS = {status.value: status.phrase for status in HTTPStatus}  # as aiohttp has them
MAX_WHOLE = 256 * 1024  # bytes of body; a larger answer goes the usual way
WRITE_LIMIT = 64 * 1024  # bytes waiting in the transport before a write waits for the reader
_SET_BY_AIOHTTP = frozenset(("content-length", "transfer-encoding", "connection"))
CHECKED_WITH = ("3.11", "3.12", "3.13", "3.14")  # aiohttp series tests/test_wire.py passed on
CHECK_TIMEOUT = 5.0  # seconds the start-up check may take before the fast path stays off


class Whole:
    """A reply's bytes: `head` (status line to Content-Type), the Date line of the moment
    (unless the reply has its own), then `rest` (Server, the blank line, the body)."""

    __slots__ = ("dated", "head", "rest")

    def __init__(self, head: bytes, rest: bytes, dated: bool) -> None:
        self.head = head
        self.rest = rest
        self.dated = dated


NOT_WHOLE = Whole(b"", b"", False)  # what a reply that goes the usual way keeps


def encode(reply: Reply) -> Whole:
    """The reply as aiohttp sends it on a keep-alive HTTP/1.1 call, or NOT_WHOLE."""
    status, body = reply.status, reply.body
    if status < 200 or status in (204, 304) or len(body) > MAX_WHOLE:
        return NOT_WHOLE
    reason = reply.reason if reply.reason is not None else REASONS.get(status, "")
    head = [f"HTTP/1.1 {status} {reason}"]
    names: set[str] = set()
    for name, value in reply.headers:
        names.add(name.lower())
        head.append(f"{name}: {value}")
    if names & _SET_BY_AIOHTTP:
        return NOT_WHOLE
    head.append(f"Content-Length: {len(body)}")
    if body and "content-type" not in names:
        head.append("Content-Type: application/octet-stream")
    rest = [] if "server" in names else [f"Server: {SERVER_SOFTWARE}"]
    texts = (*head, *rest)
    if any("\r" in text or "\n" in text for text in texts):
        return NOT_WHOLE  # aiohttp refuses these (a 500): let it
    try:
        return Whole(
            "".join(f"{text}\r\n" for text in head).encode(),
            "".join(f"{text}\r\n" for text in rest).encode() + b"\r\n" + body,
            "date" not in names,
        )
    except UnicodeEncodeError:  # a lone surrogate: aiohttp's error, the usual way
        return NOT_WHOLE


class _DateLine:
    """The Date line of the current second, made once a second."""

    __slots__ = ("line", "second")

    def __init__(self) -> None:
        self.second = -1
        self.line = b""

    def __call__(self) -> bytes:
        second = int(time.time())
        if second != self.second:
            self.second = second
            self.line = f"Date: {formatdate(second, usegmt=True)}\r\n".encode()
        return self.line


date_line = _DateLine()


class SentWhole(web.StreamResponse):
    """A response that is one write of bytes made before: what aiohttp asks of a response
    (`prepare`, `write_eof`, `keep_alive`; `status`, `body_length` and `headers` for an
    access log) and nothing it builds per call."""

    __slots__ = ("_data", "_reply", "_status_code")

    def __init__(self, data: bytes, reply: Reply) -> None:  # no StreamResponse state: unused
        self._data = data
        self._reply = reply
        self._status_code = reply.status

    @property
    def keep_alive(self) -> bool:
        return True

    @property
    def status(self) -> int:
        return self._status_code

    @property
    def prepared(self) -> bool:
        return True

    @property
    def body_length(self) -> int:
        return len(self._data)

    @property
    def headers(self) -> CIMultiDictProxy[str]:  # type: ignore[override]
        """The reply's own headers (an access log's `%{NAME}o`)."""
        return CIMultiDictProxy(CIMultiDict(self._reply.headers))

    async def prepare(self, request: web.BaseRequest) -> AbstractStreamWriter | None:
        transport = request.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("the client went away")  # as aiohttp's own writer
        transport.write(self._data)
        if transport.get_write_buffer_size() > WRITE_LIMIT:
            await request.writer.drain()  # a reader that does not read: wait, as aiohttp does
        return None

    async def write_eof(self, data: bytes = b"") -> None:
        return None

    def __repr__(self) -> str:
        return f"<SentWhole {self._status_code}>"


def whole(reply: Reply, request: web.Request) -> SentWhole | None:
    """A kept reply as one write, or None when it goes the usual way."""
    if request.version != HttpVersion11 or not request.keep_alive:
        return None
    if request.method in ("HEAD", "CONNECT"):
        return None
    sent = reply.sent_as
    if not isinstance(sent, Whole):
        sent = reply.sent_as = encode(reply)
    if sent is NOT_WHOLE:
        return None
    if sent.dated:
        return SentWhole(b"".join((sent.head, date_line(), sent.rest)), reply)
    return SentWhole(sent.head + sent.rest, reply)


class FastReplies:
    """Whether an app sends kept replies as bytes made once: `asked` by the `mockpost`
    command, and `on` once the app has started if nothing rules it out (`decide`)."""

    __slots__ = ("asked", "on")

    def __init__(self, asked: bool) -> None:
        self.asked = asked
        self.on = False

    async def decide(self, app: web.Application, say: Callable[[str], None]) -> None:
        """Turn on if asked and nothing rules it out; else say why not, if asked."""
        if not self.asked:
            return
        why = why_off(app) or await differs_from_aiohttp()
        self.on = not why
        if why:
            say(f"  every reply is built by aiohttp (the fast path for repeats is off): {why}")


def why_off(app: web.Application) -> str:
    """Why an app cannot send kept replies as bytes made once ("": it can), short of the
    start-up check."""
    if app.middlewares:
        return "the app has middlewares, which a repeat would skip"
    if app.on_response_prepare:
        return "the app has on_response_prepare signals, which a repeat would skip"
    series = ".".join(aiohttp.__version__.split(".")[:2])
    if series not in CHECKED_WITH:
        return f"aiohttp {aiohttp.__version__} is not of a series they were checked against"
    return ""


SAMPLE = Reply(
    status=201,
    headers=(("Content-Type", "application/json"), ("X-Check", "Zoë"), ("x-check", "2")),
    body='{"checked": "✓"}'.encode(),
    how=How.SCORE,
)
_DATE = re.compile(rb"Date: [^\r\n]*\r\n")


async def differs_from_aiohttp(sample: Reply = SAMPLE) -> str:
    """What differs between the bytes made here for `sample` and the bytes aiohttp sends for
    it (as `web.Response`, the way the handler answers) on a real loopback connection; "" for
    nothing."""
    made = encode(sample)
    if made is NOT_WHOLE:
        return "the sample reply cannot be made as bytes"

    async def answer(request: web.BaseRequest) -> web.Response:
        return web.Response(status=sample.status, headers=sample.headers, body=sample.body)

    server = web.Server(answer, access_log=None)
    listener = await asyncio.get_running_loop().create_server(server, "127.0.0.1", 0)
    try:
        port = listener.sockets[0].getsockname()[1]
        sent = await asyncio.wait_for(_one_answer(port, len(sample.body)), CHECK_TIMEOUT)
    except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
        return f"the check could not run ({type(exc).__name__}: {exc})"
    finally:
        listener.close()
        await server.shutdown(0)
    date = _DATE.search(sent)
    expected = made.head + (date.group(0) if date else b"") + made.rest
    if sent != expected:
        return f"aiohttp sent {sent[:200]!r}, these bytes were {expected[:200]!r}"
    return ""


async def _one_answer(port: int, body_size: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /check HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        return head + await reader.readexactly(body_size)
    finally:
        writer.close()
        await writer.wait_closed()
