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
"""

from __future__ import annotations

import time
from email.utils import formatdate
from http import HTTPStatus

from aiohttp import HttpVersion11, web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http import SERVER_SOFTWARE
from multidict import CIMultiDict, CIMultiDictProxy

from mockpost.responses.reply import Reply

REASONS = {status.value: status.phrase for status in HTTPStatus}  # as aiohttp has them
MAX_WHOLE = 256 * 1024  # bytes of body; a larger answer goes the usual way
WRITE_LIMIT = 64 * 1024  # bytes waiting in the transport before a write waits for the reader
_SET_BY_AIOHTTP = frozenset(("content-length", "transfer-encoding", "connection"))


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
