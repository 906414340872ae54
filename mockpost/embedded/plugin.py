"""The pytest plugin (entry point `pytest11`; off with `-p no:mockpost`).

    def test_checkout(mockpost):
        mock = mockpost("tests/api.postman_collection.json", seed=1)
        ...  # call mock.url
        mock.assert_called("POST", "/orders", status=201)

`mockpost` starts a mock for the test (in a thread: the test may block while it answers) and
stops it after; `mockpost_session` keeps one mock per collection and options for the whole
session, with its settings reset and its call log cleared for each test that asks for it;
`mockpost_async` (with pytest-asyncio, as pytest-aiohttp brings) starts it on the async test's
own event loop: `mock = await mockpost_async("api.json")`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported when a test first asks for a mock: pytest starts as fast
    from mockpost.embedded.mock import Mock
    from mockpost.embedded.serving import Serving

StartMock = Callable[..., "Mock"]


@pytest.fixture
def mockpost() -> Iterator[StartMock]:
    """A factory: `mockpost(collection, environment=None, **options)` -> a running `Mock`,
    stopped when the test ends. Options are those of `mockpost.serving`."""
    started: list[Serving] = []

    def start(
        collection: str | Path, environment: str | Path | None = None, **options: Any
    ) -> Mock:
        from mockpost.embedded.serving import Serving

        serving = Serving(collection, environment, **options)
        mock = serving.__enter__()
        started.append(serving)
        return mock

    yield start
    for serving in reversed(started):
        serving.__exit__(None, None, None)


_Key = tuple[str, str, str]


@pytest.fixture(scope="session")
def _mockpost_session_mocks() -> Iterator[dict[_Key, tuple[Serving, Mock]]]:
    running: dict[_Key, tuple[Serving, Mock]] = {}
    yield running
    for serving, _ in reversed(running.values()):
        serving.__exit__(None, None, None)


@pytest.fixture
def mockpost_session(_mockpost_session_mocks: dict[_Key, tuple[Serving, Mock]]) -> StartMock:
    """Like `mockpost`, but the mock of a collection (with the same options) is started once
    per session; each test gets it with the settings it started with and no calls."""

    def start(
        collection: str | Path, environment: str | Path | None = None, **options: Any
    ) -> Mock:
        key = (
            str(Path(collection).resolve()),
            str(Path(environment).resolve()) if environment is not None else "",
            repr(sorted(options.items())),
        )
        if key not in _mockpost_session_mocks:
            from mockpost.embedded.serving import Serving

            serving = Serving(collection, environment, **options)
            _mockpost_session_mocks[key] = (serving, serving.__enter__())
        mock = _mockpost_session_mocks[key][1]
        mock.reset()
        return mock

    return start


def _async_fixture(function: Any) -> Any:
    """pytest-asyncio's own decorator: the fixture works in its strict mode and its auto mode
    (without pytest-asyncio, no async fixture can run anyway)."""
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover
        return pytest.fixture(function)
    return pytest_asyncio.fixture(function)


@_async_fixture
async def mockpost_async() -> AsyncIterator[Callable[..., Awaitable[Mock]]]:
    """A factory for async tests: `await mockpost_async(collection, environment=None,
    **options)` -> a `Mock` on the test's event loop, stopped when the test ends."""
    started: list[Serving] = []

    async def start(
        collection: str | Path, environment: str | Path | None = None, **options: Any
    ) -> Mock:
        from mockpost.embedded.serving import Serving

        serving = Serving(collection, environment, **options)
        mock = await serving.__aenter__()
        started.append(serving)
        return mock

    yield start
    for serving in reversed(started):
        await serving.__aexit__(None, None, None)
