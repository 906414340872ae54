"""Forwarding a call to a real API (`mockpost record`, `serve --proxy`), and its answer back.

The path and query are appended to the target's path; the method, the headers (not the
hop-by-hop ones, not `Host`) and the body go as they came. A redirect to the target itself
comes back relative, so that it is followed through the proxy. The answer comes back decoded
(gzip, deflate): its `Content-Encoding` and `Content-Length` are dropped, aiohttp sets its
own. HTTPS targets are checked against the system's certificates unless `insecure`.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
from aiohttp import web
from multidict import CIMultiDictProxy
from yarl import URL

from mockpost.hop_by_hop import HOP_BY_HOP
from mockpost.record.exchange import (
    Exchange,
    Headers,
    shown_target,
    split_target,
    target_credentials,
)
from mockpost.responses.prepare import header_problem

NOT_SENT = HOP_BY_HOP | {"host", "content-length", "accept-encoding"}
NOT_RETURNED = HOP_BY_HOP | {"content-length", "content-encoding"}
TIMEOUT = aiohttp.ClientTimeout(total=60, connect=10)
MAX_ANSWER = 64 * 1024 * 1024  # bytes of a target's answer mockpost will hold (and save)


class ProxyError(Exception):
    """The target could not be reached, or broke off."""


class Forwarder:
    def __init__(self, target: str, insecure: bool = False) -> None:
        self.target = shown_target(target)  # as shown and written: no user:password
        self.origin, self.base_path = split_target(target)
        credentials = target_credentials(target)
        self.authorization = (
            "Basic " + base64.b64encode(":".join(credentials).encode()).decode()
            if credentials is not None
            else None
        )
        self.insecure = insecure
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=not self.insecure),
            timeout=TIMEOUT,
            auto_decompress=True,
            cookie_jar=aiohttp.DummyCookieJar(),  # the client's cookies go as they came
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def running(self, app: web.Application) -> AsyncIterator[None]:
        """Open for as long as `app` serves: `app.cleanup_ctx.append(forwarder.running)`."""
        await self.start()
        yield
        await self.close()

    def _relative(self, location: str) -> str:
        """A redirect to the target itself, made relative: the client follows it through
        the proxy (and the recording), not straight to the real API."""
        base = self.origin + self.base_path
        if location == base or location.startswith((base + "/", base + "?")):
            return location[len(base) :] or "/"
        return location

    async def forward(
        self,
        method: str,
        path: str,
        query: str,
        headers: CIMultiDictProxy[str],
        body: bytes,
        own_key: str | None = None,
    ) -> Exchange:
        """Send the call on; its exchange with the target (raises ProxyError). `own_key`:
        the private mock's key, which is never sent on."""
        assert self._session is not None, "start() first"
        raw = self.origin + self.base_path + path + (f"?{query}" if query else "")
        sent: list[tuple[str, str]] = [
            (name, value)
            for name, value in headers.items()
            if name.lower() not in NOT_SENT
            and not (own_key is not None and name.lower() == "x-api-key")
        ]
        if self.authorization is not None and "authorization" not in headers:
            sent.append(("Authorization", self.authorization))
        sent.append(("Accept-Encoding", "gzip, deflate"))
        try:
            async with self._session.request(
                method,
                URL(raw, encoded=True),
                headers=sent,
                data=body or None,
                allow_redirects=False,
            ) as response:
                answer = await _read_at_most(response, MAX_ANSWER, self.target)
                _check_headers(response.raw_headers, self.target)
                returned: Headers = tuple(
                    (name, self._relative(value) if name.lower() == "location" else value)
                    for name, value in response.headers.items()
                    if name.lower() not in NOT_RETURNED
                )
                return Exchange(
                    method,
                    path,
                    query,
                    tuple((n, v) for n, v in headers.items()),
                    body,
                    response.status,
                    response.reason or "",
                    returned,
                    answer,
                )
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            why = str(exc) or type(exc).__name__
            raise ProxyError(f"{self.target}: {why}") from None


def _check_headers(raw: tuple[tuple[bytes, bytes], ...], target: str) -> None:
    """Raise ProxyError for an answer header that could not be sent on as it is."""
    for name, value in raw:
        problem = header_problem(name.decode("latin-1"), value.decode("utf-8", "surrogateescape"))
        if problem is not None:
            raise ProxyError(f"{target}: answered with a header that cannot be sent on: {problem}")


async def _read_at_most(response: aiohttp.ClientResponse, most: int, target: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > most:
            raise ProxyError(f"{target}: an answer over {most:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def exchange_response(exchange: Exchange) -> web.Response:
    response = web.Response(status=exchange.status, reason=exchange.reason or None)
    for name, value in exchange.response_headers:
        response.headers.add(name, value)
    response.body = exchange.response_body
    return response


def bad_gateway(why: str) -> web.Response:
    body = {"error": {"name": "mockpostProxyError", "message": f"the target failed: {why}"}}
    return web.json_response(body, status=502)


async def forwarded(
    request: web.Request, forwarder: Forwarder, body: bytes, own_key: str | None = None
) -> Exchange:
    """The call sent to the target (raises ProxyError); the path recorded is the decoded one,
    as the mock's matching reads calls."""
    url = request.rel_url
    exchange = await forwarder.forward(
        request.method, url.raw_path, url.raw_query_string, request.headers, body, own_key
    )
    return replace(exchange, path=request.path)
