"""`mockpost record` (a recording proxy) and `mockpost import` (a HAR file): Postman
collections from real calls."""

from __future__ import annotations

from pathlib import Path

import click

from mockpost.cli import options
from mockpost.cli.options import option
from mockpost.errors import MockpostError
from mockpost.server import DEFAULT_PORT

FilePath = click.Path(dir_okay=False, path_type=Path)
AnyPath = click.Path(path_type=Path)
OUT_HELP = (
    "The collection to write: a v2.1 file, or a v3 tree (a directory of YAML files, added "
    "to) when OUT is a directory or does not end in .json."
)
keep_header_option = click.option(
    "--keep-header",
    "keep_headers",
    multiple=True,
    metavar="NAME",
    help="Save this secret header's value as it is instead of a {{placeholder}} (repeatable).",
)
keep_query_option = click.option(
    "--keep-query",
    "keep_query",
    multiple=True,
    metavar="NAME",
    help="Save this secret query parameter's value as it is instead of a {{placeholder}} "
    "(repeatable).",
)


@click.command(context_settings={"show_default": True})
@click.argument("target", callback=options.target)
@click.option("-o", "--out", type=AnyPath, required=True, help=OUT_HELP)
@option("--host", default="127.0.0.1", help="Address to listen on.")
@option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, help="Port; 0: a free one.")
@click.option(
    "--collection",
    type=AnyPath,
    help="Add to a copy of this collection (a file or a v3 tree), in a folder 'Recorded' "
    "(it is not changed).",
)
@click.option("--name", help="The recorded collection's name.")
@click.option("--insecure", is_flag=True, help="Accept the target's self-signed certificate.")
@keep_header_option
@keep_query_option
def record(
    target: str,
    out: Path,
    host: str,
    port: int,
    collection: Path | None,
    name: str | None,
    insecure: bool,
    keep_headers: tuple[str, ...],
    keep_query: tuple[str, ...],
) -> None:
    """Record TARGET (a real API) into a Postman collection, as a reverse proxy.

    Every call is forwarded to TARGET (its path and query after TARGET's path), answered with
    TARGET's answer, and saved as an example of a request (one request per method and path,
    one example per distinct status and body). OUT is written after every new example (a
    file whole; a v3 tree, its new files only): stopping loses nothing. An existing OUT is
    added to. Secrets are saved as {{placeholders}}:
    Authorization, Cookie, headers named like key, token, secret, auth, session, signature or
    password, and query parameters such as access_token, api_key, key, token, sig or password;
    a secret of an answer (Set-Cookie) is left out. A user:password in TARGET is sent as
    basic authentication and never written or shown.
    """
    from mockpost.server.record import run_recorder

    try:
        run_recorder(target, out, host, port, collection, name, insecure, keep_headers, keep_query)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None


@click.command(name="import")
@click.argument("har_file", metavar="FILE.har", type=FilePath)
@click.option("-o", "--out", type=AnyPath, required=True, help=OUT_HELP)
@click.option(
    "--include",
    multiple=True,
    metavar="URL_PREFIX",
    help="Keep only calls whose URL starts with this (repeatable).",
)
@click.option(
    "--exclude-static", is_flag=True, help="Leave out images, fonts, scripts and style sheets."
)
@click.option("--name", help="The collection's name (default: the HAR file's).")
@keep_header_option
@keep_query_option
def import_har(
    har_file: Path,
    out: Path,
    include: tuple[str, ...],
    exclude_static: bool,
    name: str | None,
    keep_headers: tuple[str, ...],
    keep_query: tuple[str, ...],
) -> None:
    """Make a Postman collection from a HAR file (a browser's, or mockpost's calls.har):
    its calls become requests and examples as `record` makes them. A v2.1 OUT is written
    anew; a v3 tree is added to."""
    from mockpost.record.har import import_har as build

    try:
        summary = build(har_file, out, include, exclude_static, name, keep_headers, keep_query)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary)
