"""The workbench's API (docs/admin-api.md): examples saved into the collection the mock
serves — from fields or from a call of the log — changed, copied or removed, and requests
added, each written into the file or tree (`lifecycle/changes.py`), reloaded, and said in the
terminal; and what the page's forms read: an example as it is served, the requests and
folders a new example can go into.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from mockpost.errors import MockpostError
from mockpost.lifecycle.changes import (
    FieldError,
    call_of,
    copying,
    editing,
    example_of,
    fingerprint,
    in_file,
    removing,
    served_example,
)
from mockpost.lifecycle.new_request import adding_request, new_request
from mockpost.lifecycle.write import (
    Change,
    ConflictError,
    NotWritable,
    adding_example,
    write_change,
)
from mockpost.postman.edit import EditError
from mockpost.postman.model import Example
from mockpost.runtime.runtime import Runtime
from mockpost.web.replies import error_reply, json_reply


async def fields_of(request: web.Request) -> dict[str, Any] | web.Response:
    """The call's JSON object, or the 400 that says it is not one."""
    try:
        fields = json.loads(await request.read() or b"null")
    except (ValueError, RecursionError):
        return error_reply(400, "the body is not JSON", "body")
    if not isinstance(fields, dict):
        return error_reply(400, "expected a JSON object", "body")
    return fields


def field_reply(error: FieldError) -> web.Response:
    """A field that makes no sense: 404 for a call or an example that is not there, else 400."""
    missing = error.field in ("call", "id", "copy")
    return error_reply(404 if missing else 400, error.message, error.field)


async def written(reloader: Any, change: Change, cause: str) -> web.Response | None:
    """The change written into the collection and the collection reloaded: None, else the
    reply that says why not (409 when it changed on disk since it was loaded)."""
    try:
        written_stamp = await asyncio.to_thread(
            write_change, reloader.collection, reloader.loaded_stamp, change
        )
    except FieldError as error:
        return field_reply(error)
    except ConflictError as error:
        return error_reply(409, str(error), "collection")
    except (EditError, NotWritable) as error:
        return error_reply(400, str(error), "collection")
    except MockpostError as error:
        return error_reply(500, str(error), "collection")
    reloader.loaded_stamp = written_stamp
    done = await reloader.reload(cause)
    if not done.ok:
        return error_reply(500, f"written, but the reload failed: {done.error}", "collection")
    return None


Say = Callable[[str], None]


async def add(request: web.Request, runtime: Runtime, reloader: Any, say: Say) -> web.Response:
    fields = await fields_of(request)
    if isinstance(fields, web.Response):
        return fields
    if "copy" in fields:
        return await duplicate(request, runtime, reloader, say, fields)
    try:
        item, example = example_of(runtime, fields)
    except FieldError as error:
        return field_reply(error)
    change = adding_example(item.where, example)
    failed = await written(reloader, change, "an example saved (the API)")
    if failed is not None:
        return failed
    say(f"an example was saved into the collection: {example['name']!r} of {item.name!r}")
    said = {
        "request": item.name,
        "where": item.where,
        "example": example,
        "version": reloader.version,
    }
    return json_reply(said, 201)


async def duplicate(
    request: web.Request, runtime: Runtime, reloader: Any, say: Say, fields: dict[str, Any]
) -> web.Response:
    """`POST /__mockpost/examples` with `"copy": ID`: the example copied beside itself, with
    the fields given (another status, say: the usual way to add the 404 next to the 200)."""
    try:
        saved = served_example(runtime, str(fields["copy"]), "copy").example
        change = copying(saved.where, {"name": f"{saved.name} (copy)"} | fields)
    except FieldError as error:
        return field_reply(error)
    if (refused := _read_as(request, saved)) is not None:
        return refused
    failed = await written(reloader, change, "an example copied (the API)")
    if failed is not None:
        return failed
    say(f"an example was copied in the collection: {saved.name!r}")
    return json_reply({"copied": saved.id, "version": reloader.version}, 201)


async def change(request: web.Request, runtime: Runtime, reloader: Any, say: Say) -> web.Response:
    """`PUT /__mockpost/examples/{id}` (name, code, headers, body: those given change) and
    `DELETE /__mockpost/examples/{id}`: the example edited or removed in the file."""
    fields: dict[str, Any] = {}
    if request.method == "PUT":
        given = await fields_of(request)
        if isinstance(given, web.Response):
            return given
        fields = given
    try:
        saved = served_example(runtime, request.match_info["id"]).example
        where, name = saved.where, saved.name
        change = editing(where, fields) if request.method == "PUT" else removing(where)
    except FieldError as error:
        return field_reply(error)
    if (refused := _read_as(request, saved)) is not None:
        return refused
    failed = await written(reloader, change, "an example changed (the API)")
    if failed is not None:
        return failed
    done = "removed from" if request.method == "DELETE" else "changed in"
    say(f"an example was {done} the collection: {name!r}")
    if request.method == "DELETE":
        return web.Response(status=204)
    now = runtime.state.index.by_id.get(request.match_info["id"], ())
    etag = fingerprint(now[0].example) if now else None
    return json_reply({"where": where, "version": reloader.version, "etag": etag})


