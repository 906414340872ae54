"""The command line: errors as one line and an exit code, and one real end-to-end run."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockpost.cli import main
from tests.conftest import NOT_FOUND

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bookshop.postman_collection.json"
EXAMPLE_ENV = ROOT / "examples" / "bookshop.postman_environment.json"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_help_lists_every_serve_option(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in (
        "--environment",
        "--host",
        "--port",
        "--delay",
        "--api-key",
        "--match-body",
        "--match-headers",
        "--no-fuzzy",
        "--server-response",
        "--seed",
        "--locale",
        "--quiet",
        "--workers",
    ):
        assert option in result.output
        assert option in README, f"{option} is not in the README"


def test_missing_collection_is_one_line_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["serve", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope.json'}: no such file"


def test_broken_collection_names_file_place_and_problem(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    path = write_json({"info": {"name": "x"}, "item": [{"name": "r", "response": 5}]})
    result = runner.invoke(main, ["serve", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"Error: {path}: unexpected value, found a int (at $.item[0].response)"]
    assert "Traceback" not in result.output


def test_broken_environment_is_reported(runner: CliRunner, write_json: Callable[..., Path]) -> None:
    env = write_json('{"values": [{"value": 1}]}', "env.json")
    result = runner.invoke(main, ["serve", str(EXAMPLE), "-e", str(env)])
    assert result.exit_code == 1
    assert "env.json" in result.output
    assert "'key' is a required property (at $.values[0])" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--delay", "fast"], "'fast' is not 2g, 3g or a number of ms"),
        (["--port", "70000"], "70000 is not in the range"),
        (["--server-response", "404"], "404 is not in the range 500<=x<=599"),
    ],
)
def test_bad_options_are_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["serve", str(EXAMPLE), *args])
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("reuse_port", [False, True])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_port_in_use_is_one_line_and_exit_1(
    runner: CliRunner, workers: str, reuse_port: bool
) -> None:
    import socket

    with socket.socket() as taken:
        # Another server, perhaps another mockpost --workers (which sets SO_REUSEPORT too):
        # workers must not silently share its port.
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, int(reuse_port))
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(
            main, ["serve", str(EXAMPLE), "--port", str(port), "--workers", workers]
        )
    assert result.exit_code == 1
    assert f"Error: cannot listen on http://127.0.0.1:{port}" in result.output


@pytest.fixture
def running_mockpost() -> Iterator[tuple[str, subprocess.Popen[str], str]]:
    """The real CLI, `python -m mockpost serve ... --port 0`, stopped after the test.

    Gives its URL, the process and what it printed up to the URL.
    """
    yield from start_mockpost("--delay", "3g")


@pytest.fixture
def mockpost_with_workers() -> Iterator[tuple[str, subprocess.Popen[str], str]]:
    yield from start_mockpost("--workers", "2")


def start_mockpost(*options: str) -> Iterator[tuple[str, subprocess.Popen[str], str]]:
    env = {**os.environ, "MOCKPOST_API_KEY": "", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockpost",
            "serve",
            str(EXAMPLE),
            "-e",
            str(EXAMPLE_ENV),
            "--port",
            "0",
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout is not None
    url = None
    banner: list[str] = []
    deadline = time.monotonic() + 20
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        banner.append(line)
        found = re.search(r"Listening on (http://\S+)", line)
        url = found.group(1) if found else None
    if url is None:
        process.kill()
        pytest.fail(f"mockpost did not start: {process.communicate()[0]}")
    yield url, process, "".join(banner)
    process.terminate()
    process.wait(timeout=10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_end_to_end_the_real_cli_serves_the_bundled_example(
    running_mockpost: tuple[str, subprocess.Popen[str], str],
) -> None:
    url, process, banner = running_mockpost
    assert "Bookshop API (mockpost example)" in banner
    assert "9 requests, 9 with examples; 16 examples" in banner
    status, body = get(f"{url}/v1/users/1")
    assert status == 200
    assert json.loads(body)["name"] == "Ada Lovelace"
    status, body = get(f"{url}/v1/users/99", {"x-mock-response-code": "404"})
    assert status == 404
    assert json.loads(body)["error"]["code"] == "user_not_found"
    assert get(f"{url}/v1/nowhere") == (404, NOT_FOUND)
    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert re.search(r"GET +/v1/users/1  200  'User 1' of 'Get user'", output)
    assert "No matching requests" in output


def test_unknown_locale_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", str(EXAMPLE), "--locale", "de_XX"])
    assert result.exit_code == 2
    assert "'de_XX' is not a locale Faker knows (did you mean" in result.output
    assert "de_DE" in result.output


def test_workers_answer_on_one_port_and_every_call_reaches_the_one_log(
    mockpost_with_workers: tuple[str, subprocess.Popen[str], str],
) -> None:
    url, process, banner = mockpost_with_workers
    assert "with 2 worker processes" in banner
    for i in range(20):
        assert get(f"{url}/v1/users/1?n={i}")[0] == 200
    assert get(f"{url}/v1/nowhere") == (404, NOT_FOUND)
    process.terminate()
    output, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert len(re.findall(r"GET +/v1/users/1\?n=\d+  200", output)) == 20
    assert "No matching requests" in output


def test_zero_workers_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", str(EXAMPLE), "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_worker_that_dies_is_reported_and_the_others_keep_serving(
    mockpost_with_workers: tuple[str, subprocess.Popen[str], str],
) -> None:
    url, process, _ = mockpost_with_workers
    workers = _children(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    time.sleep(0.5)
    for _ in range(5):
        assert get(f"{url}/v1/users/1")[0] == 200
    os.kill(workers[1], signal.SIGKILL)
    output, _ = process.communicate(timeout=15)
    assert "a worker process stopped unexpectedly; 1 left serving" in output
    assert "every worker process stopped unexpectedly" in output
    assert process.returncode == 1
