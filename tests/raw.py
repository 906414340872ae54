"""The tests' one way to send bytes as they are to a server and read what comes back whole:
for calls no HTTP client would make (broken request lines, pipelining, HTTP/1.0) and for
answers compared byte for byte."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)", re.IGNORECASE)


def _whole(received: bytes) -> bool:
    """Whether `received` holds a head and as much body as its Content-Length says."""
    head, found, body = received.partition(b"\r\n\r\n")
    length = LENGTH.search(head + b"\r\n")
    return bool(found) and (length is None or len(body) >= int(length.group(1)))


async def raw_call(
    port: int | None, data: bytes, quiet: float = 2.0, until_closed: bool = False
) -> bytes:
    """Send `data` as it is; read until one whole answer came (or, `until_closed`, until the
    server closes), or until the server is quiet for `quiet` seconds."""
    assert port is not None  # a test server's port: None only before it starts
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    received = b""
    try:
        await writer.drain()
        while chunk := await asyncio.wait_for(reader.read(65536), quiet):
            received += chunk
            if not until_closed and _whole(received):
                break
    except (TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()
    return received


async def read_until(reader: asyncio.StreamReader, wanted: bytes, count: int = 1) -> bytes:
    """Read until `wanted` came `count` times (10 s at most between two reads)."""
    received = b""
    while received.count(wanted) < count:
        chunk = await asyncio.wait_for(reader.read(65536), 10)
        assert chunk, received
        received += chunk
    return received


class Connection:
    """One keep-alive connection that reads each answer whole, as the bytes that came."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def call(self, target: str, method: str = "GET", extra: str = "") -> bytes:
        self.writer.write(f"{method} {target} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode())
        return await self.answer(body=method != "HEAD")

    async def answer(self, body: bool = True) -> bytes:
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = LENGTH.search(head)
        size = int(length.group(1)) if length and body else 0
        return head + await self.reader.readexactly(size)


@asynccontextmanager
async def connect(port: int | None) -> AsyncIterator[Connection]:
    assert port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        yield Connection(reader, writer)
    finally:
        writer.close()
        await writer.wait_closed()
