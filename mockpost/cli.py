"""The command line: options -> config -> load -> index -> serve."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from dataclasses import replace
from pathlib import Path

import click
from aiohttp import web

from mockpost import __version__, startup
from mockpost.calllog import CallLog
from mockpost.collection import Collection, Environment
from mockpost.config import DELAY_PRESETS, ServerConfig
from mockpost.console import Banner, CallPrinter, make_console, print_report, routes_table
from mockpost.directives import MAX_DELAY_MS, parse_delay
from mockpost.errors import MockpostError
from mockpost.index import Index
from mockpost.matching import MatchOptions
from mockpost.report import build_report, find_routes, routes_json
from mockpost.server import create_app
from mockpost.workers import Supervisor, reserve_port


def _delay(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A delay: ms (0..180000), or Postman's presets 2g (300 ms) and 3g (100 ms)."""
    text = value.strip().lower()
    if text in DELAY_PRESETS:
        return DELAY_PRESETS[text]
    if text == "0":
        return 0
    delay = parse_delay(text)
    if delay is None:
        raise click.BadParameter(f"{value!r} is not 2g, 3g or a number of ms 0..{MAX_DELAY_MS}")
    return delay


def _locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A locale Faker knows."""
    if value is None:
        return None
    from faker.config import AVAILABLE_LOCALES

    if value not in AVAILABLE_LOCALES:
        close = sorted(loc for loc in AVAILABLE_LOCALES if loc.split("_")[0] == value.split("_")[0])
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise click.BadParameter(f"{value!r} is not a locale Faker knows{hint}")
    return value


def _names(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """Comma-separated header names, in lower case."""
    return tuple(n.strip().lower() for n in value.split(",") if n.strip())


def _load(
    collection_path: Path, environment_path: Path | None
) -> tuple[Collection, Environment | None, Index]:
    try:
        return startup.load(collection_path, environment_path)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


FLUSH_EVERY = 0.1  # seconds between prints of the call log


async def _flush_every(printer: CallPrinter) -> None:
    while True:
        await asyncio.sleep(FLUSH_EVERY)
        for _ in printer.flush_steps():
            await asyncio.sleep(0)  # calls are answered between the steps


async def _run(
    app: web.Application, config: ServerConfig, banner: Banner, printer: CallPrinter | None
) -> None:
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    flushing = asyncio.create_task(_flush_every(printer)) if printer is not None else None
    try:
        site = web.TCPSite(runner, config.host, config.port, reuse_address=True)
        try:
            await site.start()
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {_url(config.host, config.port)}: {exc.strerror or exc}"
            ) from None
        host, port = runner.addresses[0][:2]
        banner.listening(_url(config.host if config.host else host, port))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
        if flushing is not None:
            flushing.cancel()
        if printer is not None:
            printer.flush()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mockpost")
def main() -> None:
    """Serve a Postman collection's saved examples as a local mock API."""


collection_argument = click.argument("collection", type=click.Path(dir_okay=False, path_type=Path))
environment_option = click.option(
    "-e",
    "--environment",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A Postman environment file; its values win over collection variables.",
)


