"""Reading a YAML file of a v3 collection as its author wrote it, fast and safely.

Postman reads YAML 1.2, where `no`, `on` and `2024-01-01` are text; Python's usual loader is
YAML 1.1 and makes them booleans and dates, and even a YAML 1.2 loader would make `1e3` the
number 1000 and `010` the number 10. So every plain scalar is read as the characters written
(the format says where it wants a number or a boolean, and `v3.py` reads those from the text);
only YAML 1.2's nulls (`~`, `null`, nothing) are None. libyaml's C parser does the parsing
(PyYAML's CSafeLoader, which builds no Python object beyond dicts, lists and strings), and a
file that uses anchors and aliases is refused: no Postman file has them, and a "billion laughs"
file is then one line of error, not a walk over an exponential tree.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from mockpost.errors import LoadError

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where it is built
MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]", re.MULTILINE)
MAX_BYTES = 64 * 1024 * 1024  # one request or example file larger than this is refused


class _TextLoader(_Base):  # type: ignore[misc]
    """Plain scalars as text, but YAML 1.2's nulls; no other implicit type."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The tag of a node: null for a plain `~`, `null` or nothing, else what its kind
        says (called for every node: kept to a lookup)."""
        if kind is yaml.ScalarNode:
            return NULL_TAG if implicit[0] and value in NULLS else STR_TAG
        return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG


NULLS = frozenset(("", "~", "null", "Null", "NULL"))
NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"


class YamlError(LoadError):
    """A YAML file that cannot be read: its message names the file, line and column."""


def read_yaml(path: str | Path, source: str | None = None) -> Any:
    """The file's data, or a YamlError naming it (as `source`, else its path), where, and
    the fix."""
    source = source or str(path)
    try:
        text = read_bytes_at(path, source).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlError(source, "is not UTF-8 text") from None
    if ("&" in text or "*" in text) and MAYBE_ANCHOR.search(text):  # only then can it hold
        _no_aliases(text, source)  # one: looked for in its events
    try:
        node = yaml.compose(text, Loader=_TextLoader)  # libyaml's parser and composer
        return None if node is None else _data(node)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, text, source) from None
    except RecursionError as exc:
        raise YamlError(source, f"is not valid YAML: {exc}") from None


def yaml_error(exc: yaml.YAMLError, text: str, source: str) -> YamlError:
    """PyYAML's error as one line: the file, line and column, the problem and the fix."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return YamlError(source, _problem(exc, text), _place(exc))
    return YamlError(source, f"is not valid YAML: {exc}")


def read_bytes_at(path: str | Path, source: str) -> bytes:
    """A regular file's bytes, read with one open and one stat: a FIFO or a device is
    refused before it is read (it could never end), as is a file over MAX_BYTES."""
    try:
        fd = os.open(
            os.fspath(path),
            os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0),
        )
    except FileNotFoundError:
        raise YamlError(source, "no such file") from None
    except OSError as exc:
        raise YamlError(source, f"cannot be read: {exc.strerror or exc}") from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise YamlError(source, "is a directory, not a YAML file")
        if not stat.S_ISREG(status.st_mode):
            raise YamlError(source, "is not a regular file")
        if status.st_size > MAX_BYTES:
            raise YamlError(source, f"is over {MAX_BYTES // (1024 * 1024)} MiB")
        data = os.read(fd, status.st_size + 1)
        while len(data) > status.st_size and len(data) <= MAX_BYTES:  # it grew meanwhile
            more = os.read(fd, 1 << 20)
            if not more:
                break
            data += more
    except OSError as exc:
        raise YamlError(source, f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise YamlError(source, f"grew over {MAX_BYTES // (1024 * 1024)} MiB as it was read")
    return data


def _data(node: yaml.Node) -> Any:
    """A composed node as dicts, lists and text (None for a null): no tag is acted on, so
    nothing but those is ever built. (Anchors were refused before: no node is shared.)"""
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == NULL_TAG else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_data(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise yaml.MarkedYAMLError(
                    problem="a key that is not text", problem_mark=key.start_mark
                )
            out[key.value] = _data(value)
        return out
    return None


def _no_aliases(text: str, source: str) -> None:
    try:
        for event in yaml.parse(text, Loader=_TextLoader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None or isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
                raise YamlError(
                    source, "uses YAML anchors or aliases, which a Postman file never does", where
                )
    except yaml.MarkedYAMLError:
        return  # the load that follows says what is wrong, and where


def _place(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = f"is not valid YAML: {exc.problem or exc.context or 'cannot be parsed'}"
    mark = exc.problem_mark or exc.context_mark
    if mark is not None:
        lines = text.splitlines()
        # The usual one: `url: {{baseUrl}}/x`, a plain value that starts with `{`.
        near = [lines[i] for i in (mark.line - 1, mark.line) if 0 <= i < len(lines)]
        if any(re.search(r":\s+\{\{", line) for line in near):
            problem += " (a value that starts with {{ must be quoted: url: '{{baseUrl}}/x')"
    return problem
