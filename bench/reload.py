"""The latency of calls while mockpost reloads a 20,000-example collection under load.

    .venv/bin/python bench/reload.py                      # 3 runs of 20 s, 16 connections
    .venv/bin/python bench/reload.py --runs 5 --reload-every 1

Starts `mockpost serve` (the real CLI, --quiet --no-watch) on the 10,000-request benchmark
collection (20,000 examples), drives it with a Python load generator over the paths its
examples answer, and every --reload-every seconds asks it to reload (`POST
/__mockpost/reload`, which answers once the new index is in). Each call's latency is put with
the calls made while a reload was being built, or with the others. Printed: for each group,
the calls, the median, the 99th percentile and the longest latency (medians over runs), and
how long a reload took. The build runs in a thread: Python's lock on the interpreter is what
calls share with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import drive_connection, free_port, wait_listening  # noqa: E402

Window = tuple[float, float]
Timed = list[tuple[float, float]]  # (sent at, latency) in seconds


def _load(port: int, paths: list[str], connections: int, until: float, out: Timed) -> None:
    async def clients() -> None:
        step = len(paths) // connections
        await asyncio.gather(
            *(drive_connection(port, paths, i * step, until, out) for i in range(connections))
        )

    asyncio.run(clients())


def _reloads(url: str, every: float, until: float) -> list[Window]:
    windows: list[Window] = []
    while time.perf_counter() + every < until:
        time.sleep(every)
        started = time.perf_counter()
        request = urllib.request.Request(url + "/__mockpost/reload", method="POST")
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert json.load(answer)["examples"] == 20_000
        windows.append((started, time.perf_counter()))
    return windows


def _during(sent: float, latency: float, windows: list[Window]) -> bool:
    return any(sent < end and sent + latency > start for start, end in windows)


def one_run(collection: Path, paths: list[str], args: argparse.Namespace) -> dict[str, float]:
    port = free_port()
    command = [sys.executable, "-m", "mockpost", "serve", str(collection), "--port", str(port)]
    server = subprocess.Popen([*command, "--quiet", "--no-watch"], stdout=subprocess.DEVNULL)
    try:
        wait_listening(port, server)
        warm: Timed = []
        _load(port, paths, args.connections, time.perf_counter() + 2, warm)
        timed: Timed = []
        until = time.perf_counter() + args.duration
        load = threading.Thread(target=_load, args=(port, paths, args.connections, until, timed))
        load.start()
        windows = _reloads(f"http://127.0.0.1:{port}", args.reload_every, until)
        load.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    during = sorted(lat for sent, lat in timed if _during(sent, lat, windows))
    other = sorted(lat for sent, lat in timed if not _during(sent, lat, windows))
    figures = {"reloads": len(windows), "reload_s": statistics.median(e - s for s, e in windows)}
    for name, group in (("during", during), ("other", other)):
        figures[f"{name}_calls"] = len(group)
        figures[f"{name}_p50_ms"] = group[len(group) // 2] * 1000
        figures[f"{name}_p99_ms"] = group[int(len(group) * 0.99)] * 1000
        figures[f"{name}_max_ms"] = group[-1] * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reload-every", type=float, default=2.0, help="seconds")
    args = parser.parse_args()
    data, paths = generate(10_000)
    with tempfile.TemporaryDirectory() as work:
        collection = Path(work) / "bench-10000.postman_collection.json"
        collection.write_text(json.dumps(data))
        runs = [one_run(collection, paths, args) for _ in range(args.runs)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print(
        f"{args.runs} runs of {args.duration:.0f} s, {args.connections} connections, "
        f"a reload every {args.reload_every:g} s (medians over runs)"
    )
    print(f"reloads per run {median['reloads']:.0f}, each {median['reload_s']:.2f} s")
    print(f"{'calls':<28}{'count':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, label in (("during", "while a reload was built"), ("other", "the others")):
        print(
            f"{label:<28}{median[f'{name}_calls']:>10,.0f}{median[f'{name}_p50_ms']:>10.2f}"
            f"{median[f'{name}_p99_ms']:>10.2f}{median[f'{name}_max_ms']:>10.2f}"
        )


if __name__ == "__main__":
    main()
