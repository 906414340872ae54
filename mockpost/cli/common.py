"""What the commands share: the collection argument, the environment option, loading."""

from __future__ import annotations

from pathlib import Path

import click

from mockpost.errors import MockpostError
from mockpost.lifecycle.load import Loaded
from mockpost.lifecycle.load import load as load_files

collection_argument = click.argument("collection", type=click.Path(dir_okay=False, path_type=Path))
environment_option = click.option(
    "-e",
    "--environment",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A Postman environment file; its values win over collection variables.",
)


def load(collection_path: Path, environment_path: Path | None) -> Loaded:
    """The files loaded, or the one-line error that says what is wrong (a click error)."""
    try:
        return load_files(collection_path, environment_path)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None