@main.command()
@collection_argument
@environment_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--delay",
    metavar="MS|2g|3g",
    default="0",
    callback=_delay,
    help="Wait before every answer: ms, or 2g (300 ms) / 3g (100 ms). "
    "A call's x-mock-response-delay wins.",
)
@click.option(
    "--api-key",
    envvar="MOCKPOST_API_KEY",
    help="Private mode: calls must send this in x-api-key (env: MOCKPOST_API_KEY).",
)
@click.option(
    "--match-body",
    is_flag=True,
    help="Match request bodies (a call's x-mock-match-request-body wins).",
)
@click.option(
    "--match-headers",
    metavar="NAME,NAME",
    default="",
    callback=_names,
    help="Header names whose values must match (a call's x-mock-match-request-headers wins).",
)
@click.option("--no-fuzzy", is_flag=True, help="Turn off the document-distance path step.")
@click.option(
    "--server-response",
    type=click.IntRange(500, 599),
    help="Answer every call with this 5xx, as Postman's active server response.",
)
@click.option(
    "--seed",
    type=int,
    help="Make dynamic values ({{$guid}}, {{$randomFirstName}}, {{$timestamp}}...) the same "
    "from run to run; the clock of a seeded run stands at 2025-01-01T00:00:00Z.",
)
@click.option(
    "--locale",
    callback=_locale,
    help="Faker's locale for dynamic values, such as de_DE or fr_FR (default en_US).",
)
@click.option("--quiet", is_flag=True, help="Do not print a line per call.")
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Serve with this many processes on one port (SO_REUSEPORT), for machines with "
    "more cores; one call log.",
)
def serve(
    collection: Path,
    environment: Path | None,
    host: str,
    port: int,
    delay: int,
    api_key: str | None,
    match_body: bool,
    match_headers: tuple[str, ...],
    no_fuzzy: bool,
    server_response: int | None,
    seed: int | None,
    locale: str | None,
    quiet: bool,
    workers: int,
) -> None:
    """Serve COLLECTION's saved examples as Postman's mock server would."""
    loaded, env, index = _load(collection, environment)
    config = ServerConfig(
        host=host,
        port=port,
        delay_ms=delay,
        api_key=api_key or None,
        match=MatchOptions(match_body=match_body, match_headers=match_headers, fuzzy=not no_fuzzy),
        server_response=server_response,
        seed=seed,
        locale=locale,
    )
    console = make_console()
    banner = Banner(console)
    banner.loaded(loaded, env, __version__)
    calls = CallLog()
    printer = None if quiet else CallPrinter(console)
    if printer is not None:
        calls.subscribe(printer)
    if workers > 1:
        _serve_workers(index, config, workers, calls, banner, printer)
        return
    app = create_app(index, config, calls, freeze_kept=True)
    startup.freeze()
    asyncio.run(_run(app, config, banner, printer))


def _serve_workers(
    index: Index,
    config: ServerConfig,
    workers: int,
    calls: CallLog,
    banner: Banner,
    printer: CallPrinter | None,
) -> None:
    try:
        reserved = reserve_port(config.host, config.port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {_url(config.host, config.port)}: {exc.strerror or exc}"
        ) from None
    with reserved:
        config = replace(config, port=reserved.getsockname()[1])
        supervisor = Supervisor(index, config, workers, calls, banner.warn)
        startup.freeze()
        supervisor.start()
        why = supervisor.wait_ready()
        if why is not None:
            supervisor.kill()
            raise click.ClickException(f"cannot listen on {_url(config.host, config.port)}: {why}")
        banner.listening(_url(config.host, config.port), workers)
        asked = asyncio.run(_supervise(supervisor, printer))
    if not asked:
        raise click.ClickException("every worker process stopped unexpectedly")


async def _supervise(supervisor: Supervisor, printer: CallPrinter | None) -> bool:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return await supervisor.run(stop, printer.flush if printer is not None else lambda: None)


@main.command()
@collection_argument
@environment_option
def validate(collection: Path, environment: Path | None) -> None:
    """Load COLLECTION as serve would and report what it holds.

    Lists dropped examples, variables left unresolved in paths (wildcards), examples that
    no plain call can reach, and example names used more than once. Exits 0 when the
    collection can be served, 1 when it cannot (unreadable, or no saved example).
    """
    report = build_report(_load(collection, environment)[2])
    print_report(make_console(), report)
    if not report.servable:
        sys.exit(1)


@main.command()
@collection_argument
@environment_option
@click.option("--json", "as_json", is_flag=True, help="Print the routes as JSON.")
def routes(collection: Path, environment: Path | None, as_json: bool) -> None:
    """List COLLECTION's endpoints as a user would call them, with their examples."""
    found = find_routes(_load(collection, environment)[2])
    if as_json:
        click.echo(json.dumps(routes_json(found), indent=2, ensure_ascii=False))
    else:
        make_console().print(routes_table(found))
