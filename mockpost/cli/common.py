"""What the commands share: the collection argument, the environment option, loading."""

from __future__ import annotations

from pathlib import Path

import click

from mockpost.errors import MockpostError
from mockpost.matching.index import Index
from mockpost.postman.model import Collection, Environment
from mockpost.runtime import startup
from mockpost.runtime.snapshot import Snapshots

collection_argument = click.argument("collection", type=click.Path(dir_okay=False, path_type=Path))
environment_option = click.option(
    "-e",
    "--environment",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A Postman environment file; its values win over collection variables.",
)


def load(
    collection_path: Path, environment_path: Path | None, snapshots: Snapshots | None = None
) -> tuple[Collection, Environment | None, Index]:
    try:
        return startup.load(collection_path, environment_path, for_life=True, snapshots=snapshots)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None
