"""Response text compiled once into literal parts and slots, rendered per call.

Slots are wildcard captures, dynamic variables (`{{$guid}}`...) and request helpers
(`{{$body 'a.b'}}`...). Rendering inserts the values in one pass, as data: a value that itself
looks like `{{$guid}}` is not expanded again. In a JSON body, a value inserted inside a string
literal is escaped, so that the body stays valid JSON whatever the value holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from mockpost.postman.variables import TOKEN
from mockpost.responses.dynamic import DYNAMIC_VARIABLES
from mockpost.responses.helpers import RequestView, parse_helper, request_value


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a template filled per call."""

    kind: str  # "capture", "dynamic" or "request"
    name: str  # the wildcard, the dynamic variable, or the helper (body, headers...)
    args: tuple[str, ...] = ()
    in_json_string: bool = False  # the value is escaped to stay inside a JSON string


Part = str | Slot
Generator = Callable[[str], str]  # dynamic variable name -> fresh value


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple[Part, ...]
    static: str | None  # the whole text when it has no slot: nothing to do per call

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple(p for p in self.parts if isinstance(p, Slot))

    def render(
        self,
        captures: Mapping[str, str],
        dynamic: Generator,
        request: RequestView | None = None,
    ) -> str:
        if self.static is not None:
            return self.static
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            if part.kind == "capture":
                value = captures.get(part.name, "{{" + part.name + "}}")
            elif part.kind == "dynamic":
                value = dynamic(part.name)
            elif request is not None:
                value = request_value(part.name, part.args, request)
            else:
                value = ""
            out.append(
                json.dumps(value, ensure_ascii=False)[1:-1] if part.in_json_string else value
            )
        return "".join(out)


def _slot(token: str, captures: frozenset[str]) -> Slot | None:
    if token in captures:
        return Slot("capture", token)
    if token.startswith("$") and token[1:] in DYNAMIC_VARIABLES:
        return Slot("dynamic", token[1:])
    helper = parse_helper(token)
    if helper is not None:
        return Slot("request", helper[0], helper[1])
    return None


def _string_states(text: str, ends: list[int]) -> list[bool]:
    """For each offset in ends (ascending), whether it lies inside a JSON string literal.

    Token texts between offsets are skipped by the caller replacing them with blanks.
    """
    states: list[bool] = []
    inside = escaped = False
    position = 0
    for end in ends:
        for char in text[position:end]:
            if escaped:
                escaped = False
            elif char == "\\" and inside:
                escaped = True
            elif char == '"':
                inside = not inside
        states.append(inside)
        position = end
    return states


def compile_template(
    text: str, captures: frozenset[str] = frozenset(), *, json_text: bool = False
) -> Template:
    """Split text into literal parts and slots (captures, dynamic variables, request helpers).

    With json_text, a slot inside a JSON string literal is marked so that its value is
    escaped: the body stays valid JSON whatever the value holds.
    """
    found: list[tuple[re.Match[str], Slot]] = []
    for match in TOKEN.finditer(text):
        slot = _slot(match.group(1), captures)
        if slot is not None:
            found.append((match, slot))
    if not found:
        return Template(parts=(text,), static=text)
    if json_text:
        blanked = TOKEN.sub(lambda m: " " * len(m.group(0)), text)
        states = _string_states(blanked, [m.start() for m, _ in found])
        found = [
            (m, replace(slot, in_json_string=state))
            for (m, slot), state in zip(found, states, strict=True)
        ]
    parts: list[Part] = []
    last = 0
    for match, slot in found:
        if match.start() > last:
            parts.append(text[last : match.start()])
        parts.append(slot)
        last = match.end()
    if last < len(text):
        parts.append(text[last:])
    return Template(parts=tuple(parts), static=None)
