"""The command line: errors as one line and an exit code, and one real end-to-end run."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockpost.cli import main
from tests.conftest import EXAMPLE, EXAMPLE_ENV, NOT_FOUND, ROOT, http_get, running_cli

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
        "--keep-cors-headers",
        "--log-format",
        "--log-file",
        "--har",
        "--log-capacity",
        "--no-admin",
        "--no-watch",
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
    assert lines == [
        f"Error: {path}: expected an array or null, found a number (at $.item[0].response)"
    ]
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
        (["--delay", "fast"], "'fast': not a number of ms (a delay is ms, 2g, 3g, MIN-MAX"),
        (["--delay", "500-100"], "500 is more than 100"),
        (["--delay", "lognormal:200"], "expected lognormal:MEDIAN:SIGMA"),
        (["--error-rate", "150"], "'150' is not a percentage 0..100"),
        (["--error-rate", "10:404"], "the codes must be 5xx"),
        (["--rate-limit", "5/h"], "'5/h' is not N/s or N/m"),
        (["--rate-limit-by", "cookie"], "'cookie' is not global, ip or header:NAME"),
        (["--fault", "5:explode"], "the kind is one of reset, empty, garbage"),
        (["--fault", "60:reset", "--fault", "50:empty"], "add up to 110%, over 100%"),
        (["--port", "70000"], "70000 is not in the range"),
        (["--server-response", "404"], "the code must be a 5xx"),
    ],
)
def test_bad_options_are_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["serve", str(EXAMPLE), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_port_in_use_is_one_line_and_exit_1(runner: CliRunner) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", str(EXAMPLE), "--port", str(port)])
    assert result.exit_code == 1
    assert f"Error: cannot listen on http://127.0.0.1:{port}" in result.output


def test_end_to_end_the_real_cli_serves_the_bundled_example() -> None:
    with running_cli(str(EXAMPLE), "-e", str(EXAMPLE_ENV), "--delay", "3g") as cli:
        assert "Bookshop API (mockpost example)" in cli.banner
        assert "9 requests, 9 with examples; 16 examples" in cli.banner
        status, body = http_get(f"{cli.url}/v1/users/1")
        assert status == 200
        assert json.loads(body)["name"] == "Ada Lovelace"
        status, body = http_get(f"{cli.url}/v1/users/99", {"x-mock-response-code": "404"})
        assert status == 404
        assert json.loads(body)["error"]["code"] == "user_not_found"
        assert http_get(f"{cli.url}/v1/nowhere") == (404, NOT_FOUND)
        output = cli.stop()
        assert cli.process.returncode == 0
    assert re.search(r"GET +/v1/users/1  200  'User 1' of 'Get user'", output)
    assert "No matching requests" in output


def test_unknown_locale_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", str(EXAMPLE), "--locale", "de_XX"])
    assert result.exit_code == 2
    assert "'de_XX' is not a locale Faker knows (did you mean" in result.output
    assert "de_DE" in result.output


def test_workers_are_gone_and_the_readme_says_how_to_use_more_cores(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", str(EXAMPLE), "--workers", "2"])
    assert result.exit_code == 2
    assert "No such option '--workers'" in result.output
    assert "load balancer" in README
