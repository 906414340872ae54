"""Writing into the user's collection file without reshaping it: a saved example added to a
request of a v2.1 JSON file, every byte outside that request's `response` list left as the
author (or Postman) wrote it — key order, indentation, unknown fields, line endings.

The file is read as text and walked with the JSON scanner to the place of the request's
`response` list; the new example is written there in the file's own indentation (tabs or
spaces, or none for a file on one line). What the edit makes is checked by parsing it: it must
equal the file's data with the example added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from json.decoder import JSONDecodeError
from typing import Any

from mockpost.errors import MockpostError

WHITE = re.compile(r"[ \t\n\r]*")
PLACE = re.compile(r"\.?([A-Za-z_][\w-]*)|\[(\d+)\]")
_decode = json.JSONDecoder().raw_decode
scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 (not in the stubs)


class EditError(MockpostError):
    """An edit that cannot be made to the file (its place is not in it, or not a list)."""


def keys_of(where: str) -> list[str | int]:
    """`$.item[2].item[0]` as ["item", 2, "item", 0]."""
    if not where.startswith("$"):
        raise EditError(f"{where!r} is not a place in the file")
    return [int(m[2]) if m[2] is not None else m[1] for m in PLACE.finditer(where, 1)]


def _skip(text: str, at: int) -> int:
    found = WHITE.match(text, at)
    return found.end() if found is not None else at


def _member(text: str, at: int, key: str | int) -> tuple[int, int] | None:
    """The span of `key`'s value in the object or array that starts at `at`."""
    opening = text[at]
    at = _skip(text, at + 1)
    index = 0
    while text[at] not in "}]":
        if opening == "{":
            name, at = scanstring(text, at + 1)
            at = _skip(text, at)
            if text[at] != ":":
                raise EditError("the file is not JSON where the edit goes")
            at = _skip(text, at + 1)
            here = name == key
        else:
            here = index == key
        start = at
        _, end = _decode(text, at)
        if here:
            return start, end
        index += 1
        at = _skip(text, end)
        if text[at] == ",":
            at = _skip(text, at + 1)
    return None


def locate(text: str, keys: Sequence[str | int]) -> tuple[int, int]:
    """The span of the value at `keys` in the JSON text (raises EditError)."""
    start, end = _skip(text, 0), len(text.rstrip())
    for key in keys:
        if text[start] not in "{[":
            raise EditError(f"nothing at {key!r}: not an object or a list")
        found = _member(text, start, key)
        if found is None:
            raise EditError(f"nothing at {key!r} in the file")
        start, end = found
    return start, end


def _unit(text: str) -> str | None:
    """The file's indentation step: tabs or N spaces (None: all on one line)."""
    found = re.search(r"\n([ \t]+)\S", text)
    return found[1] if found is not None else None


def _line_indent(text: str, at: int) -> str:
    line = text.rfind("\n", 0, at) + 1
    return text[line : line + len(text[line:at]) - len(text[line:at].lstrip(" \t"))]


def add_example(text: str, request_where: str, example: dict[str, Any]) -> str:
    """The file's text with `example` added last to the request at `request_where`."""
    return _added(text, request_where, "response", example)


def add_item(text: str, folder_where: str, item: dict[str, Any]) -> str:
    """The file's text with `item` (a request) added last to the folder at `folder_where`
    (`$`: the collection's top level)."""
    return _added(text, folder_where, "item", item)


def _added(text: str, where: str, key: str, value: dict[str, Any]) -> str:
    try:
        data = json.loads(text)
        keys = keys_of(where)
        start, end = locate(text, keys)
        if text[start] != "{":
            raise EditError(f"{where} is not a {'request' if key == 'response' else 'folder'}")
        newline = "\r\n" if "\r\n" in text else "\n"
        unit = _unit(text)
        found = _member(text, start, key)
        if found is not None and text[found[0]] == "[":
            edited = _into_list(text, found, value, unit, newline)
        elif found is None:
            edited = _new_list(text, start, end, key, value, unit, newline)
        else:
            raise EditError(f"{where}: its {key} is not a list")
    except (JSONDecodeError, IndexError, ValueError, RecursionError) as exc:
        raise EditError(f"the file cannot be edited in place: {exc}") from None
    _check(data, edited, keys, key, value)
    return edited


def _dumped(example: dict[str, Any], unit: str | None, indent: str, newline: str) -> str:
    if unit is None:
        return json.dumps(example, ensure_ascii=False, separators=(",", ":"))
    lines = json.dumps(example, ensure_ascii=False, indent=unit).split("\n")
    return (newline + indent).join(lines)


