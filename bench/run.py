"""Benchmark mockpost against a plain aiohttp app that returns fixed bytes.

    .venv/bin/python bench/run.py            # 5 interleaved rounds of 5 s per target
    .venv/bin/python bench/run.py --rounds 7 --duration 10 --connections 64
    .venv/bin/python bench/run.py --compare /tmp/old-checkout   # before/after, same run

It generates a 10-request and a 10,000-request collection (two examples each, half with a
wildcard segment: 20 and 20,000 examples), starts mockpost on each (with its default call log,
sent to a file) and the plain app twice (one driven over the 10 paths, one over the 10,000,
longer, paths), and drives each with wrk over a rotating set of paths that the examples answer
(a Python load generator when wrk is missing: slower, so only the ratios mean much). Rounds are
interleaved so that noise from a shared machine falls on every target alike; the figures
printed are medians over rounds. Start-up is timed from process start to the port accepting
connections, with the 20,000-example collection, three times, then with the same collection
written as a v3 tree (this checkout only). `--compare DIR` adds the
mockpost of another checkout (its `mockpost/` run from DIR), on the same collections, to the
same rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(port: int, process: subprocess.Popen[Any], timeout: float = 60) -> float:
    """Seconds until the port accepts a connection."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.05):
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.002)
    raise SystemExit(f"server not listening on {port} after {timeout} s")


def rss_mib(pid: int, field_name: str = "VmRSS") -> float:
    """Resident memory of a process and its children (the workers), in MiB."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0.0
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                total += int(line.split()[1]) / 1024
    return total


@dataclass
class Server:
    name: str
    command: list[str]
    paths: list[str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    startup: float = 0.0
    source: str | None = None  # another checkout's directory to run mockpost from
    env: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        env = {**os.environ, **self.env}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # start-up as users see it, with bytecode
        if self.source is not None:
            env["PYTHONPATH"] = self.source
            env["MOCKPOST_NO_CACHE"] = "1"  # an older checkout's snapshots: none kept or read
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*self.command, "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.source,
            )
        self.startup = wait_listening(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx answers and socket errors
    cpu_us: float = 0.0  # the server's CPU time per request (user + system), in µs


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used (user + system), from /proc: what noise from other
    processes on a shared machine moves much less than the wall-clock rate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(drive: Any, server: Server, duration: float, connections: int, work: Path) -> Run:
    assert server.process is not None
    before = cpu_seconds(server.process.pid)
    run: Run = drive(server, duration, connections, work)
    used = cpu_seconds(server.process.pid) - before
    run.cpu_us = used * 1e6 / max(run.requests, 1)
    return run


def warm_up(drive: Any, server: Server, seconds: float, connections: int, work: Path) -> None:
    """Runs of the load until every path was called at least twice: a call's first answer is
    kept, and its first repeat makes the bytes later repeats send (steady state is what the
    rounds measure). Each run starts the rotation at the first path; at most 10 runs."""
    passes = 0
    for _ in range(10):
        passes += drive(server, seconds, connections, work).requests // len(server.paths)
        if passes >= 2:
            return


LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_run(server: Server, duration: float, connections: int, workdir: Path) -> Run:
    script = workdir / f"{server.port}.lua"
    if not script.exists():
        script.write_text(LUA % ", ".join(json.dumps(p) for p in server.paths))
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{server.port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, micros, p50, p99, bad = (int(x) for x in line.split()[1:])
    return Run(requests / (micros / 1e6), p50 / 1000, p99 / 1000, requests, bad)


async def drive_connection(
    port: int, paths: list[str], offset: int, until: float, out: list[tuple[float, float]]
) -> int:
    """Calls over one keep-alive connection until `until`: (sent at, latency) of each in
    `out`; how many were not 2xx."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    bad = 0
    n = offset
    try:
        while time.perf_counter() < until:
            path = paths[n % len(paths)]
            n += 1
            sent = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            out.append((sent, time.perf_counter() - sent))
            if not head.startswith(b"HTTP/1.1 2"):
                bad += 1
    finally:
        writer.close()
    return bad


