"""The aiohttp application around a runtime."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from mockpost.calls.views import iso_time
from mockpost.lifecycle.reload import Reloaded, Reloader
from mockpost.runtime.runtime import Runtime
from mockpost.web.admin import PREFIX, RELOADER, SAY, STREAMS, add_admin
from mockpost.web.delays import Delays
from mockpost.web.events import Streams
from mockpost.web.fallthrough import PROXY, FallThrough
from mockpost.web.guard import Access
from mockpost.web.handler import DELAYS, MAX_REQUEST_BODY, RUNTIME, handle
from mockpost.web.target import decodes_to_itself


def _every_target(router: web.UrlDispatcher, route: web.AbstractRoute) -> None:
    """Every call reaches a handler, whatever the router makes of its target: a path holding
    a newline, `OPTIONS *` and `CONNECT host:port` go to `route` (the mock's).

    The router's own `resolve` is wrapped rather than a middleware added (a middleware costs
    every call about 3 µs in aiohttp). A target that decodes to itself and is not under
    mockpost's own prefix goes to `route` without the router (which would decode the path,
    walk its prefixes and match the route's pattern, to find the same route: the catch-all
    matches every such path, for every method); any other target that starts with `/` goes
    to the router, which also finds mockpost's own routes.
    """
    resolve = router.resolve

    async def catch_all() -> web.UrlMappingMatchInfo:
        return web.UrlMappingMatchInfo({"tail": ""}, route)

    def every_target(request: web.Request) -> Awaitable[web.UrlMappingMatchInfo]:
        target = request.raw_path
        if decodes_to_itself(target) and not target.startswith(PREFIX):
            return catch_all()
        if request.path.startswith("/"):
            return resolve(request)  # its own coroutine: no extra frame for a usual call
        return catch_all()

    setattr(router, "resolve", every_target)  # noqa: B010 (a method replaced on this object)


App = web.Application


def _told_to_readers(streams: Streams, runtime: Runtime) -> Callable[[Reloaded], None]:
    """Each reload (or failed one) as a `reload` event to the call-log page and other readers."""

    def tell(done: Reloaded) -> None:
        streams.notify(
            "reload",
            {
                "ok": done.ok,
                "version": done.version,
                "examples": done.examples,
                "at": iso_time(runtime.clock()),
                "error": done.error,
            },
        )

    return tell


def create_app(
    runtime: Runtime,
    *,
    delays: Delays | None = None,
    admin: bool = True,
    reloader: Reloader | None = None,
    fallthrough: FallThrough | None = None,
    access: Access | None = None,
    say: Callable[[str], None] | None = None,
) -> App:
    """The aiohttp application that serves the runtime: every target, every method, and
    (unless `admin` is False) mockpost's API and page under `/__mockpost/`.

    `delays` waits out answers' delays (tests give one with their own sleep); with a
    `reloader`, `POST /__mockpost/reload` and an environment in the settings use it;
    `access` says who may use the API (default: calls to a loopback name, `web/guard.py`);
    `say` is told, in a line, each change made through the API (settings, reset, clear).
    """
    app = web.Application(client_max_size=MAX_REQUEST_BODY)
    app[RUNTIME] = runtime
    app[DELAYS] = delays if delays is not None else Delays()
    if admin:
        add_admin(app, access if access is not None else Access())
        if say is not None:
            app[SAY] = say
        if reloader is not None:
            app[RELOADER] = reloader
            reloader.listeners.append(_told_to_readers(app[STREAMS], runtime))
    if fallthrough is not None:
        app[PROXY] = fallthrough
        app.cleanup_ctx.append(fallthrough.forwarder.running)
    catch_all = app.router.add_route("*", r"/{tail:[\s\S]*}", handle)
    _every_target(app.router, catch_all)
    return app
