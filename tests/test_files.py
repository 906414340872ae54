"""Strange files: each loads, or fails in one line naming the file, the place and the problem.
Never a traceback, never a hang."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockpost.calls.call import Call
from mockpost.calls.record import How
from mockpost.cli import main
from mockpost.errors import LoadError
from mockpost.matching.index import build_index
from mockpost.matching.report import replay_call
from mockpost.postman.jsonfile import read_json
from mockpost.postman.model import Collection
from mockpost.postman.reader import load_collection, load_environment, parse_collection
from mockpost.runtime.runtime import Runtime
from tests.conftest import collection, example, item


def one_line_error(runner: CliRunner, path: Path, *extra: str) -> str:
    result = runner.invoke(main, ["validate", str(path), *extra])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {path}")
    return lines[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_not_a_regular_file_and_never_hangs(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "api.postman_collection.json"
    os.mkfifo(fifo)
    assert one_line_error(runner, fifo) == f"Error: {fifo}: is not a regular file"


@pytest.mark.parametrize("content", ["", "   \n", "\ufeff"])
def test_an_empty_file_says_so(runner: CliRunner, tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.json"
    path.write_text(content, encoding="utf-8")
    assert one_line_error(runner, path) == f"Error: {path}: the file is empty"


def test_json_nested_100000_levels_deep_is_refused_with_its_place(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"info": {"name": "x"}, "item": ' + "[" * 100_000 + "]" * 100_000 + "}")
    line = one_line_error(runner, path)
    assert "is nested more than 900 levels deep (at line 1, column " in line


def test_folders_nested_too_deep_to_serve_are_refused_in_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    folders = '{"name": "f", "item": [' * 440 + '{"name": "leaf", "item": []}' + "]}" * 440
    path = tmp_path / "folders.json"
    path.write_text('{"info": {"name": "x"}, "item": [' + folders + "]}")
    result = runner.invoke(main, ["validate", str(path)])
    assert "Traceback" not in result.output
    assert result.exit_code == 1  # loads (and has nothing to serve) or is refused in one line


def test_lone_surrogate_escapes_load_and_serve_as_replacement_characters(
    write_json: Callable[..., Path],
) -> None:
    ex = example("smile \\ud83d", "x/a", body='{"face": "\\ud83d"}')
    path = write_json(json.dumps(collection(item("r \\udc00", ex))).replace("\\\\u", "\\u"))
    loaded = load_collection(path)
    assert loaded.examples[0].name == "smile \ufffd"
    runtime = Runtime(build_index(loaded))
    reply = runtime.answer(Call("GET", "/a"))
    assert reply.status == 200
    assert json.loads(reply.body) == {"face": "\ufffd"}


# The file's JSON is parsed by orjson where it gives what Python's json gives, by json elsewhere


JSON_DOCUMENTS = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # unbounded: beyond 64 bits too
    | st.floats(allow_nan=False)  # infinities too (json writes them as Infinity)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=12,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=JSON_DOCUMENTS, indent=st.sampled_from([None, 1]), bom=st.booleans())
def test_any_json_reads_as_pythons_json_module_reads_it(
    tmp_path: Path, document: Any, indent: int | None, bom: bool
) -> None:
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    path = tmp_path / "any.json"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8", "surrogatepass"))
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return  # a surrogate written raw is not UTF-8: refused (tested above, escaped)
    # As text: equal values of other types (1 and 1.0, 2**64 and its float) must differ too.
    assert json.dumps(read_json(path)) == json.dumps(json.loads(text))


def test_numbers_beyond_64_bits_are_served_exactly_as_written(
    write_json: Callable[..., Path],
) -> None:
    body = {"id": 123456789012345678901234567890, "low": -(2**63) - 1, "top": 2**64}
    ex = example("big", "x/a")
    ex["body"] = body  # a body saved as JSON itself, not as text
    loaded = load_collection(write_json(collection(item("r", ex))))
    assert loaded.examples[0].body == json.dumps(body)  # integers, not floats of them


@pytest.mark.parametrize(
    ("value", "served"),
    [("NaN", "NaN"), ("Infinity", "Infinity"), ("1e400", "Infinity"), ("-0.0", "-0.0")],
)
def test_numbers_javascript_cannot_write_still_load(
    write_json: Callable[..., Path], value: str, served: str
) -> None:
    document = json.dumps(collection(item("r", example("x", "x/a")), variables={"v": "0"}))
    path = write_json(document.replace('"value": "0"', f'"value": {value}'))
    assert load_collection(path).variables == {"v": served}


@pytest.mark.parametrize("depth", [890, 990, 1010, 1030, 1100])
def test_values_nested_around_what_json_parses_load_or_fail_in_one_line(
    runner: CliRunner, tmp_path: Path, depth: int
) -> None:
    nested = "[" * depth + "]" * depth
    document = json.dumps(collection(item("r", example("x", "x/a")), variables={"v": "0"}))
    path = tmp_path / "deep-value.json"
    path.write_text(document.replace('"value": "0"', f'"value": {nested}'))
    result = runner.invoke(main, ["validate", str(path)])
    assert "Traceback" not in result.output
    if depth <= 900:
        assert result.exit_code == 0, result.output
    else:  # refused by the parser, or by what is made of the value: in one line either way
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: {path}: is nested ")
        assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("where", "value", "reason"),
    [
        (("body", "formdata"), 5, "body.formdata is a number, expected an array"),
        (("url", "variable"), 1.5, "url.variable is a number, expected an array"),
        (("method",), 7, "the request method is not text"),
        (("url",), 3, "the URL is neither a string nor an object"),
        (("url", "path"), {"a": 1}, "url.path is neither a list nor a string"),
    ],
)
def test_wrong_types_inside_an_original_request_drop_that_example_with_the_reason(
    write_json: Callable[..., Path], where: tuple[str, ...], value: Any, reason: str
) -> None:
    bad = example("bad", "x/b", request_body={"mode": "formdata", "formdata": []})
    target = bad["originalRequest"]
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    loaded = load_collection(write_json(collection(item("r", example("ok", "x/a"), bad))))
    assert [e.name for e in loaded.examples] == ["ok"]
    assert [(d.name, d.reason) for d in loaded.dropped] == [("bad", reason)]


def test_an_environment_file_of_the_wrong_shape_names_what_was_expected(
    write_json: Callable[..., Path],
) -> None:
    path = write_json({"name": "env", "values": {"a": 1}}, "env.json")
    with pytest.raises(LoadError, match=r"expected an array, found an object \(at \$\.values\)"):
        load_environment(path)


# Fuzz: any JSON value anywhere inside an example


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
PLACES = [
    ("name",),
    ("code",),
    ("status",),
    ("header",),
    ("body",),
    ("_postman_previewlanguage",),
    ("originalRequest",),
    ("originalRequest", "method"),
    ("originalRequest", "header"),
    ("originalRequest", "body"),
    ("originalRequest", "body", "mode"),
    ("originalRequest", "body", "raw"),
    ("originalRequest", "body", "urlencoded"),
    ("originalRequest", "body", "formdata"),
    ("originalRequest", "body", "graphql"),
    ("originalRequest", "body", "options"),
    ("originalRequest", "url"),
    ("originalRequest", "url", "raw"),
    ("originalRequest", "url", "host"),
    ("originalRequest", "url", "path"),
    ("originalRequest", "url", "query"),
    ("originalRequest", "url", "variable"),
]


def load_or_error(document: Any) -> Collection | LoadError:
    try:
        return parse_collection(document, "fuzz.json")
    except LoadError as error:
        return error


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), JSON_VALUES), min_size=1, max_size=4))
def test_any_value_anywhere_in_an_example_loads_or_fails_in_one_line_and_serves(
    changes: list[tuple[tuple[str, ...], Any]],
) -> None:
    ex = example(
        "fuzzed",
        "x/users/{{id}}?a=1",
        method="POST",
        body='{"id": "{{id}}"}',
        request_body={"mode": "raw", "raw": "{}"},
    )
    document = collection(item("r", ex), item("s", example("ok", "x/ok")))
    # Only the example changes: the item's own request (which shares its parts) stays.
    ex["originalRequest"] = json.loads(json.dumps(ex["originalRequest"]))
    for place, value in changes:
        target: Any = ex
        for key in place[:-1]:
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target = target[key]
        target[place[-1]] = value
    loaded = load_or_error(json.loads(json.dumps(document)))
    if isinstance(loaded, LoadError):
        assert "\n" not in str(loaded)
        assert str(loaded).startswith("fuzz.json: ")
        return
    index = build_index(loaded)
    runtime = Runtime(index)
    for indexed in index.examples:
        reply = runtime.answer(replay_call(indexed))
        assert reply.how is not How.INTERNAL_ERROR, reply.notes
    assert runtime.answer(Call("GET", "/ok")).status == 200


def test_names_from_a_strange_file_reach_the_terminal_escaped(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    data = collection(
        item("r", example("evil \x1b[2J\x9b31m", "x/a"), example("copy", "x/a")),
    )
    data["info"]["name"] = "API \x1b]0;title\x07"
    path = write_json(data)
    for args in (["validate", str(path)], ["routes", str(path)], ["validate", str(path), "--json"]):
        result = runner.invoke(main, args)
        assert "\x1b" not in result.output, args
        assert "\x9b" not in result.output, args
        assert "\x07" not in result.output, args