def _read_as(request: web.Request, saved: Example) -> web.Response | None:
    """412 when the call says which content it read (`If-Match`, the `etag` of `GET
    /__mockpost/examples/{id}`) and the example holds other content now."""
    wanted = request.headers.get("If-Match")
    if wanted is None:
        return None
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in wanted.split(",")}
    if "*" in tags or fingerprint(saved) in tags:
        return None
    return error_reply(
        412,
        "the example changed since it was read (in another page, or in the file): open it again",
        "id",
    )


def writable(runtime: Runtime, reloader: Any) -> web.Response | None:
    if runtime.state.settings.read_only:
        return error_reply(403, "this mock is read-only (--read-only): nothing is written")
    version = runtime.state.index.collection.schema_version[:1]
    if reloader is None or not reloader.collection.exists():
        return error_reply(400, "this mock serves no collection file to write into")
    if version not in ("2", "3", ""):
        return error_reply(400, "an API definition is served: there is no file to write into")
    if reloader.collection.is_dir() != (version == "3"):
        return error_reply(400, "this mock serves no collection file to write into")
    return None


async def add_request(
    request: web.Request, runtime: Runtime, reloader: Any, say: Say
) -> web.Response:
    """`POST /__mockpost/requests`: a new request with its example, in a folder or at the top."""
    fields = await fields_of(request)
    if isinstance(fields, web.Response):
        return fields
    try:
        item = new_request(fields, call_of(runtime, fields))
    except FieldError as error:
        return field_reply(error)
    change = adding_request(fields.get("folder"), item)
    failed = await written(reloader, change, "a request added (the API)")
    if failed is not None:
        return failed
    say(f"a request was added to the collection: {item['name']!r}")
    return json_reply({"request": item, "version": reloader.version}, 201)


def _example_json(runtime: Runtime, found: Any) -> dict[str, Any]:
    example = found.example
    return {
        "id": found.id,
        "name": example.name,
        "code": example.code,
        "headers": [[k, v] for k, v in example.headers],
        "body": example.body,
        "binary": example.raw_body is not None,  # bytes served as they are: not edited here
        "request": example.request_name,
        "method": found.method,
        "path": found.path.text,
        "where": example.where,
        "in_file": in_file(runtime.state.index.collection, example.where),
        "etag": fingerprint(example),  # send it back as If-Match to change what was read
    }


async def one_example(
    request: web.Request, runtime: Runtime, reloader: Any, say: Say
) -> web.Response:
    """`GET /__mockpost/examples/{id}`: the example as it is served, for the page's editor."""
    found = runtime.state.index.by_id.get(request.match_info["id"], ())
    if not found:
        return error_reply(404, f"no example {request.match_info['id']!r} is served", "id")
    shown = json_reply(_example_json(runtime, found[0]))
    shown.headers["ETag"] = f'"{fingerprint(found[0].example)}"'
    return shown


async def requests_list(
    request: web.Request, runtime: Runtime, reloader: Any, say: Say
) -> web.Response:
    """`GET /__mockpost/requests`: the collection's requests and folders (their names and
    places), what the page offers to save an example into; `writable`: whether it can."""
    collection = runtime.state.index.collection
    requests = [item for item in collection.requests if in_file(collection, item.where)]
    folders: dict[str, str] = {}
    for item in requests:
        parent = item.where.rsplit(".item[", 1)[0]
        for depth in range(len(item.folders), 0, -1):
            folders.setdefault(parent, " / ".join(item.folders[:depth]))
            parent = parent.rsplit(".item[", 1)[0]
    return json_reply(
        {
            "requests": [
                {
                    "where": item.where,
                    "name": item.name,
                    "method": item.request.method,
                    "url": item.request.url.raw,
                    "folders": list(item.folders),
                }
                for item in requests
            ],
            "folders": [{"where": w, "name": n} for w, n in sorted(folders.items(), key=_by_name)],
            "writable": writable(runtime, reloader) is None,
        }
    )


def _by_name(entry: tuple[str, str]) -> str:
    return entry[1].lower()


Handler = Callable[[web.Request, Runtime, Any, Say], Awaitable[web.Response]]


def a_write(handler: Handler) -> Handler:
    """The write handler, refused when the mock writes nothing (`writable`), else run while
    no other write runs: two pages saving at once both land, and an example named by its
    place is the one the index said."""

    async def run(request: web.Request, runtime: Runtime, reloader: Any, say: Say) -> web.Response:
        refused = writable(runtime, reloader)
        if refused is not None:
            return refused
        async with reloader.writing:
            return await handler(request, runtime, reloader, say)

    return run


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/requests", requests_list),
    ("POST", "/requests", a_write(add_request)),
    ("POST", "/examples", a_write(add)),
    ("GET", "/examples/{id}", one_example),
    ("PUT", "/examples/{id}", a_write(change)),
    ("DELETE", "/examples/{id}", a_write(change)),
)
