"""The one cache of repeated calls: what a plain call got, kept for its repeats.

A plain call sends no body and no `x-mock-*` header, and is no OPTIONS: its answer depends on
its method, path and query string alone. Entries are found by the method and the target as
it came on the request line (no decoding asked for on a repeat; two targets that decode alike
get an entry each). The cache keeps, for such a call, either the
complete reply (when the example holds nothing that changes from call to call and the
settings let the path decide alone) or the decision (its reply is rendered again for each
repeat). It is bounded by count and by bytes; past either bound the oldest entries go.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from mockpost.matching.match import Decision
from mockpost.responses.reply import Reply

Key = tuple[str, str]  # method, and the target as it came (path and query)
MAX_ENTRIES = 1 << 16
MAX_BYTES = 16 * 1024 * 1024
ENTRY_OVERHEAD = 400  # bytes counted per entry besides its key's text and its reply


class ReplyCache:
    """Replies and decisions of plain calls, oldest first, within `max_entries` and `max_bytes`."""

    __slots__ = ("_bytes", "_entries", "_sizes", "get", "max_bytes", "max_entries")

    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Key, Reply | Decision] = OrderedDict()
        self._sizes: dict[Key, int] = {}
        self._bytes = 0
        # What is kept for a key, or None: the dict's own lookup, called on every repeat.
        self.get: Callable[[Key], Reply | Decision | None] = self._entries.get

    def put(self, key: Key, entry: Reply | Decision) -> None:
        size = ENTRY_OVERHEAD + len(key[1])
        if isinstance(entry, Reply):
            size += entry.size
        if size > self.max_bytes:
            return
        entries, sizes = self._entries, self._sizes
        if key in entries:
            self._bytes -= sizes.pop(key)
            del entries[key]
        while entries and (len(entries) >= self.max_entries or self._bytes + size > self.max_bytes):
            old, _ = entries.popitem(last=False)
            self._bytes -= sizes.pop(old)
        entries[key] = entry
        sizes[key] = size
        self._bytes += size

    def clear(self) -> None:
        self._entries.clear()
        self._sizes.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes
