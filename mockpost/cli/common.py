"""What the commands share: the collection argument, the environment option, loading."""

from __future__ import annotations

from pathlib import Path

import click

from mockpost.errors import MockpostError
from mockpost.lifecycle.load import Loaded
from mockpost.lifecycle.load import load as load_files

collection_argument = click.argument("collection", type=click.Path(path_type=Path))
environment_option = click.option(
    "-e",
    "--environment",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE|NAME",
    help="A Postman environment file (JSON, or a v3 .environment.yaml; NAME for one of a "
    "v3 project's environments); its values win over collection variables.",
)


def environment_of(collection_path: Path, environment_path: Path | None) -> Path | None:
    """The environment file `-e` names: a file, or for a v3 collection in a project, the
    name of one of the project's environments (`-e Local`)."""
    if environment_path is None or environment_path.exists() or not collection_path.is_dir():
        return environment_path
    from mockpost.postman.v3 import project_environment  # YAML, only for a v3 collection

    found = project_environment(collection_path, str(environment_path))
    return found if found is not None else environment_path


def load(collection_path: Path, environment_path: Path | None, spec: Path | None = None) -> Loaded:
    """The files loaded, or the one-line error that says what is wrong (a click error)."""
    try:
        return load_files(collection_path, environment_path, spec=spec)
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None
