"""The call log for CI: JSON lines in a file and on standard output, HAR when mockpost stops."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mockpost.calls.jsonlines import JsonLines
from tests.conftest import EXAMPLE, call_record, http_get, running_cli


def test_log_file_gets_every_call_as_a_json_line_and_loses_none_on_sigterm(
    tmp_path: Path,
) -> None:
    log = tmp_path / "calls.jsonl"
    with running_cli(str(EXAMPLE), "--log-file", str(log), "--quiet") as cli:
        for i in range(300):
            http_get(f"{cli.url}/v1/users/{i % 3 + 1}?n={i}")
        http_get(f"{cli.url}/v1/nowhere")
        cli.stop()  # SIGTERM right after the calls: the last flush happens on the way out
        assert cli.process.returncode == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 301
    calls = [json.loads(line) for line in lines]
    assert [c["query"] for c in calls[:3]] == ["n=0", "n=1", "n=2"]
    assert calls[0]["example"]["name"] == "User 1"
    assert calls[-1]["status"] == 404
    assert calls[-1]["explanation"]
    assert {"request", "response", "notes", "explanation"} <= set(calls[0])


def test_log_format_json_prints_json_lines_only_on_stdout(tmp_path: Path) -> None:
    with running_cli(str(EXAMPLE), "--log-format", "json") as cli:
        http_get(f"{cli.url}/v1/users/1")
        output = cli.stop()
    lines = (cli.banner + output).splitlines()
    # running_cli merges stderr (the banner) into what it reads: the JSON lines are the rest.
    objects = [json.loads(line) for line in lines if line.startswith("{")]
    assert objects[0] == {"event": "listening", "url": cli.url}
    assert objects[1]["path"] == "/v1/users/1"
    assert objects[1]["status"] == 200
    assert not any(re.match(r"\d\d:\d\d:\d\d\.\d{3} ", line) for line in lines)


def test_har_is_written_when_mockpost_stops(tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    with running_cli(str(EXAMPLE), "--har", str(har), "--quiet") as cli:
        http_get(f"{cli.url}/v1/users/1")
        http_get(f"{cli.url}/v1/nowhere")
        assert not har.exists()
        cli.stop()
    entries = json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]
    assert [e["response"]["status"] for e in entries] == [200, 404]
    assert entries[0]["request"]["url"] == f"{cli.url}/v1/users/1"


def test_json_lines_overflow_is_counted_in_a_line_of_its_own() -> None:
    import io

    out = io.StringIO()
    lines = JsonLines(out, limit=3)
    for i in range(5):
        lines(call_record(id=i + 1, path=f"/x/{i}"))
    lines.flush()
    written = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [w.get("path") for w in written[:3]] == ["/x/0", "/x/1", "/x/2"]
    assert written[3] == {"event": "overflow", "calls": 2}


def test_a_log_file_that_cannot_be_written_is_one_line_and_exit_1(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mockpost.cli import main

    where = tmp_path / "missing-folder" / "calls.jsonl"
    result = CliRunner().invoke(main, ["serve", str(EXAMPLE), "--log-file", str(where)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {where}: cannot be written: the folder {where.parent} does not exist"
    )
    assert "Traceback" not in result.output


def test_json_lines_carry_no_control_character_even_c1(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    with running_cli(str(EXAMPLE), "--log-file", str(log), "--quiet") as cli:
        http_get(f"{cli.url}/v1/%c2%9b31m%1b[2J")
        cli.stop()
    text = log.read_text(encoding="utf-8")
    assert text.isascii()
    assert json.loads(text)["path"] == "/v1/\x9b31m\x1b[2J"
