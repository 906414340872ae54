"""The live feed of calls (`/__mockpost/events`, server-sent events).

Each reader gets its own bounded queue, filled by a call-store listener that never waits: a
slow or stalled reader loses events (and is told how many) rather than holding calls back or
growing memory. Reloads are told to every reader as `reload` events. Events are written at
most every 0.1 s, a burst in one write: one write per call would cost a busy server a system
call each; a queue half full is written at once, so that a reader that keeps up loses nothing
however many calls a second come.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque

from aiohttp import web

from mockpost.calls.record import CallRecord
from mockpost.calls.store import CallStore
from mockpost.calls.views import summary_json

QUEUE_LIMIT = 1000  # events kept for one reader between two of its reads
NOTICE_LIMIT = 16  # notices (reloads) kept for one reader between two of its reads
KEEP_ALIVE = 15.0  # seconds between comments that keep a quiet stream open
BATCH_EVERY = 0.1  # seconds: the events of a busy moment go in one write, not one each


class Reader:
    """One connected reader: the events not yet sent, and how many were lost."""

    def __init__(self, limit: int = QUEUE_LIMIT) -> None:
        self.limit = limit
        self.queue: deque[CallRecord] = deque()
        self.lost = 0
        self.notices: deque[bytes] = deque(maxlen=NOTICE_LIMIT)  # whole events, to send first
        self.ready = asyncio.Event()  # something to send
        self.filling = asyncio.Event()  # enough to send now: half the queue
        self.write_at = max(1, limit // 2)

    def __call__(self, record: CallRecord) -> None:
        queue = self.queue
        if len(queue) < self.limit:
            queue.append(record)
            if len(queue) >= self.write_at:
                self.filling.set()
        else:
            self.lost += 1
        self.ready.set()


class Streams:
    """The open event streams, ended at once when the server stops."""

    def __init__(self) -> None:
        self.readers: set[Reader] = set()
        self.stopped = False

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
    reader = Reader()
    store.subscribe(reader)
    streams.readers.add(reader)
    try:
        await response.write(b": mockpost call log\n\n")
        while not streams.stopped:
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
            lost, reader.lost = reader.lost, 0
            batch = list(reader.queue)
            reader.queue.clear()
            out = list(reader.notices)
            reader.notices.clear()
            out += [_event("lost", json.dumps({"lost": lost}))] if lost else []
            out += [_event("call", summary_json(record), record.id) for record in batch]
            if out:
                await response.write(b"".join(out))  # waits while the reader does not read
    except ConnectionError:  # the reader went away
        pass
    finally:
        store.unsubscribe(reader)
        streams.readers.discard(reader)
    return response
