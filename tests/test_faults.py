"""The unhappy paths on demand, through a real HTTP client: error rates, rate limits, broken
connections, latency distributions; seeded, changed at runtime, asked per call."""

from __future__ import annotations

import errno
import statistics
from typing import Any

import aiohttp
import pytest

from mockpost.faults.latency import parse_latency
from mockpost.faults.plan import ErrorRate, Faults, RateLimit, parse_fault
from mockpost.runtime.settings import Settings
from mockpost.web.delays import Delays
from tests.conftest import Serve, collection, example, item, runtime_of

USERS = collection(
    item("user", example("one", "x/users/1", body='{"id": 1, "name": "Ada"}')),
    item("list", example("all", "x/users", body="[" + ", ".join(["1"] * 400) + "]")),
)


async def statuses(client: Any, count: int, path: str = "/users/1") -> list[int]:
    found = []
    for _ in range(count):
        async with client.get(path) as response:
            found.append(response.status)
            await response.read()
    return found


def with_faults(seed: int | None = None, delay: str = "0", **faults: Any) -> Settings:
    return Settings(seed=seed, delay=parse_latency(delay), faults=Faults(**faults))


async def no_sleep(seconds: float) -> None:
    """Delays pass at once: what is measured is the delay drawn, not the clock."""


# -- error rate --------------------------------------------------------------------------


async def test_an_error_rate_of_10_percent_lands_near_10_and_repeats_with_the_seed(
    serve: Serve,
) -> None:
    runs = []
    for _ in range(2):
        client = await serve(USERS, settings=with_faults(seed=7, error_rate=ErrorRate(10)))
        runs.append(await statuses(client, 2000))
    first, second = runs
    injected = [s for s in first if s != 200]
    assert 160 <= len(injected) <= 240  # 8 to 12 % of 2,000
    assert set(injected) <= {500, 502, 503, 504}
    assert len(set(injected)) > 1
    assert first == second  # the same calls in the same order meet the same faults


async def test_another_seed_meets_other_faults(serve: Serve) -> None:
    one = await serve(USERS, settings=with_faults(seed=1, error_rate=ErrorRate(10)))
    two = await serve(USERS, settings=with_faults(seed=2, error_rate=ErrorRate(10)))
    assert await statuses(one, 300) != await statuses(two, 300)


async def test_an_injected_error_says_so_and_which_example_it_replaced(serve: Serve) -> None:
    client = await serve(USERS, settings=with_faults(error_rate=ErrorRate(100, (503,))))
    response = await client.get("/users/1")
    assert response.status == 503
    message = (await response.json())["error"]["message"]
    assert message == (
        "mockpost injected this 503 (error rate 100%); the example 'one' would have answered."
    )
    listed = (await (await client.get("/__mockpost/calls")).json())["calls"][0]
    assert listed["injected"] == "error 503 (error rate 100%)"
    assert (listed["how"], listed["example"]["name"]) == ("injected", "one")


async def test_an_error_rate_of_0_injects_nothing(serve: Serve) -> None:
    client = await serve(USERS, settings=with_faults(error_rate=ErrorRate(10)))
    patched = await client.patch("/__mockpost/settings", json={"faults": {"error_rate": 0}})
    assert (await patched.json())["faults"]["error_rate"] is None
    assert set(await statuses(client, 500)) == {200}


# -- rate limit --------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_rate_limit_lets_exactly_n_calls_through_per_window(serve: Serve) -> None:
    clock = Clock()
    settings = with_faults(rate_limit=RateLimit(3, "s"))
    client = await serve(USERS, settings=settings, monotonic=clock)
    answers = []
    for _ in range(5):
        response = await client.get("/users/1")
        answers.append((response.status, response.headers["RateLimit-Remaining"]))
    assert answers == [(200, "2"), (200, "1"), (200, "0"), (429, "0"), (429, "0")]
    response = await client.get("/users/1")
    assert (response.headers["Retry-After"], response.headers["RateLimit-Limit"]) == ("1", "3")
    assert (await response.json())["error"]["name"] == "rateLimitedError"
    clock.now += 1.0  # the window has ended
    assert await statuses(client, 4) == [200, 200, 200, 429]


async def test_retry_after_counts_the_seconds_left_in_the_window(serve: Serve) -> None:
    clock = Clock()
    client = await serve(USERS, settings=with_faults(rate_limit=RateLimit(2, "m")), monotonic=clock)
    assert await statuses(client, 2) == [200, 200]
    clock.now += 45.2
    refused = await client.get("/users/1")
    assert refused.status == 429
    assert (refused.headers["Retry-After"], refused.headers["RateLimit-Reset"]) == ("15", "15")
    clock.now += 14.8
    passed = await client.get("/users/1")
    assert (passed.status, passed.headers["RateLimit-Reset"]) == (200, "60")


