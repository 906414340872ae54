"""State markers written in a collection, so that they travel with it and can be edited in
Postman: a tag at the end of an example's name, or of a request's.

    Item added [cart: empty -> has-items]    requires the scenario `cart` in state `empty`,
                                             and moves it to `has-items` when it answers
    Cart with items [cart: has-items]        requires `has-items`, moves nothing
    Cart emptied [cart: * -> empty]          any state; moves it to `empty`
    Flaky login [in-turn]                    (a request) its best examples answer in turn
    Any order [random]                       (a request) one of its best examples at random

The tag is not part of the name: `x-mock-response-name` finds the example with or without it.
The same tags may stand, one per line, in a fenced block of an example's or a request's
description (```mockpost ... ```), as v3 examples and descriptions allow.
Scenario and state names are text without `[`, `]`, `:` or `->`; spaces around them are not
part of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANY = "*"
STARTED = "Started"
SCENARIO_TAG = re.compile(
    r"\s*\[\s*(?P<scenario>[^\[\]:]+?)\s*:\s*(?P<required>[^\[\]:]+?)\s*"
    r"(?:->\s*(?P<next>[^\[\]:]+?)\s*)?\]\s*$"
)
MODE_TAG = re.compile(r"\s*\[\s*(?P<mode>in-turn|random)\s*\]\s*$", re.IGNORECASE)
MODES = ("score", "in-turn", "random")
FENCED = re.compile(r"```mockpost[^\S\n]*\n(.*?)```", re.DOTALL)


def fenced(description: object) -> str:
    """The tags of a description's fenced blocks (```mockpost ... ```), one per line."""
    if not isinstance(description, str) or "```mockpost" not in description:
        return ""
    lines = (line.strip() for block in FENCED.findall(description) for line in block.splitlines())
    return "\n".join(line for line in lines if line)


def marked(name: str, marks: str) -> tuple[str, ScenarioTag | None, str]:
    """An example's display name, scenario tag and its request's mode, from the tags ending
    its names and those of the descriptions' fenced blocks (`marks`)."""
    display, tag = scenario_tag(name) if name.endswith("]") else (name, None)
    mode = "score"
    for line in marks.splitlines():
        if tag is None:
            tag = scenario_tag("_ " + line)[1]
        if mode == "score":
            mode = request_mode("_ " + line)[1]
    return display, tag, mode


@dataclass(frozen=True, slots=True)
class ScenarioTag:
    """What an example asks of a scenario, and what it does to it when it answers."""

    scenario: str
    required: str  # a state, or ANY
    next: str | None  # the state it moves the scenario to, if any

    def allows(self, state: str) -> bool:
        return self.required == ANY or self.required == state

    def text(self) -> str:
        moved = f" -> {self.next}" if self.next is not None else ""
        return f"[{self.scenario}: {self.required}{moved}]"


def scenario_tag(name: str) -> tuple[str, ScenarioTag | None]:
    """An example's name without its tag, and the tag (None: it has none)."""
    found = SCENARIO_TAG.search(name)
    if found is None or "->" in found["required"]:
        return name, None
    tag = ScenarioTag(found["scenario"], found["required"], found["next"])
    return name[: found.start()], tag


def request_mode(name: str) -> tuple[str, str]:
    """A request's name without its mode tag, and its mode ("score" when it has none)."""
    found = MODE_TAG.search(name)
    if found is None:
        return name, "score"
    return name[: found.start()], found["mode"].lower()
