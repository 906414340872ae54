"""What answers calls at one moment: the index, the settings, the prepared responses, and
what the collection keeps as state (scenarios, turns, CRUD resources)."""

from __future__ import annotations

from dataclasses import dataclass

from mockpost.matching.index import Index
from mockpost.responses.prepare import Responses
from mockpost.runtime.settings import Settings
from mockpost.state.crud import Resource, resources_of
from mockpost.state.scenarios import is_stateful


@dataclass(frozen=True, slots=True)
class State:
    """What answers calls at one moment: swapped whole, never changed in place."""

    index: Index
    settings: Settings
    responses: Responses
    stateful: bool  # its answers depend on scenarios, turns or resources (`deciding.py`)
    resources: tuple[Resource, ...] = ()  # CRUD resources (`state/crud.py`)

    @property
    def keeps_decisions(self) -> bool:
        """Whether a plain call's decision depends on method, path and query alone."""
        settings = self.settings
        return not (settings.match.match_headers or self.index.negotiates or self.stateful)

    @property
    def keeps_replies(self) -> bool:
        """Whether a plain call's complete reply may be sent again without any check."""
        settings = self.settings
        return (
            self.keeps_decisions
            and settings.api_key is None
            and settings.server_response is None
            and settings.delay.fixed_ms is not None  # one delay for every call
            and not settings.faults.active
            and (self.index.collection.checker is None or settings.validate == "off")
        )


def state_of(index: Index, settings: Settings, responses: Responses) -> State:
    resources = resources_of(index.examples, settings.crud)
    return State(index, settings, responses, is_stateful(index) or bool(resources), resources)
