"""mockpost's own API and page, under `/__mockpost/`: the call log, HAR, routes, health.

Calls to it are not recorded. With an API key set, it needs the key like every call:
`x-api-key`, or `?api_key=` for the page in a browser (never shown in any output).
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable
from importlib.resources import files
from typing import Any

from aiohttp import web

from mockpost.calls.har import har_pieces
from mockpost.calls.views import (
    MAX_LIMIT,
    CallFilter,
    FilterError,
    full,
    iso_time,
    newest_first,
    summary,
    whole_number,
)
from mockpost.errors import MockpostError
from mockpost.lifecycle.reload import Reloader
from mockpost.matching.report import find_routes, routes_json
from mockpost.runtime.headers import key_matches
from mockpost.runtime.patch import SettingsError, patched, settings_json
from mockpost.runtime.runtime import Runtime
from mockpost.version import __version__
from mockpost.web import state_api, workbench
from mockpost.web.events import Streams, stream
from mockpost.web.guard import Access, Refused, check
from mockpost.web.handler import RUNTIME
from mockpost.web.replies import JSON_TYPE, error_reply, json_reply

PREFIX = "/__mockpost"
STREAMS = web.AppKey("streams", Streams)
RELOADER = web.AppKey("reloader", Reloader)  # set when mockpost was started from files
Say = Callable[[str], None]
SAY: web.AppKey[Say] = web.AppKey("say")  # a line for the terminal: what was changed
ACCESS = web.AppKey("access", Access)
_json, _error = json_reply, error_reply
UNAUTHORISED = (
    "This mock server is private: send its API key in x-api-key, or open the page as "
    "/__mockpost/?api_key=KEY (the key given to mockpost serve --api-key or MOCKPOST_API_KEY)."
)
# The page's own script and style only; nothing inline, no frame, no form, no plug-in.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": PAGE_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the page's address may hold the key
}
ASSETS = {"page.js": "text/javascript", "workbench.js": "text/javascript", "page.css": "text/css"}

AdminHandler = Callable[[web.Request, Runtime], Awaitable[web.StreamResponse]]


def _key_given(request: web.Request, key: str) -> bool:
    given = request.headers.get("x-api-key") or request.query.get("api_key", "")
    return key_matches(given, key)


def _guarded(
    handler: AdminHandler, *, public: bool = False
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The handler behind the access rules (`web/guard.py`) and, unless `public` (the page's
    script and style, which hold nothing of the mock's), the private mode's key."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        runtime = request.app[RUNTIME]
        key = runtime.state.settings.api_key
        try:
            check(request, request.app[ACCESS], private=key is not None)
        except Refused as refused:
            return _error(refused.status, refused.message)
        if key is not None and not public and not _key_given(request, key):
            return _error(401, UNAUTHORISED)
        return await handler(request, runtime)

    return guarded


def _filter(request: web.Request, *, limit: int | None = None) -> CallFilter | web.Response:
    params = dict(request.query)
    if limit is not None and "limit" not in params:
        params["limit"] = str(limit)
    try:
        return CallFilter.parse(params)
    except FilterError as error:
        return _error(400, error.message, error.field)


async def health(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    index = runtime.state.index
    reloader = request.app.get(RELOADER)
    reloaded_at = reloader.reloaded_at if reloader is not None else None
    return _json(
        {
            "status": "ok",
            "collection": index.collection.name,
            "examples": len(index.examples),
            "calls": runtime.store.last_id,
            "version": reloader.version if reloader is not None else 1,
            "reloaded_at": iso_time(reloaded_at) if reloaded_at is not None else None,
        }
    )


async def reload(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    reloader = request.app.get(RELOADER)
    if reloader is None:
        return _error(409, "this mock was not started from files: nothing to reload")
    done = await reloader.reload("the API")
    if not done.ok:
        return _error(422, f"{done.error}; version {done.version} keeps serving", "collection")
    return _json({"version": done.version, "examples": done.examples})


async def calls(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    wanted = _filter(request)
    if isinstance(wanted, web.Response):
        return wanted
    total, found = wanted.select(newest_first(runtime.store))
    return _json({"total": total, "calls": [summary(record) for record in found]})


async def one_call(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    text = request.match_info["id"]
    number = whole_number(text, 1 << 62)
    if number is None:
        return _error(400, f"{text!r} is not a call id (a whole number)", "id")
    record = runtime.store.get(number)
    if record is None:
        return _error(404, f"no call {text!r} is kept (the log keeps the last calls only)")
    return _json(full(record))


def _say(request: web.Request, line: str) -> None:
    say = request.app.get(SAY)
    if say is not None:
        say(line)


async def clear(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    runtime.store.clear()
    _say(request, "call log cleared (by the API)")
    return web.Response(status=204)


def base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


async def calls_har(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    wanted = _filter(request, limit=MAX_LIMIT)
    if isinstance(wanted, web.Response):
        return wanted
    _, found = wanted.select(newest_first(runtime.store))
    found.reverse()
    response = web.StreamResponse(
        headers={
            "Content-Type": f"{JSON_TYPE}; charset=utf-8",
            "Content-Disposition": 'attachment; filename="mockpost-calls.har"',
        }
    )
    await response.prepare(request)
    if request.method != "HEAD":
        for piece in har_pieces(found, base_url(request), __version__):  # calls answered between
            await response.write(piece)
            await asyncio.sleep(0)
    await response.write_eof()
    return response


async def events(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    return await stream(request, runtime.store, request.app[STREAMS])


async def routes(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    return _json(routes_json(find_routes(runtime.state.index)))


def _static(name: str, content_type: str) -> web.Response:
    body = files("mockpost.web").joinpath("static", name).read_bytes()
    return web.Response(body=body, content_type=content_type, charset="utf-8", headers=PAGE_HEADERS)


async def page(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    return _static("index.html", "text/html")


async def asset(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in ASSETS:
        return _error(404, f"no {request.path} in mockpost's API")
    return _static(name, ASSETS[name])


def _settings(request: web.Request, runtime: Runtime) -> dict[str, Any]:
    """The settings in force, and the environment file when mockpost serves files."""
    shown = settings_json(runtime.state.settings)
    reloader = request.app.get(RELOADER)
    environment = reloader.environment if reloader is not None else None
    shown["environment"] = str(environment) if environment is not None else None
    return shown


async def settings(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    return _json(_settings(request, runtime))


async def change_settings(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """Every field is checked before anything changes; `environment` (a file, or null)
    rebuilds the index, as a reload does."""
    try:
        patch = json.loads(await request.read() or b"{}")
    except (ValueError, RecursionError):  # RecursionError: nested too deep to be settings
        return _error(400, "the body is not JSON, or is nested too deep", "settings")
    environment = patch.pop("environment", ...) if isinstance(patch, dict) else ...
    try:
        new = patched(runtime.state.settings, patch)
    except SettingsError as error:
        return _error(400, error.message, error.field)
    if environment is not ...:
        reloader = request.app.get(RELOADER)
        if reloader is None:
            return _error(400, "this mock was not started from files", "environment")
        if environment is not None and not isinstance(environment, str):
            return _error(400, "expected the path of an environment file, or null", "environment")
        try:
            chosen = reloader.environment_file(environment) if environment else None
        except MockpostError as error:
            return _error(400, str(error), "environment")
        done = await reloader.switch_environment(chosen)
        if not done.ok:
            return _error(400, str(done.error), "environment")
    runtime.swap(settings=new)
    changed = sorted({*patch, *(["environment"] if environment is not ... else [])})
    _say(request, f"settings changed (by the API): {', '.join(changed) or 'nothing'}")
    return _json(_settings(request, runtime))


async def reset(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """The start-up settings and environment again, and an empty call log."""
    reloader = request.app.get(RELOADER)
    if reloader is not None and reloader.environment != reloader.started_with:
        done = await reloader.switch_environment(reloader.started_with, "a reset")
        if not done.ok:
            return _error(422, f"the start-up environment: {done.error}", "environment")
    runtime.reset()
    _say(request, "reset (by the API): start-up settings and environment, call log emptied")
    return _json(_settings(request, runtime))


def _workbench(handler: workbench.Handler) -> AdminHandler:
    """A handler of the workbench, given the reloader and the terminal's line."""

    async def run(request: web.Request, runtime: Runtime) -> web.StreamResponse:
        say = functools.partial(_say, request)
        return await handler(request, runtime, request.app.get(RELOADER), say)

    return run


