"""Shared fixtures: collection builders, a file writer, the app under test, the CLI runner."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from click.testing import CliRunner

from mockpost.calllog import CallLog
from mockpost.collection import load_collection, load_environment
from mockpost.config import ServerConfig
from mockpost.index import Index, build_index
from mockpost.server import create_app

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
        config: ServerConfig | None = None,
        calls: CallLog | None = None,
    ) -> TestClient[Any, Any]:
        client: TestClient[Any, Any] = await aiohttp_client(
            create_app(make_index(data, env), config, calls)
        )
        return client

    return start


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
