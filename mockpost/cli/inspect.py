"""`mockpost validate` and `mockpost routes`: what a collection holds, without serving it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from mockpost.cli.common import collection_argument, environment_of, environment_option, load
from mockpost.matching.report import build_report, find_routes, report_json, routes_json
from mockpost.terminal.console import make_console
from mockpost.terminal.report import print_report, routes_table


@click.command()
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

    COLLECTION: a JSON file, a v3 collection directory or a v3 project root. Lists dropped
    examples (and v3 files that cannot be read), what was skipped, variables left
    unresolved in paths (wildcards), examples that no plain call can reach, and example
    names used more than once. Exits 0 when the
    collection can be served, 1 when it cannot (unreadable, or no saved example); with
    --strict, 1 also when an example is dropped or unreachable by a plain call.
    """
    report = build_report(load(collection, environment_of(collection, environment))[2])
    if as_json:
        click.echo(json.dumps(report_json(report), indent=2))  # ASCII: no control reaches a tty
    else:
        print_report(make_console(), report, strict)
    if not report.servable or (strict and not report.strict_ok):
        sys.exit(1)


@click.command()
@collection_argument
@environment_option
@click.option("--json", "as_json", is_flag=True, help="Print the routes as JSON.")
def routes(collection: Path, environment: Path | None, as_json: bool) -> None:
    """List COLLECTION's endpoints as a user would call them, with their examples."""
    found = find_routes(load(collection, environment_of(collection, environment))[2])
    if as_json:
        click.echo(json.dumps(routes_json(found), indent=2))
    else:
        make_console().print(routes_table(found))
