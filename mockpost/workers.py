"""`serve --workers N`: N processes answer on one port; the parent prints one call log.

The parent loads and indexes the collection once and forks the workers, which share that
memory. It reserves the port with SO_REUSEPORT (so `--port 0` gets one port for all) and
never listens on it itself; each worker listens on the same port with SO_REUSEPORT, and the
kernel spreads connections over them. Each worker sends its calls to the parent in batches,
every 0.1 s, over a pipe; the parent records them in its own call log, which its printer
prints as the single-process server does. A stop (Ctrl+C, SIGTERM) stops every worker, waits
for its last batch, then prints what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import socket
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection

from aiohttp import web

from mockpost.calllog import CallLog, CallRecord
from mockpost.config import ServerConfig
from mockpost.index import Index
from mockpost.server import create_app

SEND_EVERY = 0.1  # seconds between batches from a worker
STOP_TIMEOUT = 10.0  # seconds a worker gets to finish after a stop

Ready = tuple[str, str]  # ("ready", "") or ("error", why)


def reserve_port(host: str, port: int) -> socket.socket:
    """A socket bound (not listening) with SO_REUSEPORT: the port every worker will share.

    A port some other program already uses with SO_REUSEPORT (another `mockpost --workers`)
    would be shared with it without a word: a bind without that option says first whether
    the port is free (raises OSError when it is not).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if port:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class _Batcher:
    """A worker's call-log listener: records, stripped of headers and bodies, sent in batches."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[CallRecord] = []

    def __call__(self, record: CallRecord) -> None:
        # Plain dicts for headers: what crosses the pipe must pickle.
        outcome = replace(record.outcome, response_headers={}, response_body=b"")
        self.pending.append(replace(record, outcome=outcome, request_headers={}, request_body=b""))

    def send(self) -> None:
        if self.pending:
            batch, self.pending = self.pending, []
            self.conn.send(batch)


async def _worker_serve(index: Index, config: ServerConfig, conn: Connection) -> None:
    calls = CallLog()
    batcher = _Batcher(conn)
    calls.subscribe(batcher)
    app = create_app(index, config, calls, freeze_kept=True)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, config.host, config.port, reuse_port=True)
        try:
            await site.start()
        except OSError as exc:
            conn.send(("error", str(exc.strerror or exc)))
            return
        conn.send(("ready", ""))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SEND_EVERY)
            batcher.send()
    finally:
        await runner.cleanup()
        batcher.send()


def _worker_main(index: Index, config: ServerConfig, conn: Connection) -> None:
    try:
        asyncio.run(_worker_serve(index, config, conn))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the parent is gone, or Ctrl+C came before the worker could take it
    finally:
        conn.close()


class Supervisor:
    """The parent: starts the workers, gathers their calls, stops them."""

    def __init__(
        self,
        index: Index,
        config: ServerConfig,
        workers: int,
        calls: CallLog,
        warn: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.index = index
        self.config = config
        self.count = workers
        self.calls = calls
        self.warn = warn  # told at once when a worker stops unasked
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.conns: list[Connection] = []

    def start(self) -> None:
        """Fork the workers; the caller has reserved the port in config."""
        context = multiprocessing.get_context("fork")
        for _ in range(self.count):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(
                target=_worker_main, args=(self.index, self.config, writer), daemon=True
            )
            process.start()
            writer.close()
            self.processes.append(process)
            self.conns.append(reader)

    def kill(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
            process.join(1.0)

    def wait_ready(self, timeout: float = 60.0) -> str | None:
        """None when every worker listens, else why one could not."""
        for conn in self.conns:
            if not conn.poll(timeout):
                return "a worker did not start in time"
            try:
                message = conn.recv()
            except EOFError:
                return "a worker stopped while starting"
            if message[0] != "ready":
                return str(message[1])
        return None

    def _receive(self, conn: Connection, done: Callable[[Connection], None]) -> None:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            done(conn)
            return
        for record in batch:
            self.calls.record(record)

    async def run(self, stop: asyncio.Event, flush: Callable[[], None]) -> bool:
        """Gather calls until `stop`, then stop the workers and gather their last calls.

        False when it ended because every worker had stopped unasked.
        """
        loop = asyncio.get_running_loop()
        open_conns = set(self.conns)
        all_closed = asyncio.Event()

        def done(conn: Connection) -> None:
            loop.remove_reader(conn.fileno())
            open_conns.discard(conn)
            if not stop.is_set():
                left = len(open_conns)
                self.warn(f"a worker process stopped unexpectedly; {left} left serving")
            if not open_conns:
                all_closed.set()

        for conn in self.conns:
            loop.add_reader(conn.fileno(), self._receive, conn, done)
        while not stop.is_set() and not all_closed.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SEND_EVERY)
            flush()
        for process in self.processes:
            if process.pid is not None and process.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_closed.wait(), STOP_TIMEOUT)
        for process in self.processes:
            process.join(1.0)
            if process.is_alive():
                process.kill()
        flush()
        return stop.is_set()
