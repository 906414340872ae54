"""`serve --proxy TARGET [--record-to FILE]`: a call that no example answers is forwarded to
the real API and answered with its answer; with a recording, the answer is saved as an example
and the served index is rebuilt with it (away from the calls being served) before the call is
answered: the next identical call is answered by the mock. New answers that come together share
one write of the file and one rebuild (`runtime/coalesce.py`)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from mockpost.calls.record import How
from mockpost.errors import MockpostError
from mockpost.record.collection import Recorder
from mockpost.responses.reply import Reply
from mockpost.runtime.coalesce import Coalesced
from mockpost.text import header_safe
from mockpost.web.proxy import Forwarder, ProxyError, forwarded


class FallThrough:
    def __init__(
        self,
        forwarder: Forwarder,
        record_file: Recorder | None = None,
        recorded: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.forwarder = forwarder
        self.record_file = record_file
        self.recorded = recorded  # rebuilds the index with what was recorded
        self._saved = Coalesced(self._save)

    async def _save(self) -> None:
        """The recording written whole (off the event loop), then served."""
        assert self.record_file is not None
        await asyncio.to_thread(self.record_file.pending())
        if self.recorded is not None:
            await self.recorded()

    async def answer(self, request: web.Request, body: bytes, own_key: str | None = None) -> Reply:
        """The target's answer; `own_key`: the private mock's key, never sent on."""
        target = self.forwarder.target
        try:
            exchange = await forwarded(request, self.forwarder, body, own_key)
        except ProxyError as error:
            message = f"no example matched, and the target failed: {error}"
            said = json.dumps({"error": {"name": "mockpostProxyError", "message": message}})
            return Reply(
                502,
                (("Content-Type", "application/json"),),
                said.encode(),
                How.PROXIED,
                notes=(f"proxy to {target} failed: {error}",),
            )
        notes: tuple[str, ...] = (f"no example matched: proxied to {target}",)
        if self.record_file is not None:
            added = self.record_file.remember(exchange)
            if added.new:
                try:
                    await self._saved()
                except MockpostError as error:
                    notes += (f"not recorded: {error}",)
                else:
                    notes += (f"recorded as {added.example!r} of {added.request!r}",)
            else:
                notes += ("the same answer is recorded already",)
                if added.redacted:
                    notes += (f"redacted in the recording: {', '.join(added.redacted)}",)
        reason = exchange.reason if exchange.reason == header_safe(exchange.reason) else None
        return Reply(
            exchange.status,
            exchange.response_headers,
            exchange.response_body,
            How.PROXIED,
            reason=reason or None,
            notes=notes,
        )


PROXY = web.AppKey("proxy", FallThrough)
