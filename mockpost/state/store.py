"""Where a mock's state lives: per session, each scenario's state and each in-turn position,
behind one small interface (in memory here; another store could hold it for several mocks).

A call names its session with `x-mockpost-session: NAME` or the cookie `mockpost_session`;
calls without one share the session `default`. A session starts fresh: every scenario in its
first state. Every change is made under one lock, so that concurrent calls of one session
never lose one.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from mockpost.calls.call import cookies_of
from mockpost.state.crud import Items, Outcome, Resource

log = logging.getLogger("mockpost.state")
SESSION_HEADER = "x-mockpost-session"
SESSION_COOKIE = "mockpost_session"
DEFAULT_SESSION = "default"
MAX_SESSIONS = 10_000  # sessions kept; past this, the oldest is forgotten


@dataclass
class Session:
    scenarios: dict[str, str]
    rng: random.Random
    turns: dict[tuple[int, ...], int] = field(default_factory=dict)  # in-turn positions
    resources: dict[str, Items] = field(default_factory=dict)  # CRUD items, by prefix


def session_of(headers: Mapping[str, str]) -> str:
    """The session a call names (its header, else its cookie), else the default one."""
    named = headers.get(SESSION_HEADER, "").strip()
    if named:
        return named[:200]
    if SESSION_COOKIE in headers.get("cookie", ""):  # only then is the header parsed
        named = cookies_of(headers).get(SESSION_COOKIE, "").strip()
        if named:
            return named[:200]
    return DEFAULT_SESSION


class StateStore:
    def __init__(self, first: Mapping[str, str], seed: int | None = None) -> None:
        self._first = dict(first)  # each scenario's first state
        self._seed = seed
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def _session(self, name: str) -> Session:
        found = self._sessions.get(name)
        if found is None:
            if len(self._sessions) >= MAX_SESSIONS:
                del self._sessions[next(iter(self._sessions))]
            seed = f"{self._seed}:{name}" if self._seed is not None else None
            found = self._sessions[name] = Session(dict(self._first), random.Random(seed))
        return found

    def states(self, session: str) -> Mapping[str, str]:
        """Each scenario's state in the session (a copy)."""
        with self._lock:
            return dict(self._session(session).scenarios)

    def move(self, session: str, scenario: str, state: str | None) -> tuple[str, str]:
        """The scenario's state before and after (`state` None: it stays)."""
        with self._lock:
            states = self._session(session).scenarios
            before = states.get(scenario, "")
            if state is not None:
                states[scenario] = state
            return before, states.get(scenario, "")

    def choose(self, session: str, mode: str, positions: Sequence[int]) -> int:
        """Which of the best examples answers: the next in turn (wrapping around), or one
        drawn from the session's seeded stream."""
        with self._lock:
            found = self._session(session)
            if mode == "random":
                return found.rng.randrange(len(positions))
            key = tuple(positions)
            turn = found.turns.get(key, 0)
            found.turns[key] = turn + 1
            return turn % len(positions)

    def crud(
        self,
        session: str,
        resource: Resource,
        change: Callable[[Items], Outcome | None],
    ) -> Outcome | None:
        """A call's change to a CRUD resource's items in the session, made under the lock."""
        with self._lock:
            kept = self._session(session).resources
            items = kept.get(resource.prefix)
            if items is None:
                items = kept[resource.prefix] = Items.start(resource)
            return change(items)

    def counts(self) -> dict[str, dict[str, int]]:
        """How many items each session's resources hold."""
        with self._lock:
            return {
                name: {prefix: len(items.items) for prefix, items in found.resources.items()}
                for name, found in self._sessions.items()
                if found.resources
            }

    def reset(self, session: str | None = None) -> None:
        """Every session (or one) back to where it started."""
        with self._lock:
            if session is None:
                self._sessions.clear()
            else:
                self._sessions.pop(session, None)

    def rebase(self, first: Mapping[str, str]) -> list[str]:
        """A reloaded collection's scenarios: states kept where the scenario still exists,
        new ones at their first state; the names of those dropped (and logged)."""
        with self._lock:
            dropped = [name for name in self._first if name not in first]
            for name in dropped:
                log.warning(
                    "scenario %s is no longer in the collection: its state is dropped", name
                )
            self._first = dict(first)
            for found in self._sessions.values():
                kept = {k: v for k, v in found.scenarios.items() if k in first}
                found.scenarios = {**self._first, **kept}
                found.turns.clear()
            return dropped

    def snapshot(self) -> dict[str, dict[str, str]]:
        """Every session's scenario states (the default one always)."""
        with self._lock:
            self._session(DEFAULT_SESSION)
            return {name: dict(found.scenarios) for name, found in self._sessions.items()}

    @property
    def scenarios(self) -> Mapping[str, str]:
        return dict(self._first)
