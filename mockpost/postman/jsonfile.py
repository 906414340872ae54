"""Reading a JSON file safely, and saying in one line what is wrong with it.

Whatever the file is (a FIFO, empty, not UTF-8, not JSON, nested 100,000 levels deep, holding
broken `\\ud83d` escapes), the result is its data or a `LoadError` naming the file, the place
and the problem: never a hang, never a traceback.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from mockpost.errors import LoadError
from mockpost.postman.items import kind

if TYPE_CHECKING:
    from jsonschema import ValidationError


def read_bytes(path: Path, kind: str = "a JSON file") -> bytes:
    """A regular file's bytes, or a LoadError naming it (a FIFO or a device is refused: it
    could never end)."""
    source = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            if path.is_dir():
                raise LoadError(source, f"is a directory, not {kind}")
            raise LoadError(source, "is not a regular file")
        return path.read_bytes()
    except FileNotFoundError:
        raise LoadError(source, "no such file") from None
    except IsADirectoryError:
        raise LoadError(source, f"is a directory, not {kind}") from None
    except OSError as exc:
        raise LoadError(source, f"cannot be read: {exc.strerror or exc}") from None


def read_json(path: Path, data: bytes | None = None) -> Any:
    """The file's JSON data (`data`: its bytes, when they were read already)."""
    source = str(path)
    if data is None:
        data = read_bytes(path)
    parsed = _parsed_fast(data)
    if parsed is not _SLOW:
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = _line_column(data[: exc.start].decode("utf-8", "replace"))
        raise LoadError(source, "is not UTF-8 text", where) from None
    if not text.strip():
        raise LoadError(source, "the file is empty")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            source, f"is not valid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise LoadError(
            source, f"is nested more than {MAX_DEPTH} levels deep", _too_deep(text)
        ) from None
    if _LONE_SURROGATE.search(text):
        parsed = _without_lone_surrogates(parsed)
    return parsed


_SLOW = object()
_BOM = b"\xef\xbb\xbf"
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19


def _parsed_fast(data: bytes) -> Any:
    """The data as `json.loads` gives it, parsed by orjson (faster by half: start-up parses
    megabytes), or `_SLOW` where orjson's could differ or fails: then `json` parses it, and
    words the error of a broken file. orjson refuses some of what json accepts (NaN,
    Infinity, lone surrogates, a BOM: the BOM is cut here) and turns integers beyond 64 bits
    into floats: a run of 19 digits anywhere (even in a string) leaves the file to json.
    Nested past json's depth but within orjson's (1,024 levels), a file loads and what is
    made of it is refused as too deep (tests/test_files.py)."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if data.translate(_DIGITS_AS_ZERO).find(_LONG_NUMBER) != -1:
        return _SLOW
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return _SLOW


MAX_DEPTH = 900  # levels of nested arrays and objects that a file may have
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|\\u[dD][c-fC-F]")


def _without_lone_surrogates(value: Any) -> Any:
    """Each lone surrogate (a broken `\\ud83d` escape) as the replacement character."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def _line_column(before: str) -> str:
    return f"line {before.count(chr(10)) + 1}, column {len(before) - before.rfind(chr(10))}"


def _too_deep(text: str) -> str:
    """Where the text first nests deeper than MAX_DEPTH (outside strings)."""
    depth = 0
    inside = escaped = False
    for offset, char in enumerate(text):
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_column(text[:offset])
        elif char in "]}":
            depth -= 1
    return ""


def check(source: str, data: Any, schema: dict[str, Any], what: str) -> None:
    import jsonschema  # only needed to check environments and to explain a broken collection

    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    where = error.json_path
    if error.validator == "required" and where == "$":
        raise LoadError(source, f"is not a {what}: {error.message}", where)
    raise LoadError(source, f"{_describe(error)}", where)


_EXPECTED = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "null": "null",
    "number": "a number",
    "integer": "a number",
    "boolean": "a boolean",
}


def _expected(schema: Any) -> list[str]:
    """What a (sub)schema accepts, in words."""
    if not isinstance(schema, dict):
        return []
    if "anyOf" in schema:
        return [word for sub in schema["anyOf"] for word in _expected(sub)]
    types = schema.get("type", [])
    return [_EXPECTED.get(t, t) for t in ([types] if isinstance(types, str) else types)]


def _describe(error: ValidationError) -> str:
    found = kind(error.instance)
    if error.validator in ("type", "anyOf"):
        expected = list(dict.fromkeys(_expected(error.schema)))
        if expected:
            return f"expected {' or '.join(expected)}, found {found}"
        return f"unexpected value, found {found}"
    return error.message
