"""Shared fixtures: collection builders, a file writer, the app under test, the CLI runner."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from click.testing import CliRunner

from mockpost.calls.arrival import Arrival
from mockpost.calls.record import CallRecord, ExampleRef, How
from mockpost.calls.store import CallStore
from mockpost.matching.index import Index, build_index
from mockpost.postman.reader import load_collection, load_environment
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.web.app import create_app
from mockpost.web.delays import Delays
from mockpost.web.handler import RUNTIME

pytest_plugins = ["pytester"]  # the plugin's own tests run pytest inside pytest

# The app that tests serve sends repeats as `mockpost serve` does, with the fast path of
# web/wire.py, unless the run turns it off (as `scripts/check` does for a second run): then
# every CLI a test starts inherits the variable, and answers without it too.
FAST_REPLIES = os.environ.get("MOCKPOST_NO_FAST_REPLIES", "") in ("", "0", "false")

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
V20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"

NOT_FOUND = (
    b'{"error":{"name":"mockRequestNotFoundError","message":"Double check your method and '
    b'the request path and try again.","header":"No matching requests"}}'
)


def url(raw: str, **extra: Any) -> dict[str, Any]:
    """A URL object as Postman exports it, from a raw string like `{{baseUrl}}/users?x=1`."""
    base, _, query = raw.partition("?")
    host, _, path = base.partition("/")
    out: dict[str, Any] = {"raw": raw, "host": [host], "path": path.split("/") if path else []}
    if query:
        out["query"] = [
            {"key": k, "value": v} for k, _, v in (p.partition("=") for p in query.split("&"))
        ]
    out.update(extra)
    return out


def request(
    method: str = "GET",
    raw: str = "{{baseUrl}}/",
    *,
    headers: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"method": method, "header": headers or [], "url": url(raw)}
    if body is not None:
        out["body"] = body
    return out


def example(
    name: str,
    raw: str = "{{baseUrl}}/",
    *,
    method: str = "GET",
    code: int = 200,
    body: str = "",
    headers: list[dict[str, Any]] | None = None,
    language: str | None = "json",
    request_headers: list[dict[str, Any]] | None = None,
    request_body: dict[str, Any] | None = None,
    id: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "originalRequest": request(method, raw, headers=request_headers, body=request_body),
        "status": "",
        "code": code,
        "header": headers if headers is not None else [],
        "body": body,
    }
    if language is not None:
        out["_postman_previewlanguage"] = language
    if id is not None:
        out["id"] = id
    return out


def item(name: str, *examples: dict[str, Any], raw: str | None = None) -> dict[str, Any]:
    """A request item holding examples (its own URL defaults to the first example's)."""
    first = examples[0]["originalRequest"] if examples else request()
    req = dict(first) if raw is None else request(first["method"], raw)
    return {"name": name, "request": req, "response": list(examples)}


def collection(*items: dict[str, Any], variables: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "info": {"name": "Test collection", "schema": V21, "_postman_id": "test"},
        "item": list(items),
        "variable": [{"key": k, "value": v} for k, v in (variables or {}).items()],
    }


def environment(values: dict[str, str], disabled: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "name": "Test environment",
        "values": [
            {"key": k, "value": v, "enabled": k not in disabled, "type": "default"}
            for k, v in values.items()
        ],
    }


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    """Write a dict (or raw text) to a file in tmp_path and return its path."""

    def write(data: Any, name: str = "test.postman_collection.json") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_index(write_json: Callable[..., Path]) -> Callable[..., Index]:
    def make(data: dict[str, Any], env: dict[str, Any] | None = None) -> Index:
        coll = load_collection(write_json(data))
        environ = load_environment(write_json(env, "env.json")) if env is not None else None
        return build_index(coll, environ)

    return make


Serve = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture
def serve(make_index: Callable[..., Index], aiohttp_client: Any) -> Serve:
    """Start the real aiohttp app on a collection dict; `client.app` holds its state."""

    async def start(
        data: dict[str, Any],
        env: dict[str, Any] | None = None,
        settings: Settings | None = None,
        store: CallStore | None = None,
        clock: Callable[[], float] | None = None,
        monotonic: Callable[[], float] | None = None,
        delays: Delays | None = None,
        fast_replies: bool = FAST_REPLIES,
    ) -> TestClient[Any, Any]:
        index = make_index(data, env)
        clocks: dict[str, Any] = {}
        if clock is not None:
            clocks["clock"] = clock
        if monotonic is not None:
            clocks["monotonic"] = monotonic
        runtime = Runtime(index, settings, store, **clocks)
        client: TestClient[Any, Any] = await aiohttp_client(
            create_app(runtime, delays=delays, fast_replies=fast_replies)
        )
        return client

    return start


def arrival(target: str, method: str = "GET", body: bytes = b"", received: float = 0.0) -> Arrival:
    """A call as the web layer hands it to the runtime, with no headers."""
    path, _, query = target.partition("?")
    return Arrival(method, target, (), bool(body), received, path, query, body)


def runtime_of(client: TestClient[Any, Any]) -> Runtime:
    """The runtime behind a test client's app."""
    runtime: Runtime = client.app[RUNTIME]
    return runtime


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bookshop.postman_collection.json"
EXAMPLE_ENV = ROOT / "examples" / "bookshop.postman_environment.json"


@dataclass
class RunningCli:
    url: str
    process: subprocess.Popen[str]
    banner: str  # what it printed up to and including the "Listening on" line
    _rest: list[str]
    _reader: threading.Thread

    def stop(self) -> str:
        """SIGTERM, then what it printed after the banner."""
        self.process.terminate()
        self.process.wait(timeout=15)
        self._reader.join(timeout=15)
        return "".join(self._rest)


@contextmanager
def running_cli(
    *args: str, env: dict[str, str] | None = None, command: str = "serve"
) -> Iterator[RunningCli]:
    """The real CLI, `python -m mockpost serve ARGS --port 0` (or another command that
    listens, such as record), stopped on the way out.

    Waits for its "Listening on" line (a readline that returns at once when it exits); what
    it prints after is read all along by a thread, so that a full pipe never blocks it.
    """
    environ = {**os.environ, "MOCKPOST_API_KEY": "", "PYTHONUNBUFFERED": "1", **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockpost", command, *args, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environ,
        cwd=ROOT,
    )
    assert process.stdout is not None
    stdout = process.stdout
    banner: list[str] = []
    url = None
    while url is None:
        line = stdout.readline()
        if not line:
            break
        banner.append(line)
        found = re.search(r"Listening on (http://\S+)", line)
        url = found.group(1) if found else None
    if url is None:
        process.kill()
        said = stdout.read()
        stdout.close()
        process.wait(timeout=15)
        raise AssertionError(f"mockpost did not start: {''.join(banner)}{said}")
    rest: list[str] = []
    reader = threading.Thread(target=lambda: rest.extend(stdout), daemon=True)
    reader.start()
    try:
        yield RunningCli(url, process, "".join(banner), rest, reader)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=15)
        reader.join(timeout=15)
        stdout.close()


