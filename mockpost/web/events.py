"""The live feed of calls (`/__mockpost/events`, server-sent events).

Each call's event is made once and handed to every reader's queue, by one call-store listener
that never waits. A reader's queue and what is being written to it are bounded in bytes: a
reader that falls that far behind (a stalled page, a laptop lid closed) is dropped with a note
in the log, so that it holds neither memory nor calls back. A page that reconnects says the
last call it saw (`Last-Event-ID`, as browsers send it, or `?after=`) and first gets the calls
it missed that the call log still keeps, then a `lost` event for any it no longer does.
Reloads are told to every reader as `reload` events. Events are written at most every 0.1 s,
a burst in one write; a queue half full is written at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Iterable

from aiohttp import web

from mockpost.calls.record import CallRecord
from mockpost.calls.store import CallStore
from mockpost.calls.views import summary_json, whole_number
from mockpost.text import printable

QUEUE_BYTES = 256 * 1024  # events kept for one reader between two of its writes
NOTICE_LIMIT = 16  # notices (reloads) kept for one reader between two of its reads
KEEP_ALIVE = 15.0  # seconds between comments that keep a quiet stream open
BATCH_EVERY = 0.1  # seconds: the events of a busy moment go in one write, not one each
RETRY_MS = 1000  # how soon a browser reconnects a dropped stream
log = logging.getLogger("mockpost.web")


class Reader:
    """One connected reader: the events not yet sent (call id, event bytes)."""

    def __init__(self, peer: str, limit: int = QUEUE_BYTES) -> None:
        self.peer = peer
        self.limit = limit
        self.queue: deque[tuple[int, bytes]] = deque()
        self.queued = 0  # bytes in the queue
        self.notices: deque[bytes] = deque(maxlen=NOTICE_LIMIT)  # whole events, to send first
        self.ready = asyncio.Event()  # something to send
        self.filling = asyncio.Event()  # enough to send now: half the bound
        self.dropped = False
        self.transport: asyncio.Transport | None = None

    def push(self, call_id: int, event: bytes) -> None:
        if self.dropped:
            return
        if self.queued + len(event) > self.limit:
            self.drop()
            return
        self.queue.append((call_id, event))
        self.queued += len(event)
        if self.queued >= self.limit // 2:
            self.filling.set()
        self.ready.set()

    def drop(self) -> None:
        """Too far behind: forget what is queued and end the connection (a write waiting on
        it ends too); the page reconnects and is sent what it missed."""
        self.dropped = True
        self.queue.clear()
        self.queued = 0
        self.ready.set()
        if self.transport is not None:
            self.transport.abort()
        log.warning(
            "the call-log reader at %s fell %d KiB behind: dropped (a page that reconnects "
            "gets the calls it missed)",
            printable(self.peer),
            self.limit // 1024,
        )

    def take(self) -> list[tuple[int, bytes]]:
        taken = list(self.queue)
        self.queue.clear()
        self.queued = 0
        return taken


class Streams:
    """The open event streams, ended at once when the server stops."""

    def __init__(self) -> None:
        self.readers: set[Reader] = set()
        self.stopped = False
        self._store: CallStore | None = None
        self._listener = self._call  # one object: the store unsubscribes by identity

    def add(self, reader: Reader, store: CallStore) -> None:
        if not self.readers:
            store.subscribe(self._listener)
            self._store = store
        self.readers.add(reader)

    def remove(self, reader: Reader) -> None:
        self.readers.discard(reader)
        if not self.readers and self._store is not None:
            self._store.unsubscribe(self._listener)
            self._store = None

    def _call(self, record: CallRecord) -> None:
        event = call_event(record)
        for reader in tuple(self.readers):
            reader.push(record.id, event)

    def notify(self, name: str, data: object) -> None:
        """Tell every reader something that is not a call (a reload), as event `name`."""
        event = _event(name, json.dumps(data))
        for reader in self.readers:
            reader.notices.append(event)
            reader.ready.set()

    def stop(self) -> None:
        self.stopped = True
        for reader in self.readers:
            reader.ready.set()


def _event(name: str, data: str, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {data}\n\n".encode()


def call_event(record: CallRecord) -> bytes:
    return _event("call", summary_json(record), record.id)


def _last_seen(request: web.Request) -> int | None:
    """The last call the reader saw, when it says so (a reconnecting browser does)."""
    text = request.headers.get("Last-Event-ID") or request.query.get("after")
    return whole_number(text, 1 << 62) if text else None


def _missed(store: CallStore, seen: int) -> tuple[int, list[CallRecord]]:
    """The calls after `seen` that the log keeps, and how many it no longer keeps."""
    kept = store.after(seen)
    first = kept[0].id if kept else store.last_id + 1
    return max(0, first - seen - 1), kept


async def _write_bounded(response: web.StreamResponse, events: Iterable[bytes]) -> None:
    """Write events in pieces of at most QUEUE_BYTES, each waited for."""
    piece: list[bytes] = []
    size = 0
    for event in events:
        piece.append(event)
        size += len(event)
        if size >= QUEUE_BYTES:
            await response.write(b"".join(piece))
            piece, size = [], 0
    if piece:
        await response.write(b"".join(piece))


async def stream(request: web.Request, store: CallStore, streams: Streams) -> web.StreamResponse:
    """Send each call's summary as it is recorded, until the reader or the server goes."""
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    if request.method == "HEAD":
        return response  # its headers only
    reader = Reader(request.remote or "a local socket")
    transport = request.transport
    reader.transport = transport if isinstance(transport, asyncio.Transport) else None
    streams.add(reader, store)
    try:
        await response.write(f": mockpost call log\nretry: {RETRY_MS}\n\n".encode())
        seen = _last_seen(request)
        if seen is not None:  # the calls it missed, before the ones that come meanwhile
            gone, kept = _missed(store, seen)
            if gone:
                await response.write(_event("lost", json.dumps({"lost": gone})))
            await _write_bounded(response, map(call_event, kept))
            seen = kept[-1].id if kept else seen
        while not streams.stopped and not reader.dropped:
            try:
                async with asyncio.timeout(KEEP_ALIVE):  # no task per wait, as wait_for makes
                    await reader.ready.wait()
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            try:  # let a burst gather, one write for all of it, unless the queue fills
                async with asyncio.timeout(BATCH_EVERY):
                    await reader.filling.wait()
            except TimeoutError:
                pass
            reader.ready.clear()
            reader.filling.clear()
            out = list(reader.notices)
            reader.notices.clear()
            out += [event for call_id, event in reader.take() if seen is None or call_id > seen]
            if out:
                await response.write(b"".join(out))  # waits while the reader does not read
    except ConnectionError:  # the reader went away, or was dropped
        pass
    finally:
        streams.remove(reader)
    return response
