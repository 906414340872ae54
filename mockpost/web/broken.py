"""Broken connections on demand: what the client meets instead of a good answer.

* `reset`: a TCP reset (the socket closed with SO_LINGER 0): the client sees "connection
  reset by peer".
* `empty`: the connection closed with no answer: "server disconnected".
* `garbage`: random bytes, then closed: a response that cannot be parsed.
* `truncate`: the status and headers, a Content-Length larger than the body sent, then
  closed: a short read.
* `dribble`: the whole answer, its body in small pieces spread over the call's delay (1 s when
  it has none).

Once the connection is closed by hand, aiohttp's own attempt to send finds it closed and
gives up quietly.
"""

from __future__ import annotations

import socket
import struct

from aiohttp import web

from mockpost.responses.reply import Reply
from mockpost.web.delays import Delays

DRIBBLE_PIECES = 20
DRIBBLE_MS = 1000  # over how long a body dribbles when the call has no delay


async def send_broken(request: web.Request, reply: Reply, delays: Delays) -> web.StreamResponse:
    transport = request.transport
    kind = reply.fault
    if transport is None or transport.is_closing():
        return web.Response()  # the client went away first
    if kind == "reset":
        connection = transport.get_extra_info("socket")
        if connection is not None:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        return web.Response()
    if kind in ("empty", "garbage"):
        if reply.body:
            transport.write(reply.body)
        transport.close()
        return web.Response()
    response = web.StreamResponse(status=reply.status, reason=reply.reason, headers=reply.headers)
    body = reply.body
    if kind == "truncate":
        sent = body[: len(body) // 2]
        response.content_length = max(len(body), len(sent) + 1)
        try:
            await response.prepare(request)
            await response.write(sent)
        except ConnectionError:
            pass  # the client went away first
        transport.close()
        return response
    response.content_length = len(body)  # dribble
    await response.prepare(request)
    if request.method == "HEAD":
        return response  # no body to spread
    size = max(1, -(-len(body) // DRIBBLE_PIECES))
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    pause = (reply.delay_ms or DRIBBLE_MS) / 1000 / max(1, len(pieces))
    try:
        for piece in pieces:
            await response.write(piece)
            await delays.wait(pause)  # a stop ends the waits: the rest goes at once
        await response.write_eof()
    except ConnectionError:
        pass  # the client went away mid-way: nothing more to send
    return response
