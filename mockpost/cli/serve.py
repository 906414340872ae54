"""`mockpost serve`: its options (each also `MOCKPOST_<OPTION>`), turned into settings and
outputs, and the run."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from mockpost.cli import options
from mockpost.cli.collector import built_to_last
from mockpost.cli.common import collection_argument, environment_of, load
from mockpost.cli.options import option
from mockpost.errors import MockpostError
from mockpost.faults.latency import Latency
from mockpost.faults.plan import ConnectionFault, ErrorRate, Faults, RateLimit
from mockpost.matching.options import MatchOptions
from mockpost.runtime.settings import ServerResponse, Settings
from mockpost.server import DEFAULT_PORT

FilePath = click.Path(dir_okay=False, path_type=Path)


@click.command(context_settings={"show_default": True})
@collection_argument
@click.argument("command", nargs=-1, type=click.UNPROCESSED, metavar="[-- COMMAND [ARGS]...]")
@option(
    "-e",
    "--environment",
    type=FilePath,
    metavar="FILE|NAME",
    help="A Postman environment file (JSON, or a v3 .environment.yaml; NAME for one of a "
    "v3 project's environments); its values win over collection variables.",
)
@option("--host", default="127.0.0.1", help="Address to listen on.")
@option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    help="Port to listen on; 0 picks a free one. 6625 spells MOCK on a phone's keypad and is "
    "no front-end dev server's default (8080 is webpack's and Vue's, 3000 React's and "
    "Next's, 4200 Angular's, 5173 Vite's).",
)
@option(
    "--delay",
    metavar="MS|2g|3g|MIN-MAX|lognormal:MEDIAN:SIGMA",
    default="0",
    callback=options.delay,
    help="Wait before every answer: ms; 2g (300 ms) or 3g (100 ms); MIN-MAX ms (uniform); "
    "or log-normal with that median ms and sigma. A call's x-mockpost-delay or "
    "x-mock-response-delay wins.",
)
@option(
    "--error-rate",
    metavar="PERCENT[:CODE,CODE...]",
    callback=options.error_rate,
    help="Answer that share of calls with an injected 5xx (500, 502, 503 or 504 at random "
    "unless codes are given) instead of their example. 0: none.",
)
@option(
    "--rate-limit",
    metavar="N/s|N/m",
    callback=options.rate_limit,
    help="Let N calls a second (or minute) through; over it, 429 with Retry-After. Every "
    "answer carries RateLimit-Limit, -Remaining and -Reset.",
)
@option(
    "--rate-limit-by",
    metavar="global|ip|header:NAME",
    default="global",
    callback=options.rate_limit_by,
    help="Count the rate limit for all calls, per client IP, or per value of a header.",
)
@option(
    "--fault",
    "connection_faults",
    metavar="PERCENT:KIND",
    multiple=True,
    callback=options.faults,
    help="Break that share of connections (repeatable): reset (TCP RST), empty (closed with "
    "no answer), garbage (random bytes), truncate (a body shorter than its Content-Length), "
    "dribble (the body in small pieces over the delay). A call's x-mockpost-fault wins.",
)
@option("--api-key", help="Private mode: calls must send this in x-api-key.")
@option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer mockpost's API and page for this Host name (repeatable). By default "
    "they answer loopback names and the address listened on, so that no web page can reach "
    "them through a name of its own (DNS rebinding).",
)
@option(
    "--allow-remote-admin",
    is_flag=True,
    help="Listening beyond loopback without --api-key, take changes (settings, reload, "
    "reset, clearing the log) from other machines too.",
)
@option("--match-body", is_flag=True, help="Match request bodies (x-mock-match-request-body wins).")
@option(
    "--match-headers",
    metavar="NAME,NAME",
    default="",
    callback=options.names,
    help="Header names whose values must match (x-mock-match-request-headers wins).",
)
@option("--no-fuzzy", is_flag=True, help="Turn off the document-distance path step.")
@option(
    "--server-response",
    metavar="CODE[:BODY_FILE]",
    callback=options.server_response,
    help="Answer every call with this 5xx (Postman's active server response), with "
    "BODY_FILE as its body if given.",
)
@options.definitions
@option(
    "--seed",
    type=int,
    help="Make dynamic values ({{$guid}}, {{$randomFirstName}}, {{$timestamp}}...) the same "
    "from run to run: a call's values depend on the seed, the call and how many times it "
    "came before, not on other calls. The clock of a seeded run stands at "
    "2025-01-01T00:00:00Z. The same calls in the same order also meet the same faults "
    "and delays.",
)
@option(
    "--locale",
    callback=options.locale,
    help="Faker's locale for dynamic values, such as de_DE or fr_FR (default en_US).",
)
@option(
    "--keep-cors-headers",
    is_flag=True,
    help="Serve the examples' saved Access-Control-* headers instead of mockpost's CORS.",
)
@option("--quiet", is_flag=True, help="Do not print a line per call.")
@option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="json: one JSON object per call on standard output (the banner goes to stderr).",
)
@option("--log-file", type=FilePath, help="Also append every call to FILE as a JSON line.")
@option(
    "--har", "har_file", type=FilePath, help="When mockpost stops, write the calls kept as HAR."
)
@option(
    "--log-capacity",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    help="How many calls the call log keeps in full.",
)
@option("--no-admin", is_flag=True, help="No API or page under /__mockpost/.")
@option(
    "--no-watch",
    is_flag=True,
    help="Do not reload when the collection or environment file is saved (SIGHUP still does).",
)
@option(
    "--no-fast-replies",
    is_flag=True,
    help="Build every reply through aiohttp (by default a repeated call's reply is sent as "
    "bytes made on its first repeat; see docs/performance.md).",
)
@option(
    "--write-env",
    type=FilePath,
    help="Once listening, write a Postman environment file whose URL variable holds the "
    "mock's URL (newman run api.json -e FILE).",
)
@option("--url-var", default="url", metavar="NAME", help="The --write-env variable's name.")
@option(
    "--proxy",
    metavar="TARGET_URL",
    callback=options.target,
    help="Forward calls that no example answers to this real API, and answer with its answer.",
)
@option(
    "--record-to",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="With --proxy: save those answers as examples in PATH (a Postman collection: a "
    "v2.1 file, or a v3 tree when PATH is a directory or does not end in .json), served "
    "from the next call on.",
)
@option("--insecure", is_flag=True, help="Accept the --proxy target's self-signed certificate.")
@option(
    "--keep-header",
    "keep_headers",
    multiple=True,
    metavar="NAME",
    help="With --record-to: save this secret header's value instead of a {{placeholder}}.",
)
@option(
    "--keep-query",
    "keep_query",
    multiple=True,
    metavar="NAME",
    help="With --record-to: save this secret query parameter's value instead of a {{placeholder}}.",
)
def serve(
    collection: Path,
    command: tuple[str, ...],
    environment: Path | None,
    host: str,
    port: int,
    delay: Latency,
    error_rate: ErrorRate | None,
    rate_limit: RateLimit | None,
    rate_limit_by: str,
    connection_faults: tuple[ConnectionFault, ...],
    api_key: str | None,
    allow_hosts: tuple[str, ...],
    allow_remote_admin: bool,
    match_body: bool,
    match_headers: tuple[str, ...],
    no_fuzzy: bool,
    server_response: ServerResponse | None,
    spec: Path | None,
    validate: str,
    dynamic: bool,
    crud: tuple[str, ...],
    read_only: bool,
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
    no_fast_replies: bool,
    write_env: Path | None,
    url_var: str,
    proxy: str | None,
    record_to: Path | None,
    insecure: bool,
    keep_headers: tuple[str, ...],
    keep_query: tuple[str, ...],
) -> None:
    """Serve COLLECTION's saved examples as Postman's mock server would.

    COLLECTION: a v2.1 or v2.0 JSON file, a v3 collection directory (YAML files), a v3
    project root whose postman/collections/ holds one collection, or an OpenAPI 3.0/3.1 or
    Swagger 2.0 definition (YAML or JSON).

    With a COMMAND after `--`, run it once mockpost listens (its URL in MOCKPOST_URL), stop
    when it ends and exit with its exit code: `mockpost serve api.json -- npm test`.
    """
    if not url_var.strip():
        raise click.BadParameter("a variable needs a name", param_hint="--url-var")
    if record_to is not None and proxy is None:
        raise click.BadParameter(
            "records what --proxy answers: give --proxy too", param_hint="--record-to"
        )
    # aiohttp, rich and the rest of the server are imported here (`--help` does without
    # them), and before loading: in a thread alongside the load, the import waited for
    # Python's lock after each file it read, and gained nothing.
    environment = environment_of(collection, environment)
    with built_to_last():
        from mockpost.server.assembly import Proxying, ServerOptions
        from mockpost.server.run import Outputs, run

        loaded = load(collection, environment, spec)

    settings = Settings(
        delay=delay,
        faults=Faults(
            error_rate=error_rate,
            rate_limit=replace(rate_limit, by=rate_limit_by) if rate_limit is not None else None,
            connection=connection_faults,
        ),
        server_response=server_response,
        match=MatchOptions(match_body=match_body, match_headers=match_headers, fuzzy=not no_fuzzy),
        api_key=api_key or None,
        keep_cors_headers=keep_cors_headers,
        seed=seed,
        locale=locale,
        validate=validate,
        dynamic=dynamic,
        crud=crud,
        read_only=read_only,
    )
    options = ServerOptions(
        host=host,
        port=port,
        admin=not no_admin,
        allow_hosts=allow_hosts,
        remote_admin=allow_remote_admin,
        watch=not no_watch,
        log_capacity=log_capacity,
        fast_replies=not no_fast_replies,
    )
    outputs = Outputs(
        quiet=quiet,
        log_format=log_format,
        log_file=log_file,
        har_file=har_file,
        write_env=write_env,
        url_var=url_var.strip(),
        command=command,
    )
    proxying = None
    if proxy is not None:
        proxying = Proxying(proxy, record_to, insecure, keep_headers, keep_query)
    try:
        code = run(loaded, settings, options, outputs, (collection, environment, spec), proxying)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None
    if code is not None:
        sys.exit(code)
