"""The pytest plugin, run by pytest inside pytest (pytester): registration, fixtures, and the
messages of failed assertions."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE

# Each test runs pytest in a process of its own; the inner runs report their own warnings.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("default")]

HEADER = f"""
import urllib.error, urllib.request
EXAMPLE = {str(EXAMPLE)!r}

def get(url):
    try:
        return urllib.request.urlopen(url).status
    except urllib.error.HTTPError as error:
        return error.code
"""


def test_the_plugin_is_registered_by_its_entry_point(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--trace-config", "-q", "--co")
    assert any("mockpost.embedded.plugin" in line for line in result.outlines)


def test_the_mockpost_fixture_serves_a_collection_for_a_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
def test_users(mockpost):
    mock = mockpost(EXAMPLE, seed=1)
    assert get(mock.url + "/v1/users/1") == 200
    mock.assert_called("GET", "/v1/users/1", times=1, status=200)
    mock.assert_all_matched()

def test_a_second_mock_starts_with_no_calls(mockpost):
    assert mockpost(EXAMPLE).calls == []
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


def test_a_failed_assertion_says_which_calls_came_closest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
def test_wrong_path(mockpost):
    mock = mockpost(EXAMPLE)
    get(mock.url + "/v1/users/1")
    get(mock.url + "/v1/nothing/here")
    mock.assert_called("GET", "/v1/user/1")

def test_unmatched(mockpost):
    mock = mockpost(EXAMPLE)
    get(mock.url + "/v1/nothing/here")
    mock.assert_all_matched()
"""
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: expected GET /v1/user/1 to be called, but it was not; 2 calls*",
            "E*#1 GET /v1/users/1 -> 200 'User 1' of 'Get user'",
            "E*AssertionError: 1 call matched no example:",
            "E*#1 GET /v1/nothing/here -> 404 (not found)",
            "E*closest: *",
        ]
    )


def test_the_session_mock_is_shared_and_cleared_for_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
urls = []

def test_one(mockpost_session):
    mock = mockpost_session(EXAMPLE)
    urls.append(mock.url)
    get(mock.url + "/v1/users/1")
    mock.set(server_response=503)
    assert get(mock.url + "/v1/users/1") == 503

def test_two(mockpost_session):
    mock = mockpost_session(EXAMPLE)
    assert mock.url == urls[0]
    assert mock.calls == []
    assert get(mock.url + "/v1/users/1") == 200
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


def test_async_tests_use_serving_on_their_own_loop(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        HEADER
        + """
import aiohttp, mockpost

async def test_async():
    async with mockpost.serving(EXAMPLE) as mock, aiohttp.ClientSession() as session:
        async with session.get(mock.url + "/v1/users/1") as response:
            assert response.status == 200
    mock.assert_called("GET", "/v1/users/1")
"""
    )
    pytester.runpytest_subprocess("-o", "asyncio_mode=auto").assert_outcomes(passed=1)


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(mockpost):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:mockpost")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'mockpost' not found*"])


def test_the_bundled_example_suite_passes(pytester: pytest.Pytester) -> None:
    example_suite = EXAMPLE.parent / "test_bookshop_mock.py"
    pytester.makepyfile(test_bookshop_mock=example_suite.read_text())
    pytester.path.joinpath(EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


@pytest.mark.parametrize("mode", ["auto", "strict"])
def test_async_tests_get_a_mock_on_their_own_loop(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(
        HEADER
        + """
import aiohttp, pytest, threading

@pytest.mark.asyncio
async def test_async(mockpost_async):
    mock = await mockpost_async(EXAMPLE)
    assert [t for t in threading.enumerate() if t.name == "mockpost"] == []  # this loop
    async with aiohttp.ClientSession() as session:
        async with session.get(mock.url + "/v1/users/1") as response:
            assert response.status == 200
    mock.assert_called("GET", "/v1/users/1", times=1)
"""
    )
    result = pytester.runpytest_subprocess("-o", f"asyncio_mode={mode}")
    result.assert_outcomes(passed=1)


def test_each_test_starts_with_fresh_state_on_a_shared_mock(pytester: pytest.Pytester) -> None:
    import json

    from tests.test_state import RETRY

    pytester.path.joinpath("retry.json").write_text(json.dumps(RETRY))
    pytester.makepyfile(
        HEADER
        + """
def test_one(mockpost_session):
    mock = mockpost_session("retry.json")
    assert [get(mock.url + "/login") for _ in range(2)] == [500, 200]
    assert mock.state == {"default": {"login": "up"}}

def test_two(mockpost_session):
    mock = mockpost_session("retry.json")
    assert get(mock.url + "/login") == 500  # not the state test_one left
    mock.set_state("login", "up")
    assert get(mock.url + "/login") == 200
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=2)
