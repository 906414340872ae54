"""The aiohttp application around a runtime."""

from __future__ import annotations

import asyncio

from aiohttp import web

from mockpost.runtime.runtime import Runtime
from mockpost.web.handler import MAX_REQUEST_BODY, RUNTIME, SLEEP, Sleep, handle


def create_app(runtime: Runtime, *, sleep: Sleep = asyncio.sleep) -> web.Application:
    """The aiohttp application that serves the runtime: every path, every method.

    `sleep` waits out delays (tests pass one that records them).
    """
    app = web.Application(client_max_size=MAX_REQUEST_BODY)
    app[RUNTIME] = runtime
    app[SLEEP] = sleep
    app.router.add_route("*", "/{tail:.*}", handle)
    return app
