"""Replies for each way a call is answered: an example, not found, a preflight, and the rest.

The bodies of mockpost's own answers are JSON in Postman's error shape; the not-found body is
Postman's, byte for byte, since clients and tests compare it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

from mockpost.calls.call import Call
from mockpost.calls.record import Closest, Headers, How
from mockpost.matching.match import Decision
from mockpost.responses.helpers import RequestView
from mockpost.responses.prepare import HEADER_NAME, PreparedResponse
from mockpost.responses.reply import Reply
from mockpost.text import header_safe

NOT_FOUND_BODY = (
    b'{"error":{"name":"mockRequestNotFoundError","message":"Double check your method and '
    b'the request path and try again.","header":"No matching requests"}}'
)
UNAUTHORIZED_BODY = (
    b'{"error":{"name":"unauthorizedError","message":"This mock server is private: send its '
    b'API key in the x-api-key header."}}'
)
INTERNAL_ERROR_BODY = (
    b'{"error":{"name":"mockpostInternalError","message":"mockpost failed to answer this call; '
    b'its call log says why."}}'
)
JSON_HEADERS: Headers = (("Content-Type", "application/json"),)
ALL_METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = "86400"


def _rendered_headers(
    response: PreparedResponse,
    captures: Mapping[str, str],
    dynamic: Callable[[str], str],
    view: RequestView | None,
) -> tuple[Headers, tuple[str, ...]]:
    """The headers with their templates filled; a value that came out holding a control
    character (a capture or a template reading the call) is percent-encoded and noted."""
    headers: list[tuple[str, str]] = []
    notes: list[str] = []
    for name, template in response.headers:
        value = template.render(captures, dynamic, view)
        if template.static is None:
            safe = header_safe(value)
            if safe != value:
                notes.append(f"header {name}: control characters percent-encoded")
                value = safe
        headers.append((name, value))
    return tuple(headers), tuple(notes)


def example_reply(
    decision: Decision,
    response: PreparedResponse,
    call: Call,
    dynamic: Callable[[str], str],
    delay_ms: int,
    keep_cors_headers: bool = False,
) -> Reply:
    """The example's response, its templates rendered for this call."""
    assert decision.example is not None
    captures = decision.captures
    view = None
    if response.reads_request:
        view = RequestView(call.path, call.query, call.headers, call.parsed_body)
    headers: Headers
    notes = decision.notes + response.notes
    if response.static_headers is not None:
        headers = response.static_headers
    else:
        headers, header_notes = _rendered_headers(response, captures, dynamic, view)
        notes += header_notes
    if keep_cors_headers and response.saved_cors:
        headers = (*headers, *response.saved_cors)
    body = response.static_body
    if body is None:
        body = response.body.render(captures, dynamic, view).encode("utf-8", "replace")
    return Reply(
        response.status,
        headers,
        body,
        decision.how,
        reason=response.reason,
        example=decision.example.ref,
        score=decision.score if decision.how is How.SCORE else None,
        path_step=decision.path_step,
        notes=notes,
        delay_ms=delay_ms,
        # Nothing in it changes from call to call: the captures come from the path.
        final=response.final,
    )


def not_found_reply(decision: Decision, delay_ms: int) -> Reply:
    explanation = tuple(
        Closest(m.example.method, m.example.path.text, m.example.name, m.reason)
        for m in decision.misses
    )
    if decision.offered:  # Prism's Prefer: code=N, which the operation does not define
        codes = ", ".join(map(str, decision.offered))
        asked = decision.directives.code
        said = {
            "name": "mockRequestNotFoundError",
            "message": f"No example answers with code {asked}; this request's codes: {codes}.",
            "header": "No matching requests",
        }
        return Reply(
            404,
            JSON_HEADERS,
            json.dumps({"error": said}).encode(),
            How.NOT_FOUND,
            explanation=explanation,
            notes=(*decision.notes, f"Prefer: code={asked}: the request has {codes}"),
            delay_ms=delay_ms,
        )
    return Reply(
        404,
        JSON_HEADERS,
        NOT_FOUND_BODY,
        How.NOT_FOUND,
        explanation=explanation,
        notes=decision.notes,
        delay_ms=delay_ms,
        final=True,
    )


def unauthorized_reply() -> Reply:
    return Reply(401, JSON_HEADERS, UNAUTHORIZED_BODY, How.UNAUTHORIZED)


def server_response_reply(code: int, body: bytes | None, headers: Headers, delay_ms: int) -> Reply:
    """The active server response: that 5xx for every call."""
    if body is None:
        message = f"This mock server answers every call with {code} (its server response)."
        body = json.dumps({"error": {"name": "serverError", "message": message}}).encode()
        headers = (*JSON_HEADERS, *headers)
    return Reply(code, headers, body, How.SERVER_RESPONSE, delay_ms=delay_ms)


def preflight_reply(
    methods: Iterable[str], requested_headers: str | None, requested_method: str | None = None
) -> Reply:
    """mockpost's own answer to a CORS preflight that no OPTIONS example answers: the
    path's methods, and the method asked for even when no example of the path has it (as
    Postman's mock answers any preflight), so that the call itself comes and a browser shows
    mockpost's not-found answer, not a CORS error."""
    allowed_methods = list(methods)
    wanted = (requested_method or "").strip().upper()
    if wanted and HEADER_NAME.fullmatch(wanted) and wanted not in allowed_methods:
        allowed_methods.append(wanted)
    allowed = ", ".join(allowed_methods) or ALL_METHODS
    headers: Headers = (
        ("Access-Control-Allow-Methods", allowed),
        ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE),
    )
    if requested_headers:
        headers += (("Access-Control-Allow-Headers", requested_headers),)
    return Reply(204, headers, b"", How.PREFLIGHT)


def internal_error_reply(exc: BaseException) -> Reply:
    note = f"mockpost failed: {type(exc).__name__}: {exc}"
    return Reply(500, JSON_HEADERS, INTERNAL_ERROR_BODY, How.INTERNAL_ERROR, notes=(note,))