async def test_a_rate_limit_by_header_counts_each_client_apart(serve: Serve) -> None:
    clock = Clock()
    rule = RateLimit(1, "s", "header:x-user")
    client = await serve(USERS, settings=with_faults(rate_limit=rule), monotonic=clock)
    ada = [(await client.get("/users/1", headers={"X-User": "ada"})).status for _ in range(2)]
    bob = (await client.get("/users/1", headers={"X-User": "bob"})).status
    assert (ada, bob) == ([200, 429], 200)


# -- broken connections ------------------------------------------------------------------


async def fetch(client: Any, path: str = "/users/1", **headers: str) -> bytes:
    async with client.get(path, headers=headers) as response:
        return bytes(await response.read())


@pytest.mark.parametrize(
    ("kind", "failure"),
    [
        ("reset", aiohttp.ClientOSError),
        ("empty", aiohttp.ServerDisconnectedError),
        ("garbage", aiohttp.ClientResponseError),
        ("truncate", aiohttp.ClientPayloadError),
    ],
)
async def test_each_broken_connection_is_the_failure_it_names(
    serve: Serve, kind: str, failure: type[Exception]
) -> None:
    client = await serve(USERS, settings=with_faults(connection=(parse_fault(f"100:{kind}"),)))
    with pytest.raises(failure) as raised:
        await fetch(client, "/users")
    if kind == "reset":
        assert raised.value.errno == errno.ECONNRESET  # type: ignore[attr-defined]
    if kind == "truncate":
        assert "Not enough data" in str(raised.value.__cause__ or raised.value)
    record = runtime_of(client).store.last()
    assert record is not None
    assert record.injected == f"{kind} (fault 100%)"
    assert record.status == (0 if kind != "truncate" else 200)


async def test_a_dribbled_body_comes_whole_in_small_pieces_over_the_delay(serve: Serve) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    client = await serve(USERS, delays=Delays(sleep))
    headers = {"x-mockpost-fault": "dribble", "x-mockpost-delay": "400"}
    async with client.get("/users", headers=headers) as response:
        pieces = [piece async for piece in response.content.iter_any()]
    assert b"".join(pieces) == b"[" + b", ".join([b"1"] * 400) + b"]"
    assert len(waits) == 20
    assert sum(waits) == pytest.approx(0.4)  # spread over the delay, not waited first


async def test_a_calls_fault_header_wins_over_the_servers_settings(serve: Serve) -> None:
    client = await serve(USERS, settings=with_faults(error_rate=ErrorRate(100)))
    assert (await client.get("/users/1", headers={"x-mockpost-fault": "none"})).status == 200
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await fetch(client, **{"x-mockpost-fault": "empty"})
    response = await client.get("/users/1", headers={"x-mockpost-fault": "error:502"})
    assert response.status == 502


async def test_a_fault_header_that_makes_no_sense_is_ignored_and_noted(serve: Serve) -> None:
    client = await serve(USERS)
    response = await client.get("/users/1", headers={"x-mockpost-fault": "explode"})
    assert response.status == 200
    record = runtime_of(client).store.last()
    assert record is not None
    assert record.notes == (
        "ignored x-mockpost-fault: 'explode' (not one of reset, empty, garbage, truncate, "
        "dribble, error, error:CODE, none)",
    )


async def test_faults_changed_at_runtime_apply_to_the_next_call(serve: Serve) -> None:
    client = await serve(USERS)
    assert await fetch(client) == b'{"id": 1, "name": "Ada"}'  # kept for repeats
    patch = {"faults": {"connection": ["100:empty"]}}
    answer = await client.patch("/__mockpost/settings", json=patch)
    assert (await answer.json())["faults"]["connection"] == ["100:empty"]
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await fetch(client)
    await client.patch("/__mockpost/settings", json={"faults": None})
    assert await fetch(client) == b'{"id": 1, "name": "Ada"}'


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"faults": {"error_rate": "x"}}, "faults.error_rate"),
        ({"faults": {"rate_limit": "5/h"}}, "faults.rate_limit"),
        ({"faults": {"rate_limit_by": "cookie"}}, "faults.rate_limit_by"),
        ({"faults": {"connection": ["60:reset", "60:empty"]}}, "faults.connection"),
        ({"faults": {"chaos": 1}}, "faults.chaos"),
        ({"faults": []}, "faults.faults"),
        ({"delay": "lognormal:0:1"}, "delay"),
        ({"delay": "9-1"}, "delay"),
    ],
)
async def test_a_bad_fault_setting_is_a_400_naming_it(
    serve: Serve, patch: dict[str, Any], field: str
) -> None:
    client = await serve(USERS)
    answer = await client.patch("/__mockpost/settings", json=patch)
    assert answer.status == 400
    assert (await answer.json())["error"]["field"] == field


# -- latency -----------------------------------------------------------------------------


