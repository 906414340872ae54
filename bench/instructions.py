"""Instructions per call, counted by valgrind: a figure a noisy shared machine cannot move.

    .venv/bin/python bench/instructions.py                      # this checkout
    .venv/bin/python bench/instructions.py --compare ../old     # and another, same calls
    .venv/bin/python bench/instructions.py --plain              # and the plain aiohttp app
    .venv/bin/python bench/instructions.py --requests 10000     # over 10,000 paths

Each server (`--quiet`, the 10-request benchmark collection, or `--requests 10000`) runs
under `valgrind --tool=cachegrind --cache-sim=no` twice: once for no call, once for CALLS plain
calls over the collection's paths (one keep-alive connection); the difference over CALLS is
the instructions one call costs, start-up excluded. Over more than 100 paths, both runs first
call every path twice, so that the calls counted are repeats, as in `run.py`'s rounds. Hash
randomisation changes dict layouts and so the counts: each figure is the median over several
fixed PYTHONHASHSEED values. Needs valgrind (`apt-get install valgrind`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import free_port, wait_listening  # noqa: E402


def mockpost_command(collection: Path) -> list[str]:
    return [sys.executable, "-m", "mockpost", "serve", str(collection), "--quiet"]


def plain_command(collection: Path) -> list[str]:
    return [sys.executable, str(HERE / "plain.py")]


def count(
    source: Path,
    collection: Path,
    paths: list[str],
    calls: int,
    seed: int,
    command: Callable[[Path], list[str]] = mockpost_command,
) -> int:
    """Instructions a server from `source` runs for `calls` calls, start-up and stop included."""
    port = free_port()
    out = Path(tempfile.mkdtemp(prefix="mockpost-instructions-"))
    # An older checkout's snapshots: none read or written (a writer's fork would be counted).
    env = {
        **os.environ,
        "PYTHONHASHSEED": str(seed),
        "PYTHONPATH": str(source),
        "MOCKPOST_NO_CACHE": "1",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    server = subprocess.Popen(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            f"--cachegrind-out-file={out / 'cg.out'}",
            *command(collection),
            "--port",
            str(port),
        ],
        cwd=source,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_listening(port, server, timeout=180)  # valgrind starts slowly
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for i in range(calls):
        connection.request("GET", paths[i % len(paths)])
        connection.getresponse().read()
    connection.close()
    time.sleep(0.5)
    server.terminate()
    report = server.communicate(timeout=120)[0]
    found = re.search(r"I\s+refs:\s+([\d,]+)", report)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{report[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_call(
    source: Path,
    collection: Path,
    paths: list[str],
    calls: int,
    seeds: int,
    command: Callable[[Path], list[str]] = mockpost_command,
) -> float:
    # Both counts first call every path twice (a call's first answer is kept, its first
    # repeat makes the bytes later repeats send), so that the difference is steady state.
    warm = 2 * len(paths) if len(paths) > 100 else 0
    found = []
    for seed in range(seeds):
        idle = count(source, collection, paths, warm, seed, command)
        busy = count(source, collection, paths, warm + calls, seed, command)
        found.append((busy - idle) / calls)
    return float(statistics.median(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument(
        "--requests",
        type=int,
        default=10,
        help="requests in the benchmark collection (two examples each)",
    )
    parser.add_argument("--seeds", type=int, default=3, help="PYTHONHASHSEED values 0..N-1")
    parser.add_argument("--compare", metavar="DIR", help="also count another checkout")
    parser.add_argument(
        "--plain", action="store_true", help="also count the plain aiohttp app (bench/plain.py)"
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind: apt-get install valgrind")
    collection, paths = generate(args.requests)
    work = Path(tempfile.mkdtemp(prefix="mockpost-instructions-"))
    file = work / f"bench{args.requests}.postman_collection.json"
    file.write_text(json.dumps(collection))
    here = per_call(ROOT, file, paths, args.calls, args.seeds)
    print(f"this checkout: {here:,.0f} instructions per call ({args.calls:,} calls)")
    if args.plain:
        plain = per_call(ROOT, file, paths, args.calls, args.seeds, plain_command)
        print(
            f"plain aiohttp app: {plain:,.0f} instructions per call; plain / this checkout: "
            f"{plain / here:.3f} (the share of the plain app's rate this code would reach if "
            "rates followed instructions)"
        )
    if args.compare:
        other = per_call(Path(args.compare).resolve(), file, paths, args.calls, args.seeds)
        print(
            f"{args.compare}: {other:,.0f} instructions per call; this one / that: "
            f"{here / other:.3f}"
        )


if __name__ == "__main__":
    main()
