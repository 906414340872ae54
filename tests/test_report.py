"""`mockpost validate` and `mockpost routes`: what a collection holds, as a user reads it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mockpost.cli import main
from mockpost.matching.index import Index
from mockpost.matching.report import build_report, find_routes, replay_call, routes_json
from tests.conftest import collection, example, item


def shop() -> dict[str, object]:
    return collection(
        item(
            "Get user",
            example("User 1", "x/users/1"),
            example("Any user", "x/users/{{id}}"),
            example("Missing", "x/users/{{id}}", code=404),
        ),
        item("Create", example("Created", "x/users", method="POST", code=201)),
        item("Copy", example("Created", "x/users", method="POST", code=201)),
    )


def test_replay_call_fills_wildcards_and_encodes_the_body(make_index: Callable[..., Index]) -> None:
    body = {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1 2"}]}
    index = make_index(
        collection(
            item("r", example("e", "x/f/{{name}}.json?q=1", method="POST", request_body=body))
        )
    )
    call = replay_call(index.examples[0])
    assert (call.method, call.path, call.query) == ("POST", "/f/w1ld.json", (("q", "1"),))
    assert (call.body, call.content_type) == (b"a=1+2", "application/x-www-form-urlencoded")


def test_report_finds_wildcards_shadowed_examples_and_duplicate_names(
    make_index: Callable[..., Index],
) -> None:
    report = build_report(make_index(shop()))
    assert report.unresolved == {"id": 2}
    shadowed = {(s.example.name, s.by.name if s.by else None) for s in report.shadowed}
    assert shadowed == {("Missing", "Any user"), ("Created", "Created")}
    assert report.duplicate_names == {"Created": 2}
    assert report.servable


def test_routes_group_examples_by_method_and_path(make_index: Callable[..., Index]) -> None:
    routes = find_routes(make_index(shop()))
    assert [(r.method, r.path, [e.name for e in r.examples]) for r in routes] == [
        ("GET", "/users/1", ["User 1"]),
        ("GET", "/users/{{id}}", ["Any user", "Missing"]),
        ("POST", "/users", ["Created", "Created"]),
    ]
    assert routes_json(routes)[1]["wildcards"] == ["id"]


def test_validate_prints_the_tables_and_exits_0(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    result = runner.invoke(main, ["validate", str(write_json(shop()))])
    assert result.exit_code == 0, result.output
    assert "examples never chosen by path" in result.output
    assert "{{id}}" in result.output
    assert "OK: 5 examples can be served." in result.output


def test_validate_lists_dropped_examples(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    bad = example("Broken", "x/a")
    bad["code"] = "soon"
    path = write_json(collection(item("r", bad, example("ok"))))
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert "Dropped examples" in result.output
    assert "status code 'soon' is not a number" in result.output


def test_validate_exits_1_when_there_is_nothing_to_serve(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    data = collection({"name": "r", "request": {"method": "GET", "url": "x/a"}})
    result = runner.invoke(main, ["validate", str(write_json(data))])
    assert result.exit_code == 1
    assert "no saved examples" in result.output


def test_validate_exits_1_on_a_broken_file(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    path = write_json("{")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: is not valid JSON")


def test_routes_as_json(runner: CliRunner, write_json: Callable[..., Path]) -> None:
    result = runner.invoke(main, ["routes", str(write_json(shop())), "--json"])
    assert result.exit_code == 0
    routes = json.loads(result.output)
    assert routes[1]["path"] == "/users/{{id}}"
    assert [e["code"] for e in routes[1]["examples"]] == [200, 404]


def test_routes_as_a_table(runner: CliRunner, write_json: Callable[..., Path]) -> None:
    result = runner.invoke(main, ["routes", str(write_json(shop()))])
    assert result.exit_code == 0
    assert "/users/{{id}}" in result.output
    assert "404 Missing" in result.output


def test_validate_lists_unknown_dynamic_variables(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    ex = example("e", "x/a", body='{"id": "{{$guid}}", "x": "{{$randomThing}}"}')
    result = runner.invoke(main, ["validate", str(write_json(collection(item("r", ex))))])
    assert result.exit_code == 0
    assert "Unknown {{$…}} variables" in result.output
    assert "{{$randomThing}}" in result.output
    assert "{{$guid}}" not in result.output


def test_validate_json_gives_the_report_as_data(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    bad = example("bad", "x/b")
    bad["code"] = "abc"
    data = collection(item("r", example("ok", "x/a"), example("copy", "x/a"), bad))
    result = runner.invoke(main, ["validate", str(write_json(data)), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert (report["examples"], report["servable"], report["strict_ok"]) == (2, True, False)
    assert report["dropped"] == [
        {
            "where": "$.item[0].response[2]",
            "name": "bad",
            "reason": "status code 'abc' is not a number",
        }
    ]
    [shadowed] = report["shadowed"]
    assert shadowed["example"]["name"] == "copy"
    assert shadowed["answered_by"]["name"] == "ok"


@pytest.mark.parametrize(
    ("examples", "code"),
    [
        pytest.param([example("a", "x/a"), example("b", "x/b")], 0, id="all-reachable"),
        pytest.param([example("a", "x/a"), example("copy", "x/a")], 1, id="one-unreachable"),
    ],
)
def test_validate_strict_exits_1_when_an_example_cannot_be_reached(
    runner: CliRunner, write_json: Callable[..., Path], examples: list[Any], code: int
) -> None:
    path = write_json(collection(item("r", *examples)))
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0
    assert runner.invoke(main, ["validate", str(path), "--strict"]).exit_code == code


def test_validate_strict_says_why_it_fails_and_never_ok(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    path = write_json(collection(item("r", example("a", "x/a"), example("copy", "x/a"))))
    result = runner.invoke(main, ["validate", str(path), "--strict"])
    assert result.exit_code == 1
    assert "OK" not in result.output
    said = " ".join(result.output.split())
    assert "Fails --strict: 1 example never chosen by a plain call to their path" in said
    assert "OK: 2 examples can be served." in runner.invoke(main, ["validate", str(path)]).output


PAYMENTS = collection(
    item("Get payment", example("A payment", "{{baseUrl}}/payments/{{paymentId}}")),
    item("List", example("Payments", "{{baseUrl}}/payments/all")),
)
PLACEHOLDERS = {
    "name": "env",
    "values": [
        {"key": "baseUrl", "value": "http://x", "enabled": True},
        {"key": "paymentId", "value": "", "enabled": True},
    ],
}


def test_validate_names_a_variable_that_an_empty_value_takes_out_of_paths(
    runner: CliRunner, write_json: Callable[..., Path]
) -> None:
    path = write_json(PAYMENTS)
    env = write_json(PLACEHOLDERS, "env.json")
    result = runner.invoke(main, ["validate", str(path), "-e", str(env)])
    said = " ".join(result.output.split())
    assert "{{paymentId}} is empty, so 1 example lost a path segment (GET /payments/)" in said
    assert "'A payment'" in said
    report = json.loads(
        runner.invoke(main, ["validate", str(path), "-e", str(env), "--json"]).output
    )
    assert [e["name"] for e in report["emptied"]["paymentId"]] == ["A payment"]
    # without the environment the variable is a wildcard, and nothing is said
    assert "is empty" not in runner.invoke(main, ["validate", str(path)]).output


def test_start_up_and_the_404_explanation_name_the_emptied_variable(
    write_json: Callable[..., Path],
) -> None:
    from tests.conftest import http_get, running_cli

    path = write_json(PAYMENTS)
    env = write_json(PLACEHOLDERS, "env.json")
    with running_cli(str(path), "-e", str(env), "--no-watch", "--quiet") as cli:
        banner = " ".join(cli.banner.split())
        assert "{{paymentId}} is empty, so 1 example lost a path segment" in banner
        assert http_get(cli.url + "/payments/pay_123")[0] == 404
        _, body = http_get(cli.url + "/__mockpost/calls/1")
        explained = json.dumps(json.loads(body)["explanation"])
        assert "its path is /payments/: {{paymentId}} is empty" in explained
