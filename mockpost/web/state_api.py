"""The API of a mock's state (docs/admin-api.md): every session's scenario states, a
scenario set to a state, a session (or all) started afresh."""

from __future__ import annotations

import json

from aiohttp import web

from mockpost.runtime.runtime import Runtime
from mockpost.state.crud import Items, Outcome, Resource
from mockpost.state.store import DEFAULT_SESSION
from mockpost.web.replies import error_reply, json_reply


def _state(runtime: Runtime) -> dict[str, object]:
    store = runtime.states
    return {
        "scenarios": dict(store.scenarios),
        "sessions": store.snapshot(),
        "resources": {
            r.prefix: {"id": r.id_field, "uuid": r.uuid_ids} for r in runtime.state.resources
        },
        "items": store.counts(),  # how many each session's resources hold
    }


def _resource(request: web.Request, runtime: Runtime) -> Resource | web.Response:
    prefix = "/" + request.match_info["prefix"].strip("/")
    found = next((r for r in runtime.state.resources if r.prefix == prefix), None)
    if found is None:
        known = ", ".join(r.prefix for r in runtime.state.resources) or "none"
        return error_reply(404, f"no CRUD resource {prefix} (this mock's: {known})", "prefix")
    return found


async def items(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """`GET /__mockpost/crud/PREFIX` (`?session=`): the items the resource holds."""
    resource = _resource(request, runtime)
    if isinstance(resource, web.Response):
        return resource
    session = request.query.get("session", DEFAULT_SESSION)
    held = runtime.states.crud(session, resource, lambda found: Outcome(200, list(found.items)))
    return json_reply(held.body if held is not None else [])


async def set_items(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """`PUT /__mockpost/crud/PREFIX` `[{...}, ...]` (`?session=`): the items it holds now."""
    resource = _resource(request, runtime)
    if isinstance(resource, web.Response):
        return resource
    try:
        given = json.loads(await request.read() or b"null")
    except (ValueError, RecursionError):
        given = None
    if not isinstance(given, list) or not all(isinstance(i, dict) for i in given):
        return error_reply(400, "expected a JSON array of objects", "items")
    session = request.query.get("session", DEFAULT_SESSION)

    def put(found: Items) -> Outcome:
        fresh = Items.start(Resource(resource.prefix, resource.uuid_ids, resource.id_field,
                                     tuple(given)))  # fmt: skip
        found.items, found.next_id = fresh.items, fresh.next_id
        return Outcome(200, list(found.items))

    runtime.states.crud(session, resource, put)
    return json_reply(given)


async def view(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """`GET /__mockpost/state`: each scenario's first state, and every session's states."""
    return json_reply(_state(runtime))


async def set_scenario(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """`PUT /__mockpost/scenarios/NAME` `{"state": "..."}` (`?session=`: not the default)."""
    name = request.match_info["name"]
    if name not in runtime.states.scenarios:
        known = ", ".join(sorted(runtime.states.scenarios)) or "none"
        return error_reply(404, f"no scenario {name!r} (the collection's: {known})", "name")
    try:
        body = json.loads(await request.read() or b"null")
    except (ValueError, RecursionError):
        return error_reply(400, "the body is not JSON", "state")
    state = body.get("state") if isinstance(body, dict) else None
    if not isinstance(state, str) or not state.strip() or len(state) > 200:
        return error_reply(400, 'expected {"state": "a state name"}', "state")
    session = request.query.get("session", DEFAULT_SESSION)
    runtime.states.move(session, name, state.strip())
    return json_reply(_state(runtime))


async def reset(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """`POST /__mockpost/state/reset` (`?session=`: only that one): started afresh."""
    runtime.states.reset(request.query.get("session"))
    return json_reply(_state(runtime))
