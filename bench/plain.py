"""The ceiling: a plain aiohttp app that answers every path with the same fixed bytes.

python bench/plain.py --port PORT
"""

from __future__ import annotations

import sys

from aiohttp import web

BODY = b'{"resource": "resource1", "item": "7", "ok": true}'


async def handle(request: web.Request) -> web.Response:
    return web.Response(body=BODY, content_type="application/json")


def main() -> None:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    web.run_app(
        app,
        host="127.0.0.1",
        port=int(sys.argv[sys.argv.index("--port") + 1]),
        access_log=None,
        print=None,
    )


if __name__ == "__main__":
    main()
