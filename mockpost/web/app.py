"""The aiohttp application around a runtime."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from mockpost.runtime.runtime import Runtime
from mockpost.web.admin import add_admin
from mockpost.web.delays import Delays
from mockpost.web.handler import DELAYS, MAX_REQUEST_BODY, RUNTIME, handle


@web.middleware
async def _every_call(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every call reaches a handler, whatever the router made of its target: a path holding a
    newline, `OPTIONS *` and `CONNECT host:port` go to the mock's."""
    if request.match_info.http_exception is not None:
        return await handle(request)
    return await handler(request)


def create_app(
    runtime: Runtime, *, delays: Delays | None = None, admin: bool = True
) -> web.Application:
    """The aiohttp application that serves the runtime: every target, every method, and
    (unless `admin` is False) mockpost's API and page under `/__mockpost/`.

    `delays` waits out answers' delays (tests give one with their own sleep).
    """
    app = web.Application(client_max_size=MAX_REQUEST_BODY, middlewares=[_every_call])
    app[RUNTIME] = runtime
    app[DELAYS] = delays if delays is not None else Delays()
    if admin:
        add_admin(app)
    # The route serves the common case (the middleware chain built once for it); targets it
    # cannot name reach the handler through the middleware alone.
    app.router.add_route("*", r"/{tail:[\s\S]*}", handle)
    return app
