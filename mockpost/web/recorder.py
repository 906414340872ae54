"""The app of `mockpost record`: every call forwarded to the target, answered with the
target's answer, and saved (before it is answered) by `save`."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from mockpost.errors import MockpostError
from mockpost.record.exchange import Exchange
from mockpost.web.handler import MAX_REQUEST_BODY
from mockpost.web.proxy import Forwarder, ProxyError, bad_gateway, exchange_response, forwarded

Save = Callable[[Exchange], None]  # raises MockpostError when the recording cannot be written
Fail = Callable[[str, str, str], None]  # method, path, why: a call that got no answer


def create_record_app(forwarder: Forwarder, save: Save, fail: Fail) -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        try:
            exchange = await forwarded(request, forwarder, body)
        except ProxyError as error:
            fail(request.method, request.path, str(error))
            return bad_gateway(str(error))
        try:
            save(exchange)
        except MockpostError as error:
            fail(request.method, request.path, str(error))
        return exchange_response(exchange)

    app = web.Application(client_max_size=MAX_REQUEST_BODY)
    app.router.add_route("*", r"/{tail:[\s\S]*}", handle)
    app.cleanup_ctx.append(forwarder.running)
    return app
