"""Reading an OpenAPI or Swagger file: JSON, or YAML as YAML 1.2 reads it, safely.

A definition is recognised by its content (a top-level `openapi:` or `swagger:`), not by its
name. YAML is read with libyaml's parser and YAML 1.2's core types: `true`/`false`, numbers
as YAML 1.2 writes them (`010` is ten, `0o10` eight), null; `yes`, `no`, `on` and
`2024-01-01` stay text, as every OpenAPI tool reads them. Only dicts, lists, text, numbers,
booleans and None are built. Anchors and aliases are allowed (real definitions use them), but
a file whose aliases would expand past MAX_VALUES values is refused in one line: a "billion
laughs" file is never walked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from mockpost.errors import LoadError
from mockpost.postman.yamlfile import YamlError, read_bytes_at, yaml_error

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_VALUES = 5_000_000  # values a definition may hold once its aliases are expanded
ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s,\[\]{}]", re.MULTILINE)


class DefinitionError(LoadError):
    """A definition that cannot be read or used: the file, the place and the problem."""


class _Yaml12Loader(_Base):  # type: ignore[misc]
    """YAML 1.2's core schema: no YAML 1.1 booleans, octals, sexagesimals or timestamps."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}


_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])


def _int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
    if digits.startswith("0o"):
        return sign * int(digits[2:], 8)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    return sign * int(digits, 10)


def _text(loader: Any, node: yaml.ScalarNode) -> str:
    return str(node.value)


_Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int)
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):  # explicit tags: read as text
    _Yaml12Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _text)


def read_document(path: Path, source: str | None = None) -> Any:
    """A JSON or YAML file's data (raises DefinitionError naming it, and where)."""
    source = source or str(path)
    data = read_bytes_at(path, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DefinitionError(source, "is not UTF-8 text") from None
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise DefinitionError(source, f"is not valid JSON: {exc.msg}", where) from None
        except RecursionError:
            raise DefinitionError(source, "is nested too deeply") from None
    try:
        loaded = yaml.load(text, Loader=_Yaml12Loader)  # a safe loader: no Python object
    except yaml.YAMLError as exc:
        error = yaml_error(exc, text, source)
        raise DefinitionError(error.source, error.problem, error.where) from None
    except (RecursionError, ValueError) as exc:
        raise DefinitionError(source, f"is not valid YAML: {exc}") from None
    if ANCHOR.search(text):
        _bounded(loaded, source)
    return loaded


def _bounded(data: Any, source: str) -> None:
    """Refuse data whose aliases make it larger than MAX_VALUES values once expanded."""
    sizes: dict[int, int] = {}

    def size(value: Any) -> int:
        if not isinstance(value, (dict, list)):
            return 1
        known = sizes.get(id(value))
        if known is not None:
            return known
        sizes[id(value)] = MAX_VALUES + 1  # a loop of aliases: over the limit
        children = value.values() if isinstance(value, dict) else value
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_VALUES:
                break
        sizes[id(value)] = total
        return total

    try:
        too_large = size(data) > MAX_VALUES
    except RecursionError:
        too_large = True
    if too_large:
        raise DefinitionError(
            source, f"its YAML aliases expand to more than {MAX_VALUES:,} values: refused"
        )


__all__ = ["DefinitionError", "YamlError", "read_document"]
