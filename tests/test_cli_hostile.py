"""The real CLI under hostile calls: the terminal, malformed HTTP, shutdown, memory."""

from __future__ import annotations

import asyncio
import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE, ROOT, RunningCli, http_get, running_cli
from tests.raw import raw_call

ESCAPE = b"\x1b"


def _read_until(fd: int, pattern: bytes, seconds: float = 20) -> bytes:
    """Read a pty until `pattern` shows (select: no sleep)."""
    out = b""
    deadline = time.monotonic() + seconds
    while pattern not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out


@pytest.mark.skipif(sys.platform != "linux", reason="needs a Linux pty")
def test_no_call_can_send_a_control_sequence_to_the_terminal() -> None:
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TERM": "xterm-256color", "MOCKPOST_API_KEY": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockpost", "serve", str(EXAMPLE), "--port", "0"],
        stdout=slave,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    os.close(slave)
    try:
        banner = _read_until(master, b"Ctrl+C")
        url = re.search(rb"http://127\.0\.0\.1:\d+", re.sub(rb"\x1b\[[0-9;]*m", b"", banner))
        assert url is not None
        base = url.group().decode()
        hostile = (
            "/v1/%1b[2J%1b]0;pwned%07/%0d%0a19:00:00.000%20GET%20/forged%20200/%c2%9b31m?q=%1b"
        )
        assert http_get(base + hostile)[0] == 404
        screen = _read_until(master, b"No matching")
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.close(master)
    # Colours are rich's own SGR sequences (ESC [ ... m); nothing else may carry an ESC.
    without_colours = re.sub(rb"\x1b\[[0-9;]*m", b"", screen)
    assert ESCAPE not in without_colours
    assert b"\x07" not in screen
    shown = b"\\x1b[2J\\x1b]0;pwned\\x07/\\r\\n19:00:00.000 GET /forged 200/\\x9b31m?q=%1b"
    assert shown in without_colours
    assert "\x9b".encode() not in screen


def test_malformed_http_gets_a_400_and_one_line_never_a_traceback() -> None:
    with running_cli(str(EXAMPLE)) as cli:
        port = int(cli.url.rsplit(":", 1)[1])
        bad = [
            b"GET /v1/users/1 HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE / HTTP/1.1\r\n\r\n",
            b"POST /v1/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
        ]
        for data in bad:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(data)
                try:
                    answer = sock.recv(65536)
                    while answer.count(b"HTTP/1.") < 2 and b"400" not in answer:
                        more = sock.recv(65536)
                        if not more:
                            break
                        answer += more
                except (ConnectionResetError, TimeoutError):
                    answer = b""
            assert b" 400 " in answer or answer.startswith(b"HTTP/1.1 200") or answer == b"", data
        assert http_get(cli.url + "/v1/users/1")[0] == 200  # still serving
        output = cli.stop()
    assert "Traceback" not in output
    assert cli.process.returncode == 0
    noise = [line for line in output.splitlines() if line.startswith("bad HTTP call")]
    assert len(noise) <= len(bad)
    assert all(len(line) < 400 for line in output.splitlines())


def test_sigterm_stops_within_2_seconds_while_calls_wait_out_a_long_delay() -> None:
    with running_cli(str(EXAMPLE), "--delay", "180000") as cli:

        async def waiting_calls() -> list[int]:
            async with aiohttp.ClientSession() as session:

                async def one(i: int) -> int:
                    async with session.get(f"{cli.url}/v1/users/{i}") as response:
                        return response.status

                calls = [asyncio.ensure_future(one(i)) for i in range(5)]
                await asyncio.sleep(0.5)  # the calls are in, waiting out their delay
                started = time.monotonic()
                cli.process.send_signal(signal.SIGTERM)
                statuses = await asyncio.gather(*calls, return_exceptions=True)
                stopped = await asyncio.to_thread(cli.process.wait, 10)
                assert stopped == 0
                assert time.monotonic() - started < 2
                return [s for s in statuses if isinstance(s, int)]

        statuses = asyncio.run(waiting_calls())
        output = cli.stop()
    assert statuses == [200] * 5
    assert output.count("the delay was cut short: mockpost is stopping") == 5


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_distinct_calls_with_4_kib_queries_grow_the_process_by_at_most_64_mib() -> None:
    def rss_kib(pid: int) -> int:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    with running_cli(str(EXAMPLE), "--quiet") as cli:

        async def load() -> None:
            connector = aiohttp.TCPConnector(limit=32)
            async with aiohttp.ClientSession(connector=connector) as session:

                async def worker(start: int) -> None:
                    for i in range(start, 20_000, 32):
                        query = f"n={i}&pad=" + "x" * 4096
                        path = "/v1/users/1" if i % 2 else f"/v1/nowhere/{i}"
                        async with session.get(f"{cli.url}{path}?{query}") as response:
                            await response.read()

                await asyncio.gather(*(worker(i) for i in range(32)))

        asyncio.run(asyncio.wait_for(load_warm(cli.url), 60))
        before = rss_kib(cli.process.pid)
        asyncio.run(asyncio.wait_for(load(), 300))
        grown = rss_kib(cli.process.pid) - before
    assert grown < 64 * 1024, f"grew by {grown / 1024:.0f} MiB"


