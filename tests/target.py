"""A real API for the recorder and the proxy to talk to: an aiohttp app on a real port, over
HTTP or HTTPS (a certificate from trustme's own authority), in a thread of its own so that
blocking clients and subprocesses can call it."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import trustme
from aiohttp import web

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + bytes(
    range(256)
)


def target_app() -> web.Application:
    counter = {"n": 0}

    async def user(request: web.Request) -> web.Response:
        user_id = request.match_info["id"]
        if user_id == "404":
            return web.json_response({"error": "no such user"}, status=404)
        return web.json_response({"id": user_id, "seen": dict(request.query)})

    async def users(request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        return web.json_response({"page": page, "users": [page * 10 + i for i in range(3)]})

    async def create(request: web.Request) -> web.Response:
        return web.json_response({"created": await request.json()}, status=201)

    async def update(request: web.Request) -> web.Response:
        form = await request.post()
        return web.json_response({"updated": request.match_info["id"], "form": dict(form)})

    async def delete(request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def upload(request: web.Request) -> web.Response:
        body = await request.read()
        return web.Response(body=body[::-1], content_type="application/octet-stream")

    async def logo(request: web.Request) -> web.Response:
        return web.Response(body=PNG, content_type="image/png")

    async def count(request: web.Request) -> web.Response:
        counter["n"] += 1
        return web.json_response({"count": counter["n"]})

    async def secret(request: web.Request) -> web.Response:
        response = web.json_response({"authorized": "Authorization" in request.headers})
        response.set_cookie("session", "s3cr3t-session")
        return response

    async def whoami(request: web.Request) -> web.Response:
        """Who the caller says it is, without repeating any secret."""
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        user, _, password = base64.b64decode(credentials).decode().partition(":")
        said = {
            "user": user if scheme == "Basic" else None,
            "password_length": len(password),
            "x_api_key_sent": "X-Api-Key" in request.headers,
        }
        return web.json_response(said)

    async def zipped(request: web.Request) -> web.Response:
        body = gzip.compress(json.dumps({"zipped": True}).encode())
        return web.Response(
            body=body, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
        )

    async def moved(request: web.Request) -> web.Response:
        own = f"{request.scheme}://{request.host}/api/users/1"
        raise web.HTTPFound(own)

    app = web.Application()
    app.router.add_get("/api/moved", moved)
    app.router.add_get("/api/users/{id}", user)
    app.router.add_get("/api/users", users)
    app.router.add_post("/api/users", create)
    app.router.add_put("/api/users/{id}", update)
    app.router.add_delete("/api/users/{id}", delete)
    app.router.add_post("/api/upload", upload)
    app.router.add_get("/logo.png", logo)
    app.router.add_get("/api/count", count)
    app.router.add_get("/api/secret", secret)
    app.router.add_get("/api/zipped", zipped)
    app.router.add_get("/api/whoami", whoami)
    return app


@dataclass
class Target:
    url: str  # http(s)://127.0.0.1:PORT
    ca_file: Path | None  # the authority that signed its certificate (HTTPS)


@contextmanager
def running_target(tmp_path: Path, https: bool = False) -> Iterator[Target]:
    context = None
    ca_file = None
    if https:
        authority = trustme.CA()
        certificate = authority.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        ca_file = tmp_path / "ca.pem"
        authority.cert_pem.write_to_path(str(ca_file))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()  # set up on its own loop: the caller may be running one (an async test)
    runner = web.AppRunner(target_app())

    async def start() -> int:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
        port: int = runner.addresses[0][1]
        return port

    port = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    try:
        yield Target(f"{'https' if https else 'http'}://127.0.0.1:{port}", ca_file)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