def python_run(server: Server, duration: float, connections: int, workdir: Path) -> Run:
    async def drive() -> Run:
        timed: list[tuple[float, float]] = []
        started = time.perf_counter()
        until = started + duration
        bads = await asyncio.gather(
            *(
                drive_connection(server.port, server.paths, i * 7, until, timed)
                for i in range(connections)
            )
        )
        elapsed = time.perf_counter() - started
        latencies = sorted(latency for _, latency in timed)
        return Run(
            len(latencies) / elapsed,
            latencies[len(latencies) // 2] * 1000,
            latencies[int(len(latencies) * 0.99)] * 1000,
            len(latencies),
            sum(bads),
        )

    return asyncio.run(drive())


class PageReader(threading.Thread):
    """What the call-log page does: follow /__mockpost/events, reading every event."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.events = 0

    def run(self) -> None:
        try:
            url = f"http://127.0.0.1:{self.port}/__mockpost/events"
            with urllib.request.urlopen(url, timeout=3600) as stream:
                for line in stream:
                    if line.startswith(b"event: "):
                        self.events += 1
        except OSError:
            pass  # the server stopped, or has no event stream (an older checkout)


def har_seconds(port: int) -> tuple[float, int]:
    """How long /__mockpost/calls.har takes for the calls kept, and how many entries."""
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__mockpost/calls.har") as answer:
        document = json.loads(answer.read())
    return time.perf_counter() - started, len(document["log"]["entries"])


def startup_times(
    command: list[str], times: int, workdir: Path, source: str | None = None
) -> tuple[list[float], float]:
    """Start-up to listening, `times` runs, and the memory once listening (MiB)."""
    found: list[float] = []
    memory = 0.0
    for i in range(times):
        server = Server("mockpost startup", command, [], workdir / f"startup{i}.log", source=source)
        server.start()
        time.sleep(0.2)
        assert server.process is not None
        memory = rss_mib(server.process.pid)
        server.stop()
        found.append(server.startup)
    return found, memory


def paired(runs: list[Run], others: list[Run]) -> str:
    """The ratio of two targets' rates round by round (each pair ran back to back, so the
    minute's noise falls on both alike), and its median."""
    ratios = [run.rps / other.rps for run, other in zip(runs, others, strict=True)]
    listed = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    return f"round by round {listed}: median {statistics.median(ratios):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--warm-up", type=float, default=3.0, help="seconds per warm-up run (see warm_up)"
    )
    parser.add_argument("--compare", metavar="DIR", help="also run the mockpost of this checkout")
    parser.add_argument(
        "--no-page", action="store_true", help="no reader on each mockpost's event stream"
    )
    parser.add_argument("--python-load", action="store_true", help="do not use wrk")
    args = parser.parse_args()

    use_wrk = shutil.which("wrk") is not None and not args.python_load
    drive = wrk_run if use_wrk else python_run
    workdir = Path(tempfile.mkdtemp(prefix="mockpost-bench-"))
    mockpost = [PYTHON, "-m", "mockpost", "serve"]
    servers: list[Server] = []
    compared: list[Server] = []
    for size in (10, 10_000):
        collection, paths = generate(size)
        file = workdir / f"bench{size}.postman_collection.json"
        file.write_text(json.dumps(collection))
        servers.append(
            Server(
                f"mockpost, {size} requests",
                [*mockpost, str(file)],
                paths,
                workdir / f"mockpost{size}.log",
            )
        )
        if args.compare:
            compared.append(
                Server(
                    f"compared, {size} requests",
                    [*mockpost, str(file)],
                    paths,
                    workdir / f"compared{size}.log",
                    source=str(Path(args.compare).resolve()),
                )
            )
    plain = [PYTHON, str(HERE / "plain.py")]
    small, big = servers
    # The plain app twice: over the 10 paths, and over the 10,000 (longer) paths, so that what
    # the paths alone cost is not counted against the index. Each pair that is compared runs
    # back to back in every round (the order is reversed every other round).
    plain_big = Server("plain, 10000 paths", plain, big.paths, workdir / "plain10000.log")
    servers = [
        Server("plain aiohttp", plain, small.paths, workdir / "plain10.log"),
        small,
        big,
        plain_big,
        *compared,
    ]

    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    load = "wrk -t1" if use_wrk else "Python load generator"
    print(
        f"load: {load}, {args.connections} connections, {args.duration:g} s per run, "
        f"{args.rounds} interleaved rounds; logs in {workdir}"
    )
    runs: dict[str, list[Run]] = {s.name: [] for s in servers}
    memory: dict[str, float] = {}
    try:
        for server in servers:
            server.start()
        if not args.no_page:  # a call-log page connected to each mockpost
            for server in servers:
                if not server.name.startswith("plain"):
                    PageReader(server.port).start()
        for server in servers:
            warm_up(drive, server, args.warm_up, args.connections, workdir)
        for round_number in range(args.rounds):
            order = servers if round_number % 2 == 0 else list(reversed(servers))
            for server in order:
                runs[server.name].append(
                    measured(drive, server, args.duration, args.connections, workdir)
                )
        for server in servers:
            assert server.process is not None
            memory[server.name] = rss_mib(server.process.pid, "VmHWM")
        har_times = [har_seconds(small.port) for _ in range(3)]
    finally:
        for server in servers:
            server.stop()

    startup_command = [*big.command, "--quiet"]
    startups, startup_memory = startup_times(startup_command, 3, workdir)
    # The same collection as a v3 tree (a directory of 30,000 YAML files), this checkout only.
    sys.path.insert(0, str(HERE.parent))
    from mockpost.postman.v3write import write_v3

    tree = workdir / "bench10000-v3"
    write_v3(json.loads((workdir / "bench10000.postman_collection.json").read_text()), tree)
    v3_command = [*mockpost, str(tree), "--quiet"]
    v3_startups = startup_times(v3_command, 3, workdir)[0]
    compared_startups = (
        startup_times(startup_command, 3, workdir, compared[-1].source)[0] if compared else []
    )

    def median(name: str, attribute: str) -> float:
        return float(statistics.median(getattr(r, attribute) for r in runs[name]))

    ceiling = median("plain aiohttp", "rps")
    print()
    ceiling_cpu = median("plain aiohttp", "cpu_us")
    print(
        f"{'target':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'peak MiB':>10}"
        f"{'vs plain':>10}{'CPU µs':>8}{'by CPU':>8}{'non-2xx':>9}"
    )
    for server in servers:
        name = server.name
        rps = median(name, "rps")
        bad = sum(r.bad for r in runs[name])
        cpu = median(name, "cpu_us")
        print(
            f"{name:<28}{rps:>9.0f}{median(name, 'p50_ms'):>9.2f}{median(name, 'p99_ms'):>9.2f}"
            f"{memory[name]:>10.0f}{rps / ceiling:>10.2f}{cpu:>8.1f}{ceiling_cpu / cpu:>8.2f}"
            f"{bad:>9}"
        )
    print(
        "(CPU µs: the server's CPU time per request; by CPU: the plain app's CPU per request "
        "over this one's, the ratio a noisy machine blurs least)"
    )
    print()
    print("10 requests vs the plain app: " + paired(runs[small.name], runs["plain aiohttp"]))
    small_rps, big_rps = median(small.name, "rps"), median(big.name, "rps")
    print(
        f"10,000 requests vs 10 requests: {big_rps / small_rps:.2f} (medians of the rates); "
        + paired(runs[big.name], runs[small.name])
    )
    print(
        f"10,000 requests vs the plain app over the same 10,000 paths: "
        f"{big_rps / median(plain_big.name, 'rps'):.2f} (medians of the rates); "
        + paired(runs[big.name], runs[plain_big.name])
    )
    print(
        f"calls.har of the {har_times[0][1]:,} calls kept: median "
        f"{statistics.median(t for t, _ in har_times) * 1000:.0f} ms; "
        + ("one page reader on each mockpost's event stream" if not args.no_page else "no page")
    )
    print(
        f"start-up to listening, 20,000 examples: median "
        f"{statistics.median(startups):.2f} s (runs: {', '.join(f'{s:.2f}' for s in startups)}); "
        f"memory once listening {startup_memory:.0f} MiB"
    )
    print(
        f"start-up to listening, the same 20,000 examples as a v3 tree of YAML files: median "
        f"{statistics.median(v3_startups):.2f} s "
        f"(runs: {', '.join(f'{s:.2f}' for s in v3_startups)})"
    )
    if compared:
        old_small_runs, old_big_runs = (runs[s.name] for s in compared)
        old_small, old_big = (median(s.name, "rps") for s in compared)
        old_cpu_small, old_cpu_big = (median(s.name, "cpu_us") for s in compared)
        print(
            f"compared checkout ({args.compare}): 10 requests {old_small / ceiling:.2f} of the "
            f"plain app ({ceiling_cpu / old_cpu_small:.2f} by CPU), 10,000 requests "
            f"{old_big / ceiling:.2f} ({ceiling_cpu / old_cpu_big:.2f} by CPU), 10,000 vs 10 "
            f"{old_big / old_small:.2f} ({paired(old_big_runs, old_small_runs)}); "
            f"start-up median {statistics.median(compared_startups):.2f} s"
        )
    print(
        f"by CPU: 10,000 requests vs 10 requests "
        f"{median(small.name, 'cpu_us') / median(big.name, 'cpu_us'):.2f}"
    )
    print(
        "per-round req/s: "
        + "; ".join(
            f"{name}: {', '.join(f'{r.rps:.0f}' for r in found)}" for name, found in runs.items()
        )
    )


if __name__ == "__main__":
    main()
