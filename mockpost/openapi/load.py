"""A definition loaded as a collection: its document read by the one reader, with what was
dropped (operations whose `$ref`s cannot be followed) and what is not served (callbacks,
links, webhooks) said in `validate`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from mockpost.errors import LoadError
from mockpost.openapi.checks import DefinitionChecker
from mockpost.openapi.collection import definition_document
from mockpost.postman.model import Collection, Dropped


def load_definition(path: Path, data: Any = None, folders: str = "tags") -> Collection:
    """The collection a definition describes (`data`: its root file, when it was parsed
    already); raises LoadError when nothing can be served."""
    from mockpost.postman.reader import parse_collection  # the one reader, shared

    document, read = definition_document(path, folders, data)
    collection = parse_collection(document, str(path))
    dropped = tuple(Dropped(where, name, why) for where, name, why in read.dropped)
    if not collection.requests and dropped:
        first = dropped[0]
        raise LoadError(
            str(path),
            f"nothing in it can be served: {len(dropped)} operations cannot be read; the "
            f"first, {first.name} ({first.where}): {first.reason}",
        )
    notes = tuple(f"not served: {n} {what}" for what, n in sorted(read.skipped.items()))
    checker = None
    if read.version.startswith("OpenAPI"):
        checker = DefinitionChecker(path, read.root, read.base_url)
    else:
        notes += ("calls are not checked against a Swagger 2.0 definition",)
    return replace(
        collection,
        schema_version=read.version,
        dropped=dropped + collection.dropped,
        notes=notes,
        checker=checker,
    )
