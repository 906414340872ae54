"""The command line (click only): options -> settings -> load -> runtime -> serve."""

from __future__ import annotations

import click

from mockpost import __version__
from mockpost.cli.inspect import routes, validate
from mockpost.cli.record import import_har, record
from mockpost.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mockpost")
def main() -> None:
    """Serve a Postman collection's saved examples as a local mock API."""


main.add_command(serve)
main.add_command(validate)
main.add_command(routes)
main.add_command(record)
main.add_command(import_har)