async def load_warm(url: str) -> None:
    """A few hundred calls first, so that what every server allocates once is counted out."""
    async with aiohttp.ClientSession() as session:
        for i in range(300):
            async with session.get(f"{url}/v1/nowhere/{i}?pad=" + "x" * 4096) as response:
                await response.read()


TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
HEADER_BYTES = st.binary(max_size=40).map(
    lambda b: bytes(c for c in b if c not in (0, 10, 13)).strip(b" \t")
)


@st.composite
def raw_calls(draw: st.DrawFn) -> bytes:
    """Well-formed HTTP/1.1 whose every part holds what a hostile client may put there."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]))
    method = draw(st.one_of(st.just(method), st.text(TOKEN_CHARS, min_size=1, max_size=8)))
    path = "/" + quote(draw(st.binary(max_size=30)), safe="/")
    query = quote(draw(st.binary(max_size=30)), safe="=&")
    headers = [
        (draw(st.text(TOKEN_CHARS, min_size=1, max_size=12)).encode(), draw(HEADER_BYTES))
        for _ in range(draw(st.integers(min_value=0, max_value=4)))
    ]
    mock_headers = [
        (name.encode(), draw(HEADER_BYTES))
        for name in draw(
            st.lists(
                st.sampled_from(
                    [
                        "x-mock-response-code",
                        "x-mock-response-name",
                        "x-mock-response-id",
                        "x-mock-match-request-body",
                        "x-mock-match-request-headers",
                        "x-mock-response-delay",
                        "Origin",
                        "Content-Type",
                    ]
                ),
                max_size=3,
                unique=True,
            )
        )
    ]
    body = draw(st.binary(max_size=200))
    lines = [f"{method} {path}?{query} HTTP/1.1".encode(), b"Host: fuzz"]
    lines += [name + b": " + value for name, value in headers + mock_headers]
    lines += [b"Content-Length: %d" % len(body), b"Connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@pytest.fixture(scope="module")
def fuzzed_cli() -> Iterator[RunningCli]:
    with running_cli(str(EXAMPLE), "--delay", "0") as cli:
        yield cli


CALL_LINE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} ", re.MULTILINE)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(calls=st.lists(raw_calls(), min_size=1, max_size=5))
def test_every_generated_call_gets_an_answer_and_a_record(
    fuzzed_cli: RunningCli, calls: list[bytes]
) -> None:
    port = int(fuzzed_cli.url.rsplit(":", 1)[1])
    for data in calls:
        answer = asyncio.run(raw_call(port, data, quiet=10, until_closed=True))
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else 0
        # aiohttp's 400 for what HTTP forbids; anything else is mockpost's answer.
        assert 100 <= status < 500 or status == 400, (data, answer[:200])
        if status != 400:
            FUZZ_ANSWERED.append(data)


FUZZ_ANSWERED: list[bytes] = []


@pytest.mark.slow  # reads what the fuzzing run left
def test_the_fuzzed_server_recorded_every_call_it_answered(fuzzed_cli: RunningCli) -> None:
    assert FUZZ_ANSWERED, "runs after the fuzz test"
    assert http_get(fuzzed_cli.url + "/v1/users/1")[0] == 200
    output = fuzzed_cli.stop()
    assert "Traceback" not in output
    assert len(CALL_LINE.findall(output)) == len(FUZZ_ANSWERED) + 1