async def delays_drawn(serve: Serve, settings: Settings, count: int, **headers: str) -> list[int]:
    client = await serve(USERS, settings=settings, delays=Delays(no_sleep))
    for _ in range(count):
        await fetch(client, **headers)
    calls = (await (await client.get(f"/__mockpost/calls?limit={count}")).json())["calls"]
    return [
        (await (await client.get(f"/__mockpost/calls/{c['id']}")).json())["delay_ms"] for c in calls
    ]


async def test_a_uniform_delay_stays_in_its_range_around_its_middle(serve: Serve) -> None:
    drawn = await delays_drawn(serve, with_faults(seed=3, delay="100-500"), 1000)
    assert min(drawn) >= 100
    assert max(drawn) <= 500
    assert 280 <= statistics.median(drawn) <= 320  # 300 +- 20 ms over 1,000 calls


async def test_a_lognormal_delay_has_its_median_and_a_long_tail(serve: Serve) -> None:
    drawn = await delays_drawn(serve, with_faults(seed=3, delay="lognormal:200:0.5"), 1000)
    assert 180 <= statistics.median(drawn) <= 220  # 200 +- 10 % over 1,000 calls
    assert max(drawn) > 2 * 200  # sigma 0.5: about 1 call in 100 beyond 2.2 times the median
    assert min(drawn) > 0


async def test_seeded_delays_repeat_run_after_run(serve: Serve) -> None:
    settings = with_faults(seed=11, delay="lognormal:100:1")
    assert await delays_drawn(serve, settings, 50) == await delays_drawn(serve, settings, 50)


async def test_a_calls_delay_header_wins_over_the_servers_delay(serve: Serve) -> None:
    settings = with_faults(delay="1000")
    assert set(await delays_drawn(serve, settings, 5, **{"x-mockpost-delay": "2-4"})) <= {2, 3, 4}
    assert await delays_drawn(serve, settings, 2, **{"x-mockpost-delay": "0"}) == [0, 0]


def test_the_banner_lists_the_faults_in_force() -> None:
    from mockpost.terminal.banner import modes

    settings = with_faults(
        delay="lognormal:200:0.5",
        error_rate=ErrorRate(10),
        rate_limit=RateLimit(5, "s", "ip"),
        connection=(parse_fault("2:reset"),),
    )
    assert modes(settings) == [
        "delay: every answer waits log-normal, median 200 ms, sigma 0.5",
        "error rate: 10% of calls get a 500, 502, 503, 504",
        "rate limit: 5 calls a second, by ip; then 429",
        "fault: 2% of calls get the connection reset (TCP RST)",
    ]


def test_the_cli_breaks_connections_and_logs_what_it_injected() -> None:
    import urllib.error

    from tests.conftest import EXAMPLE, http_get, running_cli

    args = ("--fault", "100:empty", "--rate-limit", "100/m", "--rate-limit-by", "ip")
    with running_cli(str(EXAMPLE), *args) as cli:
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            http_get(cli.url + "/v1/users/1")
        said = cli.stop()
    assert "fault: 100% of calls get the connection closed with no answer" in cli.banner
    assert "rate limit: 100 calls a minute, by ip; then 429" in cli.banner
    assert "GET     /v1/users/1  ---  injected empty (fault 100%) instead of 'User 1'" in said


def test_the_cli_injects_errors_from_the_environment_too() -> None:
    from tests.conftest import EXAMPLE, http_get, running_cli

    with running_cli(str(EXAMPLE), env={"MOCKPOST_ERROR_RATE": "100:504"}) as cli:
        assert http_get(cli.url + "/v1/users/1")[0] == 504
        said = cli.stop()
    assert "504  injected error 504 (error rate 100%) instead of 'User 1'" in said


def test_any_fault_header_or_patch_is_read_or_refused_never_raised() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from mockpost.faults.headers import read_asked
    from mockpost.faults.plan import FaultError, patched_faults

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=14), inner),
        max_leaves=8,
    )
    fields = st.sampled_from(["error_rate", "rate_limit", "rate_limit_by", "connection", "x"])

    @given(st.text(max_size=30), st.text(max_size=30))
    def headers(delay: str, fault: str) -> None:
        asked = read_asked({"x-mockpost-delay": delay, "x-mockpost-fault": fault})
        if asked.latency is not None:
            assert 0 <= asked.latency.sample(__import__("random").Random(1)) <= 180_000

    @given(st.dictionaries(fields, json_values, max_size=4) | json_values)
    def patches(patch: Any) -> None:
        refused = None
        try:
            patched_faults(Faults(), patch)
        except FaultError as error:
            refused = error
        assert refused is None or refused.field

    headers()
    patches()


async def test_a_client_leaving_mid_dribble_is_no_error(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    client = await serve(USERS)
    headers = {"x-mockpost-fault": "dribble", "x-mockpost-delay": "2000"}
    async with client.get("/users", headers=headers) as response:
        await response.content.readany()  # the first piece, then away
    head = await client.head("/users", headers=headers)
    assert head.status == 200
    assert [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")] == []
    assert [r.injected for r in runtime_of(client).store] == ["dribble (x-mockpost-fault)"] * 2
