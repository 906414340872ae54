"""`mockpost convert`: a collection from one format to the other (v2.1 JSON, v3 YAML tree)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click

from mockpost.errors import MockpostError
from mockpost.openapi.sniff import is_definition, looks_like_definition
from mockpost.postman.jsonfile import read_bytes, read_json
from mockpost.postman.reader import parse_collection
from mockpost.postman.v3 import V21, is_v3_directory, v3_document
from mockpost.postman.v3write import write_v3
from mockpost.whole import write_whole


def _document(source: Path, folders: str, params: str) -> dict[str, Any]:
    """SOURCE as a v2.1 document, checked as serve would read it (raises MockpostError)."""
    if source.is_dir():
        if not is_v3_directory(source):
            raise MockpostError(f"{source}: is a directory that holds no Postman collection")
        document = v3_document(source)[0]
    else:
        data = read_bytes(source)
        parsed = read_json(source, data) if data.lstrip()[:1] == b"{" else None
        if is_definition(parsed) or (parsed is None and looks_like_definition(data)):
            from mockpost.openapi.collection import definition_document

            return definition_document(source, folders, parsed, params)[0]
        document = parsed if parsed is not None else read_json(source, data)
        if isinstance(document, dict) and "collection" in document and "info" not in document:
            document = document["collection"]
    parse_collection(document, str(source))  # a file that cannot be served says so here
    assert isinstance(document, dict)
    return document


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="OUT.json writes a v2.1 file; any other name, a v3 directory of YAML files.",
)
@click.option("--force", is_flag=True, help="Replace OUT when it exists.")
@click.option(
    "--folders",
    type=click.Choice(["tags", "paths"]),
    default="tags",
    show_default=True,
    help="An API definition's folders: by each operation's first tag, or by path.",
)
@click.option(
    "--params",
    type=click.Choice(["example", "schema"]),
    default="example",
    show_default=True,
    help="An API definition's request parameters and bodies: from their examples, or "
    "placeholders from their schemas (<string>, <integer>...), as Postman's converter can.",
)
def convert(source: Path, out: Path, force: bool, folders: str, params: str) -> None:
    """Convert SOURCE (a v2.1/v2.0 JSON file, a v3 directory, or an OpenAPI 3.0/3.1 or
    Swagger 2.0 definition) to v2.1 JSON or to v3.

    The v3 tree follows Postman's own writer: sanitized file stems with the full name in
    `name`, key-value maps where they can be, `order` spaced by 1,000, values quoted so that
    they read back as written. A definition becomes the collection `serve` answers from: one
    request per operation, its saved examples as docs/openapi.md says.
    """
    try:
        document = _document(source, folders, params)
        if out.suffix.lower() == ".json":
            if out.exists() and not force:
                raise MockpostError(f"{out}: exists (give --force to replace it)")
            document.setdefault("info", {})["schema"] = V21
            write_whole(out, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            click.echo(f"wrote {out} (collection v2.1)")
            return
        if out.exists() and (out.is_file() or any(out.iterdir())):
            if not force:
                raise MockpostError(f"{out}: is not empty (give --force to replace it)")
            if not out.is_dir() or not is_v3_directory(out):
                raise MockpostError(
                    f"{out}: is not a v3 collection: not replaced, even with --force"
                )
            shutil.rmtree(out)
        files = write_v3(document, out)
        click.echo(f"wrote {out}/ (collection v3, {files} files)")
    except MockpostError as exc:
        raise click.ClickException(str(exc)) from None
