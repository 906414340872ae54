"""`mockpost validate` and `mockpost routes`: what a collection holds, without serving it."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mockpost.cli.common import collection_argument, environment_of, environment_option, load
from mockpost.errors import MockpostError
from mockpost.matching.index import Index
from mockpost.matching.report import build_report, find_routes, report_json, routes_json
from mockpost.terminal.console import make_console
from mockpost.terminal.report import print_drift, print_report, routes_table

if TYPE_CHECKING:
    from mockpost.openapi.drift import Drift


@click.command()
@collection_argument
@environment_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 also when an example is dropped or no plain call reaches it, or drifts from "
    "--spec (for CI).",
)
@click.option(
    "--spec",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An OpenAPI 3 definition: list every example whose call or answer it does not allow.",
)
def validate(
    collection: Path, environment: Path | None, as_json: bool, strict: bool, spec: Path | None
) -> None:
    """Load COLLECTION as serve would and report what it holds.

    COLLECTION: a JSON file, a v3 collection directory, a v3 project root or an API
    definition. With --spec, also every example whose call or answer the definition does
    not allow (a path it lacks, a parameter or body it refuses, a status it does not define,
    an answer body against its schema). Lists dropped
    examples (and v3 files that cannot be read), what was skipped, variables left
    unresolved in paths (wildcards), examples that no plain call can reach, and example
    names used more than once. Exits 0 when the
    collection can be served, 1 when it cannot (unreadable, or no saved example); with
    --strict, 1 also when an example is dropped or unreachable by a plain call.
    """
    index = load(collection, environment_of(collection, environment))[2]
    report = build_report(index)
    drift = _drift(index, spec) if spec is not None else ()
    if as_json:
        data = report_json(report)
        if spec is not None:
            data["drift"] = [asdict(d) for d in drift]
        click.echo(json.dumps(data, indent=2))  # ASCII: no control reaches a tty
    else:
        console = make_console()
        print_report(console, report, strict)
        if spec is not None:
            print_drift(console, drift, str(spec))
    if not report.servable or (strict and (not report.strict_ok or drift)):
        sys.exit(1)


def _drift(index: Index, spec: Path) -> tuple[Drift, ...]:
    from mockpost.openapi.drift import find_drift

    try:
        return find_drift(index, spec)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None


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
