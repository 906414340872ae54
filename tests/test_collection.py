"""Loading collection and environment files: every form real exports use, and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mockpost.errors import LoadError
from mockpost.matching.index import Index, build_index
from mockpost.postman.reader import load_collection, load_environment
from mockpost.responses.prepare import prepare_response
from tests.conftest import V20, V21, collection, example, item


def paths(index: Index) -> list[str]:
    return [e.path.text for e in index.examples]


def with_request(req: Any, response: dict[str, Any] | None = None) -> dict[str, Any]:
    ex = response if response is not None else {"name": "ex", "code": 200, "body": "hi"}
    return collection({"name": "r", "request": req, "response": [ex]})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://api.example.com/v1/users?page=2", "/v1/users", id="string-url"),
        pytest.param({"raw": "{{baseUrl}}/users/7"}, "/users/7", id="object-with-raw-only"),
        pytest.param(
            {"host": ["api", "example", "com"], "path": ["v2", "orders"]},
            "/v2/orders",
            id="object-without-raw",
        ),
        pytest.param({"host": "example.com", "path": "a/b"}, "/a/b", id="host-and-path-strings"),
        pytest.param(
            {"raw": "x", "host": ["{{baseUrl}}"], "path": [{"type": "string", "value": "items"}]},
            "/items",
            id="path-items-as-objects",
        ),
        pytest.param(
            {
                "raw": "{{baseUrl}}/users/:id",
                "host": ["{{baseUrl}}"],
                "path": ["users", ":id"],
                "variable": [{"key": "id", "value": "42"}],
            },
            "/users/42",
            id="path-variable-with-value",
        ),
        pytest.param(
            {
                "raw": "{{baseUrl}}/users/:id",
                "host": ["{{baseUrl}}"],
                "path": ["users", ":id"],
                "variable": [{"key": "id", "value": ""}],
            },
            "/users/{{id}}",
            id="path-variable-without-value-is-wildcard",
        ),
        pytest.param(
            {
                "raw": "{{baseUrl}}/users/:id",
                "host": ["{{baseUrl}}"],
                "path": ["users", ":id"],
                "variable": [{"id": "id", "value": "9"}],
            },
            "/users/9",
            id="v2.0-path-variable-id",
        ),
        pytest.param("http://localhost:3000", "/", id="no-path-is-root"),
        pytest.param("{{baseUrl}}//double//slash", "/double/slash", id="repeated-slashes"),
    ],
)
def test_url_forms_give_the_path_postman_matches(
    make_index: Callable[..., Index], url: Any, expected: str
) -> None:
    index = make_index(with_request({"method": "GET", "url": url}))
    assert paths(index) == [expected]


def test_request_given_as_a_plain_url_string_is_a_get(make_index: Callable[..., Index]) -> None:
    data = with_request("https://x.test/ping", {"name": "pong", "code": 200, "body": "pong"})
    index = make_index(data)
    assert index.examples[0].method == "GET"
    assert paths(index) == ["/ping"]


def test_example_without_original_request_answers_for_its_parent_request(
    make_index: Callable[..., Index],
) -> None:
    data = with_request({"method": "POST", "url": "{{baseUrl}}/orders"})
    index = make_index(data)
    assert index.examples[0].method == "POST"
    assert paths(index) == ["/orders"]


def test_nested_folders_and_requests_beside_folders_all_load(
    make_index: Callable[..., Index],
) -> None:
    deep = {"name": "a", "item": [{"name": "b", "item": [item("deep", example("d", "x/deep"))]}]}
    data = collection(item("top", example("t", "x/top")), deep, {"name": "empty", "item": []})
    index = make_index(data)
    assert paths(index) == ["/top", "/deep"]
    assert index.examples[1].example.folders == ("a", "b")


def test_null_headers_null_bodies_and_numeric_header_values_load(
    make_index: Callable[..., Index],
) -> None:
    ex = example("e", "x/a")
    ex.update(header=[{"key": "X-Count", "value": 3}, {"key": "X-Null", "value": None}], body=None)
    second = example("f", "x/b")
    second.update(header=None)
    index = make_index(collection(item("r", ex), item("s", second)))
    headers = [(n, t.render({}, str)) for n, t in prepare_response(index.examples[0]).headers]
    assert ("X-Count", "3") in headers
    assert ("X-Null", "") in headers
    assert prepare_response(index.examples[0]).static_body == b""
    assert prepare_response(index.examples[1]).headers[-1][0] == "Content-Type"


def test_headers_given_as_a_text_block_load(make_index: Callable[..., Index]) -> None:
    ex = example("e", "x/a", language=None)
    ex["header"] = "Content-Type: text/csv\nX-Trace: abc"
    index = make_index(collection(item("r", ex)))
    assert [n for n, _ in prepare_response(index.examples[0]).headers] == [
        "Content-Type",
        "X-Trace",
    ]


def test_disabled_query_params_are_not_part_of_the_example(
    make_index: Callable[..., Index],
) -> None:
    data = with_request(
        {
            "method": "GET",
            "url": {
                "raw": "{{baseUrl}}/s?a=1&b=2",
                "host": ["{{baseUrl}}"],
                "path": ["s"],
                "query": [{"key": "a", "value": "1"}, {"key": "b", "value": "2", "disabled": True}],
            },
        }
    )
    assert dict(make_index(data).examples[0].query) == {("a", "1"): 1}


def test_example_without_code_is_served_as_200(make_index: Callable[..., Index]) -> None:
    data = with_request("{{baseUrl}}/a", {"name": "no code", "body": "x"})
    assert make_index(data).examples[0].code == 200


def test_example_ids_are_kept_and_missing_ones_are_stable(write_json: Callable[..., Path]) -> None:
    data = collection(item("r", example("given", "x/a", id="abc-123"), example("none", "x/a")))
    first = load_collection(write_json(data))
    again = load_collection(write_json(data))
    assert first.examples[0].id == "abc-123"
    assert first.examples[1].id == again.examples[1].id != ""


def test_example_with_impossible_code_is_dropped_with_its_reason(
    write_json: Callable[..., Path],
) -> None:
    bad = example("bad", "x/a")
    bad["code"] = "teapot"
    loaded = load_collection(write_json(collection(item("r", example("ok", "x/a"), bad))))
    assert [e.name for e in loaded.examples] == ["ok"]
    assert len(loaded.dropped) == 1
    assert loaded.dropped[0].where == "$.item[0].response[1]"
    assert "teapot" in loaded.dropped[0].reason


def test_v2_0_collections_load(make_index: Callable[..., Index]) -> None:
    data = collection(item("r", example("e", "x/v20")))
    data["info"]["schema"] = V20
    index = make_index(data)
    assert index.collection.schema_version == "2.0.0"
    assert paths(index) == ["/v20"]


def test_environment_keeps_enabled_values_only(write_json: Callable[..., Path]) -> None:
    path = write_json(
        {
            "name": "env",
            "values": [{"key": "a", "value": "1"}, {"key": "b", "value": "2", "enabled": False}],
        },
        "env.json",
    )
    assert dict(load_environment(path).values) == {"a": "1"}


# Errors: one line naming the file, the problem and the place.


def test_invalid_json_names_the_file_line_and_column(write_json: Callable[..., Path]) -> None:
    path = write_json('{"info": {}, "item": [,]}')
    with pytest.raises(LoadError) as error:
        load_collection(path)
    message = str(error.value)
    assert message.startswith(f"{path}: is not valid JSON")
    assert "line 1, column" in message
    assert "\n" not in message


def test_structure_error_names_the_json_path(write_json: Callable[..., Path]) -> None:
    data = collection(item("r", example("e", "x/a")))
    data["item"][0]["response"][0] = "not an object"
    path = write_json(data)
    with pytest.raises(LoadError) as error:
        load_collection(path)
    assert (
        str(error.value) == f"{path}: expected an object, found a string (at $.item[0].response[0])"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param({"values": []}, "is an environment file", id="environment-as-collection"),
        pytest.param({"requests": [], "name": "x"}, "is a Postman v1 collection", id="v1"),
        pytest.param({"info": {"name": "x"}}, "is not a Postman collection", id="no-items"),
        pytest.param([1, 2], r"expected an object, found an array \(at \$\)", id="not-an-object"),
    ],
)
def test_files_that_are_not_collections_are_refused_clearly(
    write_json: Callable[..., Path], content: Any, problem: str
) -> None:
    with pytest.raises(LoadError, match=problem):
        load_collection(write_json(content))


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_collection(tmp_path / "nope.json")


def test_collection_passed_as_environment_is_refused(write_json: Callable[..., Path]) -> None:
    with pytest.raises(LoadError, match="is a collection, not an environment"):
        load_environment(write_json(collection()))


def test_collection_build_keeps_collection_order(write_json: Callable[..., Path]) -> None:
    data = collection(item("r", example("one", "x/a"), example("two", "x/b")))
    index = build_index(load_collection(write_json(data)))
    assert [e.example.position for e in index.examples] == [0, 1]


def test_original_request_with_empty_url_and_no_method_takes_the_parents(
    make_index: Callable[..., Index],
) -> None:
    response = {
        "name": "ex",
        "code": 200,
        "body": "x",
        "originalRequest": {"header": [], "url": {"raw": ""}},
    }
    data = with_request({"method": "PUT", "url": "{{baseUrl}}/cookies/set"}, response)
    index = make_index(data)
    assert (index.examples[0].method, paths(index)) == ("PUT", ["/cookies/set"])


def test_an_example_without_an_id_gets_the_uuid5_of_its_place() -> None:
    import uuid

    from hypothesis import given
    from hypothesis import strategies as st

    from mockpost.postman.model import stable_id

    @given(st.text())
    def same(name: str) -> None:
        assert stable_id(name) == str(uuid.uuid5(uuid.NAMESPACE_URL, name))

    same()


def test_examples_saved_with_the_same_request_share_it_and_others_keep_their_own(
    write_json: Callable[..., Path],
) -> None:
    ok = example("ok", "{{baseUrl}}/users/1")
    missing = example("missing", "{{baseUrl}}/users/1", code=404)
    other = example("other", "{{baseUrl}}/users/2")
    loaded = load_collection(
        write_json(collection(item("u", ok, missing, other, raw="/users/:id")))
    )
    first, second, third = loaded.examples
    assert first.request is second.request  # read once, and compiled once by the index
    assert third.request is not first.request
    assert third.request.url.path == ("users", "2")
    assert first.request.url.path == ("users", "1")
    assert loaded.requests[0].request.url.path == ("users", ":id")


def test_every_field_of_an_example_is_read_from_its_own_place(
    write_json: Callable[..., Path],
) -> None:
    # The reader builds examples positionally (for speed): each field must come from its
    # own key, which a swap of two text fields would break without mypy noticing.
    data = {
        "info": {"name": "fields", "_postman_id": "collection-id", "schema": V21},
        "item": [
            {
                "name": "a folder",
                "item": [
                    {
                        "name": "the request",
                        "request": {"method": "PUT", "url": "http://x/things/1"},
                        "response": [
                            {"name": "skip", "code": 200},
                            {
                                "id": "the-id",
                                "name": "the example",
                                "code": 418,
                                "status": "I'm a teapot",
                                "header": [{"key": "X-One", "value": "1"}],
                                "body": "the body",
                                "_postman_previewlanguage": "JSON",
                            },
                        ],
                    }
                ],
            }
        ],
    }
    loaded = load_collection(write_json(data))
    found = loaded.examples[1]
    assert (found.saved_id, found.id, found.name) == ("the-id", "the-id", "the example")
    assert (found.code, found.status) == (418, "I'm a teapot")
    assert (found.headers, found.body, found.language) == ((("X-One", "1"),), "the body", "json")
    assert (found.request.method, found.request.url.raw) == ("PUT", "http://x/things/1")
    assert (found.request_name, found.folders) == ("the request", ("a folder",))
    assert (found.position, found.where) == (1, "$.item[0].item[0].response[1]")
    assert (found.raw_body, found.id_base) == (None, "collection-id")
    assert loaded.examples[0].id != found.id  # made from the collection's id and its place
