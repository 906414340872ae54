"""CI recipes: `serve -- COMMAND`, `--write-env` for newman, options from the environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mockpost.cli import main
from mockpost.cli.serve import serve
from tests.conftest import EXAMPLE, EXAMPLE_ENV, ROOT, http_get, running_cli

FETCH_USER = (
    "import os, sys, urllib.request\n"
    "answer = urllib.request.urlopen(os.environ['MOCKPOST_URL'] + '/v1/users/1')\n"
    "print('command got', answer.status)\n"
    "sys.exit(int(sys.argv[1]))\n"
)


def mockpost_with(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`mockpost serve EXAMPLE --port 0 ARGS`, run to its end."""
    return subprocess.run(
        [sys.executable, "-m", "mockpost", "serve", str(EXAMPLE), "--port", "0", "--no-watch"]
        + [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "MOCKPOST_API_KEY": ""},
    )


@pytest.mark.parametrize("code", [0, 3])
def test_a_command_runs_against_the_mock_and_mockpost_exits_with_its_code(
    tmp_path: Path, code: int
) -> None:
    har, log = tmp_path / "calls.har", tmp_path / "calls.jsonl"
    result = mockpost_with(
        "--har", har, "--log-file", log, "--", sys.executable, "-c", FETCH_USER, str(code)
    )
    assert result.returncode == code, result.stderr
    assert "command got 200" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    entries = json.loads(har.read_text())["log"]["entries"]
    assert [e["request"]["url"].split("/", 3)[3] for e in entries] == ["v1/users/1"]
    assert [json.loads(line)["path"] for line in log.read_text().splitlines()] == ["/v1/users/1"]


def test_options_after_the_double_dash_belong_to_the_command() -> None:
    result = mockpost_with("--", sys.executable, "-c", "import sys; print(sys.argv)", "--port", "1")
    assert result.returncode == 0
    assert "'--port', '1'" in result.stdout


def test_a_command_that_does_not_exist_is_one_line_and_exit_127() -> None:
    result = mockpost_with("--", "no-such-command-for-mockpost")
    assert result.returncode == 127
    assert "cannot run 'no-such-command-for-mockpost': no such command" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_command_ended_by_a_signal_exits_as_a_shell_says() -> None:
    kill_itself = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    assert mockpost_with("--", sys.executable, "-c", kill_itself).returncode == 128 + 9


def test_stopping_mockpost_stops_its_command(tmp_path: Path) -> None:
    started = tmp_path / "started"
    wait = f"import pathlib, time; pathlib.Path({str(started)!r}).touch(); time.sleep(60)"
    with running_cli(str(EXAMPLE), "--no-watch", "--", sys.executable, "-c", wait) as cli:
        while not started.exists():
            assert cli.process.poll() is None
        cli.process.send_signal(signal.SIGTERM)
        assert cli.process.wait(timeout=15) == 128 + signal.SIGTERM


def test_write_env_holds_the_mocks_url_keeping_the_variables_path(tmp_path: Path) -> None:
    written = tmp_path / "mock.postman_environment.json"
    args = ("-e", str(EXAMPLE_ENV), "--write-env", str(written), "--url-var", "baseUrl")
    with running_cli(str(EXAMPLE), *args) as cli:
        document = json.loads(written.read_text())
    values = {v["key"]: v["value"] for v in document["values"]}
    assert values == {"baseUrl": cli.url + "/v1", "apiVersion": "2024-06-local"}
    assert document["_postman_variable_scope"] == "environment"


def test_write_env_names_url_by_default(tmp_path: Path) -> None:
    written = tmp_path / "env.json"
    with running_cli(str(EXAMPLE), "--write-env", str(written)) as cli:
        values = {v["key"]: v["value"] for v in json.loads(written.read_text())["values"]}
    assert values == {"url": cli.url}


def newman() -> str:
    found = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "newman"
    if found.exists():
        return str(found)
    on_path = shutil.which("newman")
    if on_path is None:
        pytest.skip("newman is not installed (scripts/check installs it when npm is there)")
    return on_path


def test_newman_runs_the_collection_against_the_mock_with_the_written_environment(
    tmp_path: Path,
) -> None:
    env, report, har = tmp_path / "env.json", tmp_path / "newman.json", tmp_path / "calls.har"
    run_newman = [
        newman(),
        "run",
        str(EXAMPLE),
        "-e",
        str(env),
        "--reporters",
        "json",
        "--reporter-json-export",
        str(report),
    ]
    served = ("-e", EXAMPLE_ENV, "--write-env", env, "--url-var", "baseUrl", "--har", har)
    result = mockpost_with(*served, "--", *run_newman, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    executions: list[dict[str, Any]] = json.loads(report.read_text())["run"]["executions"]
    codes = {e["item"]["name"]: e["response"]["code"] for e in executions}
    assert len(codes) == 9
    assert (codes["Get order"], codes["Create user"]) == (200, 201)
    assert codes["Download invoice"] == 200
    entries = json.loads(har.read_text())["log"]["entries"]
    assert len(entries) == 9
    # every request is answered by an example of its own
    names = [e["item"]["name"] for e in executions]
    answered_by = [re.search(r" of (['\"])(.*?)\1 \(", e["comment"]) for e in entries]
    assert [found.group(2) if found else None for found in answered_by] == names


def test_every_serve_option_can_come_from_the_environment_and_help_says_so() -> None:
    help_text = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output
    for param in serve.params:
        if param.param_type_name != "option" or param.name == "help":
            continue
        long = next(o for o in param.opts if o.startswith("--"))
        expected = "MOCKPOST_" + long[2:].upper().replace("-", "_")
        assert param.envvar == expected
        assert expected in help_text


def test_the_default_port_is_not_a_front_end_dev_servers() -> None:
    help_text = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output
    assert "MOCKPOST_PORT; default: 6625;" in help_text


def test_server_response_and_its_body_file_come_from_the_environment(tmp_path: Path) -> None:
    body = tmp_path / "down.json"
    body.write_text('{"down": true}')
    with running_cli(str(EXAMPLE), env={"MOCKPOST_SERVER_RESPONSE": f"503:{body}"}) as cli:
        assert http_get(cli.url + "/v1/users/1") == (503, b'{"down": true}')


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("503:/no/such/file.json", "/no/such/file.json: no such file"),
        ("abc", "the code must be a 5xx"),
        ("200:x.json", "the code must be a 5xx"),
    ],
)
def test_a_bad_server_response_is_a_usage_error(value: str, message: str) -> None:
    result = CliRunner().invoke(main, ["serve", str(EXAMPLE), "--server-response", value])
    assert result.exit_code == 2
    assert message in result.output


def test_a_bad_flag_value_from_the_environment_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["serve", str(EXAMPLE)], env={"MOCKPOST_NO_WATCH": "maybe"})
    assert result.exit_code == 2
    assert "MOCKPOST_NO_WATCH" in result.output or "maybe" in result.output