async def unknown(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    return _error(404, f"no {request.method} {request.path} in mockpost's API")


def add_admin(app: web.Application, access: Access) -> None:
    """Add the API and the page to the application (before its catch-all route)."""
    app[STREAMS] = Streams()
    app[ACCESS] = access
    router = app.router
    router.add_get(PREFIX, _guarded(page))
    router.add_get(PREFIX + "/", _guarded(page))
    router.add_get(PREFIX + "/{name:[a-z]+\\.(?:js|css)}", _guarded(asset, public=True))
    router.add_get(PREFIX + "/health", _guarded(health))
    router.add_get(PREFIX + "/calls", _guarded(calls))
    router.add_delete(PREFIX + "/calls", _guarded(clear))
    router.add_get(PREFIX + "/calls.har", _guarded(calls_har))
    router.add_get(PREFIX + "/calls/{id}", _guarded(one_call))
    router.add_get(PREFIX + "/events", _guarded(events))
    router.add_get(PREFIX + "/routes", _guarded(routes))
    router.add_get(PREFIX + "/settings", _guarded(settings))
    router.add_patch(PREFIX + "/settings", _guarded(change_settings))
    router.add_post(PREFIX + "/reset", _guarded(reset))
    router.add_post(PREFIX + "/reload", _guarded(reload))
    router.add_get(PREFIX + "/state", _guarded(state_api.view))
    router.add_put(PREFIX + "/scenarios/{name}", _guarded(state_api.set_scenario))
    router.add_post(PREFIX + "/state/reset", _guarded(state_api.reset))
    for method, path, handler in workbench.ROUTES:
        router.add_route(method, PREFIX + path, _guarded(_workbench(handler)))
    router.add_get(PREFIX + "/crud/{prefix:.+}", _guarded(state_api.items))
    router.add_put(PREFIX + "/crud/{prefix:.+}", _guarded(state_api.set_items))
    router.add_route("*", PREFIX + "/{tail:[\\s\\S]*}", _guarded(unknown))