def http(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, Message]:
    """The tests' one HTTP call with the standard library: (status, body, headers read in
    any case), 4xx and 5xx included."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A plain GET: (status, body)."""
    return http(url, headers=headers)[:2]


def call_api(method: str, url: str, body: Any = None) -> tuple[int, Any]:
    """A call to mockpost's API: (status, JSON answer). A body is sent as JSON (urllib would
    call it a form, which mockpost's API refuses)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    status, answer, _ = http(url, method, data, headers)
    return status, json.loads(answer)


def call_record(**fields: Any) -> CallRecord:
    """A call record with defaults for what a test leaves out.

    `example_name` and `request_name` stand for the example that answered (none when
    `example_name` is None; a 404 defaults to none).
    """
    status = fields.pop("status", 200)
    name = fields.pop("example_name", "ok" if status != 404 else None)
    request_name = fields.pop("request_name", "request")
    example = ExampleRef(name, "id-" + name, request_name or "") if name is not None else None
    how = fields.pop("how", How.SCORE if example is not None else How.NOT_FOUND)
    if example is None and how is How.SCORE:
        how = How.NOT_FOUND
    values: dict[str, Any] = {
        "id": 1,
        "received": 0.0,
        "method": "GET",
        "path": "/",
        "query": "",
        "request_headers": (),
        "request_body": b"",
        "request_body_truncated": False,
        "status": status,
        "response_headers": (),
        "response_body": b"",
        "response_body_truncated": False,
        "how": how,
        "example": example,
        "score": None,
        "path_step": "",
        "explanation": (),
        "notes": (),
        "delay_ms": 0,
        "duration_ms": 0.0,
    }
    values.update(fields)
    return CallRecord(**values)
