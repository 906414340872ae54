"""The files serve writes: the call log, HAR when it stops, a Postman environment for newman.

Whole files are written to a temporary file and renamed into place: a reader never sees half.
"""

from __future__ import annotations

import errno
import json
import os
import uuid
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from mockpost.calls.har import har
from mockpost.calls.store import CallStore
from mockpost.errors import MockpostError
from mockpost.postman.model import Collection, Environment
from mockpost.version import __version__
from mockpost.whole import check_writable, write_whole


class OutputError(MockpostError):
    """A file serve was asked to write cannot be written."""


def _cannot(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"{path}: cannot be written: {exc.strerror or exc}")


def open_log(path: Path) -> TextIO:
    """The call log's file, opened to append; a FIFO is opened without waiting for a reader
    (none: an error, rather than a start-up that hangs)."""
    check_writable(path, stream=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o666)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{path}: cannot be written: a FIFO that nothing reads") from None
        raise _cannot(path, exc) from None
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "a", encoding="utf-8")


def write_har(path: Path, store: CallStore, base_url: str) -> None:
    """The calls kept, as HAR (ASCII JSON: every other character \\u-escaped)."""
    write_whole(path, json.dumps(har(store, base_url, __version__)))


def environment_document(
    url: str, variable: str, collection: Collection, environment: Environment | None
) -> dict[str, Any]:
    """A Postman environment for running the collection against the mock: the served
    environment's values, with `variable` holding the mock's URL. Where the collection or
    environment gives `variable` a URL with a path (`https://api.example.com/v1`), the path is
    kept (`http://127.0.0.1:6625/v1`): the examples' paths hold it."""
    values = dict(environment.values) if environment is not None else {}
    given = values.get(variable, collection.variables.get(variable, ""))
    values[variable] = url + _path_of(given)
    return {
        "id": str(uuid.uuid4()),
        "name": f"mockpost: {environment.name if environment else collection.name}",
        "values": [
            {"key": key, "value": value, "type": "default", "enabled": True}
            for key, value in values.items()
        ],
        "_postman_variable_scope": "environment",
        "_postman_exported_using": f"mockpost/{__version__}",
    }


def _path_of(url: str) -> str:
    """The path of an absolute URL without its trailing `/`; "" for anything else."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc or "{{" in parts.path:
        return ""
    return parts.path.rstrip("/")


def write_environment(
    path: Path, url: str, variable: str, collection: Collection, environment: Environment | None
) -> None:
    document = environment_document(url, variable, collection, environment)
    write_whole(path, json.dumps(document, indent=2))
