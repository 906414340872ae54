"""What serve, record and import write, checked before any work is done, and what a command
run against the mock starts, ended with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockpost.cli import main
from tests.conftest import EXAMPLE, http_get, running_cli


@pytest.mark.parametrize(
    ("option", "name", "said"),
    [
        ("--har", "missing/calls.har", "the folder {tmp}/missing does not exist"),
        ("--log-file", "missing/calls.jsonl", "the folder {tmp}/missing does not exist"),
        ("--write-env", "missing/env.json", "the folder {tmp}/missing does not exist"),
        ("--har", "fifo", "it is not a regular file"),
        ("--log-file", "fifo", "a FIFO that nothing reads"),
    ],
)
def test_an_output_that_cannot_be_written_is_a_one_line_error_at_start_up(
    runner: CliRunner, tmp_path: Path, option: str, name: str, said: str
) -> None:
    os.mkfifo(tmp_path / "fifo")
    result = runner.invoke(
        main, ["serve", str(EXAMPLE), "--port", "0", option, str(tmp_path / name)]
    )
    assert result.exit_code == 1
    assert said.format(tmp=tmp_path) in result.output
    assert "Listening" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_record_to_and_import_check_their_file_first(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing" / "out.json")
    result = runner.invoke(
        main, ["serve", str(EXAMPLE), "--proxy", "http://127.0.0.1:9", "--record-to", missing]
    )
    assert result.exit_code == 1
    assert "does not exist" in result.output
    result = runner.invoke(main, ["import", str(EXAMPLE), "-o", missing])
    assert result.exit_code == 1
    assert f"{missing}: cannot be written: the folder" in result.output


def test_a_log_file_fifo_with_a_reader_gets_the_calls(tmp_path: Path) -> None:
    fifo = tmp_path / "calls.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # someone reads it: no wait
    try:
        with running_cli(str(EXAMPLE), "--quiet", "--no-watch", "--log-file", str(fifo)) as cli:
            http_get(cli.url + "/v1/users/1")
            cli.stop()
        assert b'"/v1/users/1"' in os.read(reader, 1 << 16)
    finally:
        os.close(reader)


def test_an_option_error_names_the_environment_variable_only_when_it_came_from_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["serve", str(EXAMPLE), "--write-env", str(tmp_path)])
    assert result.exit_code == 2
    assert "Invalid value for '--write-env':" in result.output
    assert "MOCKPOST_WRITE_ENV" not in result.output
    result = runner.invoke(main, ["serve", str(EXAMPLE)], env={"MOCKPOST_WRITE_ENV": str(tmp_path)})
    assert result.exit_code == 2
    assert "(env var: 'MOCKPOST_WRITE_ENV')" in result.output


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting to be reaped does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def serving(script: str) -> list[str]:
    """`mockpost serve EXAMPLE -- sh -c SCRIPT`."""
    mockpost = [sys.executable, "-m", "mockpost", "serve", str(EXAMPLE), "--port", "0"]
    return [*mockpost, "--quiet", "--", "sh", "-c", script]


def assert_ends(pid: int) -> None:
    for _ in range(100):  # a process killed is gone within moments
        if not alive(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} (sleep 300) outlived mockpost")


def wait_for_file(path: Path) -> str:
    for _ in range(200):
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")
def test_what_the_command_started_ends_when_the_command_ends(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    result = subprocess.run(
        serving(f"sleep 300 & echo $! > {pid_file}; exit 3"),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert_ends(int(pid_file.read_text()))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")
def test_stopping_mockpost_ends_the_commands_whole_process_tree(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    process = subprocess.Popen(
        serving(f"sleep 300 & echo $! > {pid_file}; wait"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        pid = int(wait_for_file(pid_file))
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        assert_ends(pid)
    finally:
        if process.poll() is None:
            process.kill()
