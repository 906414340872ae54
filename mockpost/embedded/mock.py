"""A running mock, as a program or a test holds it: its URL, its calls, assertions on them,
and what can be changed while it runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mockpost.calls.record import CallRecord, How
from mockpost.embedded import assertions
from mockpost.embedded.assertions import Wanted
from mockpost.errors import MockpostError
from mockpost.lifecycle.reload import Reloader
from mockpost.runtime.patch import patched, settings_json
from mockpost.runtime.runtime import Runtime

T = TypeVar("T")
OnLoop = Callable[[Callable[[], T]], T]  # runs a function where the mock's event loop runs


class Mock:
    """The handle of a running mock. Safe to use from the thread that started it: whatever
    touches the running mock is done on its event loop."""

    def __init__(
        self, url: str, runtime: Runtime, reloader: Reloader, on_loop: Callable[..., Any]
    ) -> None:
        self.url = url  # http://127.0.0.1:PORT, no trailing slash
        self._runtime = runtime
        self._reloader = reloader
        self._on_loop = on_loop

    def __repr__(self) -> str:
        return f"<mockpost mock at {self.url}>"

    def _run(self, function: Callable[[], T]) -> T:
        result: T = self._on_loop(function)
        return result

    # -- what it was called with --------------------------------------------------------

    @property
    def calls(self) -> list[CallRecord]:
        """The calls kept (the last 1,000 by default), oldest first."""
        return self._run(lambda: list(self._runtime.store))

    def assert_called(
        self,
        method: str,
        path: str,
        times: int | None = None,
        status: int | None = None,
        example: str | None = None,
    ) -> list[CallRecord]:
        """That `method path` was called (`times` times exactly, if given), answered with
        `status` and by an example whose name holds `example`, if given; the calls that did.
        `path` may hold `*` (any text) and `?query` (the query as sent)."""
        wanted = Wanted(method, path, status, example)
        records = self.calls
        found = [record for record in records if wanted.matches(record)]
        if (times is None and not found) or (times is not None and len(found) != times):
            raise AssertionError(assertions.not_called(wanted, records, len(found), times))
        return found

    def assert_not_called(
        self, method: str, path: str, status: int | None = None, example: str | None = None
    ) -> None:
        wanted = Wanted(method, path, status, example)
        found = [record for record in self.calls if wanted.matches(record)]
        if found:
            raise AssertionError(assertions.called(wanted, found))

    def assert_all_matched(self) -> None:
        """That no call got the not-found answer; else they are listed with why."""
        missed = [record for record in self.calls if record.how is How.NOT_FOUND]
        if missed:
            raise AssertionError(assertions.unmatched(missed))

    # -- changing it while it runs -----------------------------------------------------

    @property
    def settings(self) -> dict[str, Any]:
        """The settings in force, as `GET /__mockpost/settings` gives them."""
        return self._run(lambda: settings_json(self._runtime.state.settings))

    def set(self, **fields: Any) -> dict[str, Any]:
        """Change settings from the next call on: `delay` (ms, "2g", "3g", None),
        `server_response` (a 5xx code, {"code", "body", "headers"} or None), `match_body`,
        `match_headers` (names), `fuzzy`, `faults` (as the settings API takes them),
        `environment` (a file, or None). A bad value raises
        `SettingsError` (a `MockpostError`) and changes nothing; the settings in force."""
        patch = dict(fields)
        if isinstance(patch.get("server_response"), int):
            patch["server_response"] = {"code": patch["server_response"]}
        if isinstance(patch.get("match_headers"), tuple):
            patch["match_headers"] = list(patch["match_headers"])
        switch = "environment" in patch
        environment = patch.pop("environment", None)

        def change() -> dict[str, Any]:
            runtime = self._runtime
            runtime.swap(settings=patched(runtime.state.settings, patch))
            return settings_json(runtime.state.settings)

        patched(self._runtime.state.settings, patch)  # checked before anything changes
        if switch:
            chosen = Path(environment) if environment is not None else None
            index = self._reloader.load(chosen)
            self._run(lambda: self._reloader.apply(index, chosen))
        return self._run(change)

    def reload(self) -> int:
        """Load the files again and serve them from the next call on; the new version.
        A broken file raises `LoadError` (a `MockpostError`) and the last version serves."""
        index = self._reloader.load()
        return self._run(lambda: self._reloader.apply(index)).version

    def add_example(
        self,
        request: str | None = None,
        *,
        call: int | None = None,
        name: str | None = None,
        code: int | None = None,
        headers: Any = None,
        body: Any = None,
    ) -> dict[str, Any]:
        """Save an example into the collection file and serve it from the next call on:
        `request` (its name or place), or the call (`call`, its id in the log) whose answer
        and request fill in what is left out. The example written; raises MockpostError
        (a field that makes no sense, the file changed on disk, nothing to write into)."""
        from mockpost.lifecycle.changes import example_of
        from mockpost.lifecycle.write import write_example

        given = {"request": request, "call": call, "name": name, "code": code,
                 "headers": headers, "body": body}  # fmt: skip
        fields = {key: value for key, value in given.items() if value is not None}
        runtime, reloader = self._runtime, self._reloader
        if runtime.state.settings.read_only:
            raise MockpostError("this mock is read-only: nothing is written")
        item, example = self._run(lambda: example_of(runtime, fields))
        reloader.loaded_stamp = write_example(
            reloader.collection, reloader.loaded_stamp, item.where, example
        )
        index = reloader.load()
        self._run(lambda: reloader.apply(index))
        return example

    @property
    def state(self) -> dict[str, dict[str, str]]:
        """Every session's scenario states, as `GET /__mockpost/state` gives them."""
        return self._run(self._runtime.states.snapshot)

    def set_state(self, scenario: str, state: str, session: str = "default") -> None:
        """Put a scenario of the collection's tags in a state (for one session)."""
        if scenario not in self._runtime.states.scenarios:
            raise MockpostError(f"no scenario {scenario!r} in the collection")
        self._run(lambda: self._runtime.states.move(session, scenario, state))

    def clear(self) -> None:
        """Forget the calls made so far."""
        self._run(self._runtime.store.clear)

    def reset(self) -> None:
        """The settings and environment it started with, no calls, and every session's
        state as it started."""
        reloader = self._reloader
        if reloader.environment != reloader.started_with:
            index = reloader.load(reloader.started_with)
            self._run(lambda: reloader.apply(index, reloader.started_with))
        self._run(self._runtime.reset)
