"""An example's response prepared once, the first time it is served.

Headers are cleaned (length, encoding and hop-by-hop headers are computed by the server, never
copied; invalid names are left out), a Content-Type is derived from the preview language when
the example has none, and the body is compiled into a template (kept encoded when it holds
nothing dynamic). `Responses` prepares each example's response on first use: a collection of
20,000 examples starts without preparing 20,000 responses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeGuard

from mockpost.calls.body import NOT_JSON, media_type, parse_json
from mockpost.hop_by_hop import HOP_BY_HOP
from mockpost.matching.compile import IndexedExample
from mockpost.matching.index import Index
from mockpost.postman.model import Example
from mockpost.postman.variables import TOKEN
from mockpost.responses.templates import Template, compile_template
from mockpost.text import header_safe

# Headers the server computes or that describe one connection: never copied from an example.
SKIPPED_RESPONSE_HEADERS = HOP_BY_HOP | {
    "content-length",
    "content-encoding",
    "date",  # the server sends the current date, never a saved one
}

# RFC 9110 token characters: anything else could not be sent as a header name.
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def header_problem(name: str, value: str) -> str | None:
    """What keeps a header from being sent as it is (a name that is not a token, or a value
    holding a control character), or None."""
    if HEADER_NAME.fullmatch(name) is None:
        return f"{name!r} is not a header name"
    if header_safe(value) != value:
        return f"{name}'s value holds a control character"
    return None


CONTENT_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "text": "text/plain",
}


@dataclass(frozen=True, slots=True)
class PreparedResponse:
    status: int
    reason: str | None
    headers: tuple[tuple[str, Template], ...]
    body: Template
    static_body: bytes | None  # the encoded body, when it holds nothing dynamic
    static_headers: tuple[tuple[str, str], ...] | None  # the headers, when none is dynamic
    reads_request: bool  # a template reads the call ($body, $headers...)
    dynamic_names: frozenset[str]  # the {{$…}} variables its templates use
    saved_cors: tuple[tuple[str, str], ...]  # its Access-Control-* headers, served on request
    notes: tuple[str, ...]  # what was changed to make it servable

    @property
    def final(self) -> bool:
        """Whether it is the same for every call its example answers (captures aside)."""
        return not self.reads_request and not self.dynamic_names


def _reason(status: str) -> str | None:
    """The example's status text, when it can stand in a status line."""
    status = status.strip()
    if status and status.isprintable() and status.isascii():
        return status
    return None


def _is_json(text: str, content_type: str, example: Example) -> bool:
    """Whether a response body is JSON: declared so, or parses once its tokens are blanked."""
    media = media_type(content_type)
    if media.endswith("json") or (not media and example.language == "json"):
        return True
    return "{{" in text and parse_json(TOKEN.sub("0", text)) is not NOT_JSON


def _prepare(
    example: Example, res: Callable[[str], str], captures: frozenset[str]
) -> PreparedResponse:
    headers: list[tuple[str, Template]] = []
    names: set[str] = set()
    saved_cors: list[tuple[str, str]] = []
    notes: list[str] = []
    for key, raw_value in example.headers:
        name = key.strip()
        if not name or name.lower() in SKIPPED_RESPONSE_HEADERS:
            continue
        if HEADER_NAME.fullmatch(name) is None:
            continue  # not a valid header name: it could not be sent
        value = header_safe(res(raw_value))
        if value != res(raw_value):
            notes.append(f"header {name}: control characters percent-encoded")
        if name.lower().startswith("access-control-"):
            saved_cors.append((name, value))
            continue
        headers.append((name, compile_template(value, captures)))
        names.add(name.lower())
    if "content-type" not in names and example.language in CONTENT_TYPES:
        headers.append(("Content-Type", compile_template(CONTENT_TYPES[example.language])))
    text = res(example.body) if example.raw_body is None else ""
    content_type = next((v.render({}, str) for n, v in headers if n.lower() == "content-type"), "")
    body = compile_template(text, captures, json_text=_is_json(text, content_type, example))
    slots = [slot for template in (body, *(t for _, t in headers)) for slot in template.slots]
    static_headers = tuple((name, template.static) for name, template in headers)
    return PreparedResponse(
        status=example.code,
        reason=_reason(example.status),
        headers=tuple(headers),
        body=body,
        static_body=(
            example.raw_body
            if example.raw_body is not None
            else body.static.encode("utf-8", "replace")
            if body.static is not None
            else None
        ),
        static_headers=static_headers if _all_text(static_headers) else None,
        reads_request=any(slot.kind == "request" for slot in slots),
        dynamic_names=frozenset(slot.name for slot in slots if slot.kind == "dynamic"),
        saved_cors=tuple(saved_cors),
        notes=tuple(notes),
    )


def _all_text(
    headers: tuple[tuple[str, str | None], ...],
) -> TypeGuard[tuple[tuple[str, str], ...]]:
    return all(value is not None for _, value in headers)


def prepare_response(indexed: IndexedExample) -> PreparedResponse:
    """The example's response, variables resolved, ready to render."""
    return _prepare(indexed.example, indexed.resolve, frozenset(indexed.path.wildcards))


def may_be_dynamic(example: Example) -> bool:
    """Whether its response may hold `{{$…}}` variables (a cheap look, before preparing)."""
    if "{{$" in example.body:
        return True
    for _, value in example.headers:  # noqa: SIM110 (any() makes a generator per example)
        if "{{$" in value:
            return True
    return False


class Responses:
    """The prepared responses of one index's examples, each made on first use."""

    __slots__ = ("_fresh", "_prepared", "index")

    def __init__(self, index: Index) -> None:
        self.index = index
        self._prepared: list[PreparedResponse | None] = [None] * len(index.examples)
        self._fresh: dict[int, PreparedResponse] = {}  # the `dynamic_body` twins

    def of(self, example: IndexedExample, fresh: bool = False) -> PreparedResponse:
        """The example's response; `fresh`: its dynamic twin, where it has one."""
        if fresh and example.example.dynamic_body is not None:
            return self._twin(example)
        found = self._prepared[example.position]
        if found is None:
            found = self._prepared[example.position] = prepare_response(example)
        return found

    def _twin(self, example: IndexedExample) -> PreparedResponse:
        found = self._fresh.get(example.position)
        if found is None:
            drawn = replace(example.example, body=example.example.dynamic_body or "")
            wildcards = frozenset(example.path.wildcards)
            found = self._fresh[example.position] = _prepare(drawn, example.resolve, wildcards)
        return found

    def dynamic_names(self) -> frozenset[str]:
        """Every `{{$…}}` variable the responses use (preparing those that may hold one)."""
        names: set[str] = set()
        for example in self.index.examples:
            if may_be_dynamic(example.example):
                names |= self.of(example).dynamic_names
            if example.example.dynamic_body is not None:
                names |= self.of(example, fresh=True).dynamic_names
        return frozenset(names)
