"""Variables: precedence, nesting, unknown tokens, and the templates built from them."""

from __future__ import annotations

from collections.abc import Callable

from mockpost.matching.index import Index
from mockpost.postman.variables import resolve
from mockpost.responses.prepare import prepare_response
from mockpost.responses.templates import compile_template
from tests.conftest import collection, environment, example, item


def test_unknown_variables_stay_as_written() -> None:
    assert resolve("{{known}}/{{unknown}}", {"known": "k"}) == "k/{{unknown}}"


def test_nested_variables_resolve() -> None:
    lookup = {
        "base": "{{scheme}}://{{host}}",
        "scheme": "https",
        "host": "{{name}}.test",
        "name": "api",
    }
    assert resolve("{{base}}/v1", lookup) == "https://api.test/v1"


def test_self_referencing_variable_stops_after_19_passes() -> None:
    assert resolve("{{a}}", {"a": "x{{a}}"}) == "x" * 19 + "{{a}}"


def test_environment_wins_over_request_folder_and_collection_variables(
    make_index: Callable[..., Index],
) -> None:
    request_item = item("r", example("e", "{{baseUrl}}/{{a}}/{{b}}/{{c}}/{{d}}"))
    request_item["variable"] = [{"key": "a", "value": "request"}, {"key": "b", "value": "request"}]
    folder = {
        "name": "f",
        "item": [request_item],
        "variable": [
            {"key": "a", "value": "folder"},
            {"key": "b", "value": "folder"},
            {"key": "c", "value": "folder"},
        ],
    }
    data = collection(folder, variables={"a": "coll", "b": "coll", "c": "coll", "d": "coll"})
    index = make_index(data, environment({"a": "env"}))
    assert index.examples[0].path.text == "/env/request/folder/coll"


def test_disabled_environment_values_do_not_exist(make_index: Callable[..., Index]) -> None:
    data = collection(item("r", example("e", "{{baseUrl}}/{{v}}")), variables={"v": "coll"})
    index = make_index(data, environment({"v": "env"}, disabled=("v",)))
    assert index.examples[0].path.text == "/coll"


def test_base_url_variable_with_a_path_becomes_part_of_the_path(
    make_index: Callable[..., Index],
) -> None:
    data = collection(
        item("r", example("e", "{{baseUrl}}/users")), variables={"baseUrl": "https://api.test/v2/"}
    )
    assert make_index(data).examples[0].path.text == "/v2/users"


def test_a_variable_can_bring_a_query_to_a_url_that_lists_none(
    make_index: Callable[..., Index],
) -> None:
    data = collection(
        item("r", example("e", "{{baseUrl}}/items{{q}}")),
        variables={"baseUrl": "https://h", "q": "?page=2"},
    )
    indexed = make_index(data).examples[0]
    assert indexed.path.text == "/items"
    assert dict(indexed.query) == {("page", "2"): 1}


def test_variables_resolve_in_response_bodies_and_headers(make_index: Callable[..., Index]) -> None:
    ex = example(
        "e",
        "x/a",
        body='{"v": "{{version}}"}',
        headers=[{"key": "X-Version", "value": "{{version}}"}],
    )
    index = make_index(collection(item("r", ex)), environment({"version": "7"}))
    response = prepare_response(index.examples[0])
    assert response.static_body == b'{"v": "7"}'
    assert response.headers[0][1].render({}, str) == "7"


def test_template_inserts_captured_values_as_data() -> None:
    template = compile_template("id={{id}} guid={{$guid}}", frozenset({"id"}))
    rendered = template.render({"id": "{{$guid}}"}, lambda name: f"<{name}>")
    assert rendered == "id={{$guid}} guid=<guid>"


def test_text_without_dynamic_content_compiles_to_static_text() -> None:
    template = compile_template("plain {{unknownVar}} and {{$notAVariable}}")
    assert template.static == "plain {{unknownVar}} and {{$notAVariable}}"
