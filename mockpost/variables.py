"""`{{name}}` variables: resolution at load time, and templates rendered per call.

Resolution follows the Postman SDK: unknown tokens stay as written, and substitution
repeats while something changes (nested variables), at most 19 passes.

A `Template` is text compiled once into literal parts and slots: wildcard captures and
dynamic variables (`{{$guid}}`...). Rendering a call's values inserts them as data: a captured
value that itself looks like `{{$guid}}` is not expanded again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mockpost.dynamic import DYNAMIC_VARIABLES

TOKEN = re.compile(r"\{\{([^{}]*?)\}\}")
MAX_PASSES = 19


def resolve(text: str, lookup: Mapping[str, str]) -> str:
    """Replace every known `{{name}}`, repeatedly, as Postman does."""
    if "{{" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        return lookup.get(match.group(1), match.group(0))

    for _ in range(MAX_PASSES):
        new = TOKEN.sub(value, text)
        if new == text:
            break
        text = new
    return text


def unresolved(text: str) -> list[str]:
    """Names of the `{{name}}` tokens left in text (dynamic `{{$…}}` ones excluded)."""
    return [m.group(1) for m in TOKEN.finditer(text) if not m.group(1).startswith("$")]


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a template filled per call: a capture or a dynamic variable."""

    kind: str  # "capture" or "dynamic"
    name: str


Part = str | Slot
Generator = Callable[[str], str]  # dynamic variable name -> fresh value


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple[Part, ...]
    static: str | None  # the whole text when it has no slot: nothing to do per call

    def render(self, captures: Mapping[str, str], dynamic: Generator) -> str:
        if self.static is not None:
            return self.static
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part.kind == "capture":
                out.append(captures.get(part.name, "{{" + part.name + "}}"))
            else:
                out.append(dynamic(part.name))
        return "".join(out)


def compile_template(text: str, captures: frozenset[str] = frozenset()) -> Template:
    """Split text into literal parts and slots for the captures and known dynamic variables."""
    parts: list[Part] = []
    last = 0
    for match in TOKEN.finditer(text):
        name = match.group(1)
        if name in captures:
            slot = Slot("capture", name)
        elif name.startswith("$") and name[1:] in DYNAMIC_VARIABLES:
            slot = Slot("dynamic", name[1:])
        else:
            continue
        if match.start() > last:
            parts.append(text[last : match.start()])
        parts.append(slot)
        last = match.end()
    if not any(isinstance(p, Slot) for p in parts):
        return Template(parts=(text,), static=text)
    if last < len(text):
        parts.append(text[last:])
    return Template(parts=tuple(parts), static=None)