def _into_list(
    text: str, span: tuple[int, int], example: dict[str, Any], unit: str | None, newline: str
) -> str:
    start, end = span
    closing = end - 1  # the `]`
    inner = text[start + 1 : closing]
    if not inner.strip():  # `[]`: the example on lines of its own, one step in
        if unit is None:
            return text[:start] + "[" + _dumped(example, None, "", newline) + "]" + text[end:]
        outer = _line_indent(text, start)
        indent = outer + unit
        body = _dumped(example, unit, indent, newline)
        return text[:start] + "[" + newline + indent + body + newline + outer + "]" + text[end:]
    last = len(text[:closing].rstrip())  # after the last element
    first = _skip(text, start + 1)
    indent = _line_indent(text, first) if unit is not None else ""
    separator = "," + (newline + indent if unit is not None and "\n" in inner else "")
    return text[:last] + separator + _dumped(example, unit, indent, newline) + text[last:]


def _new_list(
    text: str, item_start: int, item_end: int, key: str, example: dict[str, Any],
    unit: str | None, newline: str,
) -> str:  # fmt: skip
    closing = item_end - 1  # the item's `}`
    last = len(text[:closing].rstrip())
    if unit is None:
        added = f',"{key}":[' + _dumped(example, None, "", newline) + "]"
        return text[:last] + added + text[last:]
    key_indent = _line_indent(text, _skip(text, item_start + 1))
    body = _dumped(example, unit, key_indent + unit, newline)
    added = f',{newline}{key_indent}"{key}": [{newline}{key_indent}{unit}{body}'
    return text[:last] + added + f"{newline}{key_indent}]" + text[last:]


def _check(
    data: Any, edited: str, keys: Sequence[str | int], key: str, example: dict[str, Any]
) -> None:
    """The edit parses, and is the file's data with the value added: nothing else."""
    expected = data
    holder: Any = expected
    for step in keys:
        holder = holder[step]
    holder.setdefault(key, []).append(json.loads(json.dumps(example)))
    try:
        if json.loads(edited) != expected:
            raise EditError("the edit would change more than the example: not written")
    except JSONDecodeError as exc:
        raise EditError(f"the edit would not be JSON: {exc}") from None


def _element(text: str, where: str) -> tuple[list[str | int], int, int]:
    """An example's keys and span: `where` is `$.item[..].response[j]`."""
    keys = keys_of(where)
    if len(keys) < 2 or keys[-2] != "response" or not isinstance(keys[-1], int):
        raise EditError(f"{where!r} is not a saved example's place")
    start, end = locate(text, keys)
    if text[start] != "{":
        raise EditError(f"{where} is not a saved example")
    return keys, start, end


def _holder(data: Any, keys: Sequence[str | int]) -> Any:
    for key in keys[:-1]:
        data = data[key]
    return data


def replace_example(text: str, where: str, example: dict[str, Any]) -> str:
    """The file's text with the example at `where` written anew, in its place and style."""
    try:
        data = json.loads(text)
        keys, start, end = _element(text, where)
        newline = "\r\n" if "\r\n" in text else "\n"
        unit = _unit(text)
        indent = _line_indent(text, start) if unit is not None else ""
        edited = text[:start] + _dumped(example, unit, indent, newline) + text[end:]
    except (JSONDecodeError, IndexError, ValueError, RecursionError) as exc:
        raise EditError(f"the file cannot be edited in place: {exc}") from None
    _holder(data, keys)[keys[-1]] = json.loads(json.dumps(example))
    _same(edited, data)
    return edited


def remove_example(text: str, where: str) -> str:
    """The file's text without the example at `where` (and the comma that joined it)."""
    try:
        data = json.loads(text)
        keys, start, end = _element(text, where)
        after = _skip(text, end)
        if text[after] == ",":  # not the last: up to the next element
            edited = text[:start] + text[_skip(text, after + 1) :]
        else:  # the last: from the end of the one before (or the `[`)
            before = len(text[:start].rstrip())
            if text[before - 1] == ",":
                edited = text[: before - 1] + text[end:]
            else:  # the only one: the list becomes `[]`
                edited = text[:before] + text[after:]
    except (JSONDecodeError, IndexError, ValueError, RecursionError) as exc:
        raise EditError(f"the file cannot be edited in place: {exc}") from None
    del _holder(data, keys)[keys[-1]]
    _same(edited, data)
    return edited


def _same(edited: str, expected: Any) -> None:
    try:
        if json.loads(edited) != expected:
            raise EditError("the edit would change more than the example: not written")
    except JSONDecodeError as exc:
        raise EditError(f"the edit would not be JSON: {exc}") from None
