"""The command line (click only): options -> settings -> load -> runtime -> serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from mockpost import __version__, serving
from mockpost.errors import MockpostError
from mockpost.matching.directives import MAX_DELAY_MS, parse_delay
from mockpost.matching.index import Index
from mockpost.matching.options import MatchOptions
from mockpost.postman.model import Collection, Environment
from mockpost.report import build_report, find_routes, report_json, routes_json
from mockpost.runtime import startup
from mockpost.runtime.settings import DELAY_PRESETS, ServerResponse, Settings
from mockpost.serving import Outputs
from mockpost.terminal.console import make_console
from mockpost.terminal.report import print_report, routes_table


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
@click.option(
    "--keep-cors-headers",
    is_flag=True,
    help="Serve the examples' saved Access-Control-* headers instead of mockpost's CORS.",
)
@click.option("--quiet", is_flag=True, help="Do not print a line per call.")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one JSON object per call on standard output (the banner goes to stderr).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append every call to FILE as a JSON line.",
)
@click.option(
    "--har",
    "har_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="When mockpost stops, write the calls kept to FILE as HAR.",
)
@click.option(
    "--log-capacity",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    show_default=True,
    help="How many calls the call log keeps in full.",
)
@click.option("--no-admin", is_flag=True, help="No API or page under /__mockpost/.")
@click.option(
    "--no-watch",
    is_flag=True,
    help="Do not reload when the collection or environment file is saved (SIGHUP still does).",
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
    keep_cors_headers: bool,
    quiet: bool,
    log_format: str,
    log_file: Path | None,
    har_file: Path | None,
    log_capacity: int,
    no_admin: bool,
    no_watch: bool,
) -> None:
    """Serve COLLECTION's saved examples as Postman's mock server would."""
    loaded, env, index = _load(collection, environment)
    settings = Settings(
        delay_ms=delay,
        server_response=ServerResponse(server_response) if server_response else None,
        match=MatchOptions(match_body=match_body, match_headers=match_headers, fuzzy=not no_fuzzy),
        api_key=api_key or None,
        keep_cors_headers=keep_cors_headers,
        seed=seed,
        locale=locale,
    )
    outputs = Outputs(
        host=host,
        port=port,
        quiet=quiet,
        log_format=log_format,
        log_file=log_file,
        har_file=har_file,
        log_capacity=log_capacity,
        admin=not no_admin,
        watch=not no_watch,
    )
    try:
        serving.run(loaded, env, index, settings, outputs, (collection, environment))
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@collection_argument
@environment_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 also when an example is dropped or no plain call reaches it (for CI).",
)
def validate(collection: Path, environment: Path | None, as_json: bool, strict: bool) -> None:
    """Load COLLECTION as serve would and report what it holds.

    Lists dropped examples, variables left unresolved in paths (wildcards), examples that
    no plain call can reach, and example names used more than once. Exits 0 when the
    collection can be served, 1 when it cannot (unreadable, or no saved example); with
    --strict, 1 also when an example is dropped or unreachable by a plain call.
    """
    report = build_report(_load(collection, environment)[2])
    if as_json:
        click.echo(json.dumps(report_json(report), indent=2))  # ASCII: no control reaches a tty
    else:
        print_report(make_console(), report)
    if not report.servable or (strict and not report.strict_ok):
        sys.exit(1)


@main.command()
@collection_argument
@environment_option
@click.option("--json", "as_json", is_flag=True, help="Print the routes as JSON.")
def routes(collection: Path, environment: Path | None, as_json: bool) -> None:
    """List COLLECTION's endpoints as a user would call them, with their examples."""
    found = find_routes(_load(collection, environment)[2])
    if as_json:
        click.echo(json.dumps(routes_json(found), indent=2))
    else:
        make_console().print(routes_table(found))
