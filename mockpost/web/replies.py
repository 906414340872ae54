"""The JSON answers of mockpost's own API: data, or an error in one shape."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

JSON_TYPE = "application/json"


def json_reply(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(data, ensure_ascii=False).encode(),
        content_type=JSON_TYPE,
        charset="utf-8",
    )


def error_reply(status: int, message: str, field: str | None = None) -> web.Response:
    error: dict[str, Any] = {"message": message}
    if field is not None:
        error["field"] = field
    return json_reply({"error": error}, status)
