"""The aiohttp application around a runtime."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiohttp import hdrs, web
from yarl import URL

from mockpost.calls.views import iso_time
from mockpost.lifecycle.reload import Reloaded, Reloader
from mockpost.runtime.runtime import Runtime
from mockpost.web.admin import RELOADER, SAY, STREAMS, add_admin
from mockpost.web.delays import Delays
from mockpost.web.events import Streams
from mockpost.web.fallthrough import PROXY, FallThrough
from mockpost.web.guard import Access
from mockpost.web.handler import DELAYS, FAST_REPLIES, MAX_REQUEST_BODY, RUNTIME, handle
from mockpost.web.wire import FastReplies

log = logging.getLogger("mockpost.web")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class EveryTarget(web.AbstractResource):
    """The mock's catch-all, registered with the router as any resource is: every call that
    no other route of the app takes comes here, with every method, whatever its path (one
    holding a newline, `*` of `OPTIONS *`).

    The router tries it last: it is indexed under `/`, which every walk of the router over a
    target's prefixes ends at, after the longer prefixes of mockpost's own routes. (A
    `CONNECT host:port` has no path to walk: aiohttp answers it 404 before any handler,
    aio-libs/aiohttp#3257.)
    """

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.route = web.ResourceRoute(hdrs.METH_ANY, handler, self)

    @property
    def canonical(self) -> str:
        return "/"

    def url_for(self, **kwargs: str) -> URL:
        return URL.build(path="/")

    async def resolve(self, request: web.Request) -> tuple[web.UrlMappingMatchInfo, set[str]]:
        return web.UrlMappingMatchInfo({}, self.route), {hdrs.METH_ANY}

    def add_prefix(self, prefix: str) -> None:
        raise NotImplementedError("mockpost's catch-all serves its own app, not a sub-app")

    def get_info(self) -> Any:  # aiohttp's own type for it is not public
        return {"path": "/"}

    def raw_match(self, path: str) -> bool:
        return True

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[web.AbstractRoute]:
        return iter((self.route,))


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
                "cause": done.cause,  # "an example saved (the API)": a write of the workbench
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
    fast_replies: bool = False,
) -> App:
    """The aiohttp application that serves the runtime: every target, every method, and
    (unless `admin` is False) mockpost's API and page under `/__mockpost/`.

    `delays` waits out answers' delays (tests give one with their own sleep); with a
    `reloader`, `POST /__mockpost/reload` and an environment in the settings use it;
    `access` says who may use the API (default: calls to a loopback name, `web/guard.py`);
    `say` is told, in a line, each change made through the API (settings, reset, clear);
    `fast_replies`: send a kept reply's repeats as bytes made once, where nothing rules it
    out (`web/wire.py`; for a server mockpost owns whole: the `mockpost` command).
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
    app.router.register_resource(EveryTarget(handle))
    fast = app[FAST_REPLIES] = FastReplies(fast_replies)
    told = say if say is not None else log.warning
    app.on_startup.append(lambda app: fast.decide(app, told))
    return app
