"""The call store: the last calls in full, bounded by count and by bytes, told to listeners.

Recording happens in exactly one place (`CallStore.add`), which also gives each call its id.
A listener that fails is unsubscribed rather than allowed to break serving.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator
from itertools import chain, islice

from mockpost.calls.record import CallRecord, RawHeaders

DEFAULT_CAPACITY = 1000
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # bodies and headers of the records kept
RECORD_OVERHEAD = 512  # bytes counted per record for its fields, besides texts and bodies

Listener = Callable[[CallRecord], None]

log = logging.getLogger("mockpost.calls")


def size_of(
    path: str, query: str, request_body: bytes, response_body: bytes, headers: RawHeaders
) -> int:
    """Roughly what a record of these holds onto, in bytes: texts, bodies, request headers."""
    texts = len(path) + len(query) + len(request_body) + len(response_body)
    return RECORD_OVERHEAD + texts + sum(map(len, chain.from_iterable(headers)))


def record_size(record: CallRecord) -> int:
    return size_of(
        record.path,
        record.query,
        record.request_body,
        record.response_body,
        record.request_headers,
    )


class CallStore:
    """The last `capacity` calls (and no more than `max_bytes`), oldest first."""

    def __init__(
        self, capacity: int = DEFAULT_CAPACITY, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.last_id = 0  # the id of the last call recorded: how many calls were seen
        self._records: deque[tuple[CallRecord, int]] = deque(maxlen=capacity)
        self._bytes = 0
        self._listeners: list[Listener] = []

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners = [x for x in self._listeners if x is not listener]

    def add(self, record: CallRecord, size: int | None = None) -> None:
        """Keep a record (its id from `next_id`), dropping the oldest past the bounds.

        `size`: `record_size(record)`, when the caller has it at hand.
        """
        if size is None:
            size = record_size(record)
        records = self._records
        if len(records) == self.capacity:  # the append drops the oldest
            self._bytes -= records[0][1]
        records.append((record, size))
        self._bytes += size
        if self._bytes > self.max_bytes:
            while self._bytes > self.max_bytes and len(records) > 1:
                self._bytes -= records.popleft()[1]
        for listener in self._listeners:
            try:
                listener(record)
            except Exception:  # a broken listener must never break serving
                log.exception("call listener %r failed; it is unsubscribed", listener)
                self.unsubscribe(listener)

    def clear(self) -> None:
        self._records.clear()
        self._bytes = 0

    def get(self, call_id: int) -> CallRecord | None:
        """The record with that id, while it is kept."""
        records = self._records
        if not records:
            return None
        first = records[0][0].id
        position = call_id - first
        if 0 <= position < len(records) and records[position][0].id == call_id:
            return records[position][0]
        return next((r for r, _ in records if r.id == call_id), None)

    def after(self, call_id: int) -> list[CallRecord]:
        """The records kept with a greater id than `call_id`, oldest first."""
        records = self._records
        if not records:
            return []
        start = max(0, min(len(records), call_id + 1 - records[0][0].id))
        while start > 0 and records[start - 1][0].id > call_id:  # ids not contiguous (clear)
            start -= 1
        while start < len(records) and records[start][0].id <= call_id:
            start += 1
        return [record for record, _ in islice(records, start, None)]

    def __iter__(self) -> Iterator[CallRecord]:
        return iter([record for record, _ in self._records])

    def __len__(self) -> int:
        return len(self._records)

    @property
    def bytes(self) -> int:
        return self._bytes

    def last(self) -> CallRecord | None:
        return self._records[-1][0] if self._records else None
