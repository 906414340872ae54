"""Postman's matching algorithm, through the real aiohttp app.

Scores are read from the call log, which records the score of the example that answered.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient

from mockpost.calls.record import CallRecord
from mockpost.matching.options import MatchOptions
from mockpost.runtime.settings import Settings
from tests.conftest import NOT_FOUND, Serve, collection, example, item, runtime_of


async def call(
    client: TestClient[Any, Any], method: str, path: str, **kwargs: Any
) -> tuple[int, bytes, CallRecord]:
    async with client.request(method, path, **kwargs) as response:
        body = await response.read()
    record = runtime_of(client).store.last()
    assert record is not None
    return response.status, body, record


def named(name: str, raw: str, **kwargs: Any) -> dict[str, Any]:
    """An example whose body is its own name, to see which one answered."""
    return example(name, raw, body=name, **kwargs)


# Method and path


async def test_method_must_match(serve: Serve) -> None:
    client = await serve(
        collection(item("r", named("get", "x/a"), named("post", "x/a", method="POST")))
    )
    assert (await call(client, "POST", "/a"))[1] == b"post"
    assert (await call(client, "GET", "/a"))[1] == b"get"
    status, body, _ = await call(client, "DELETE", "/a")
    assert (status, body) == (404, NOT_FOUND)


async def test_exact_path_beats_wildcard(serve: Serve) -> None:
    client = await serve(
        collection(item("r", named("any", "x/users/{{id}}"), named("seven", "x/users/7")))
    )
    _, body, record = await call(client, "GET", "/users/7")
    assert body == b"seven"
    assert record.score == 110  # 100 for the path, +10 as neither side has query params
    assert (await call(client, "GET", "/users/8"))[1] == b"any"


async def test_wildcard_capture_is_echoed_in_the_body(serve: Serve) -> None:
    ex = example("user", "x/users/{{userId}}", body='{"id": "{{userId}}", "other": "{{x}}"}')
    client = await serve(collection(item("r", ex)))
    _, body, record = await call(client, "GET", "/users/carol")
    assert json.loads(body) == {"id": "carol", "other": "{{x}}"}
    assert (record.score, record.path_step) == (90, "wildcard")


async def test_path_variable_without_value_is_a_wildcard(serve: Serve) -> None:
    ex = example("user", "x/users/:id", body="user {{id}}")
    ex["originalRequest"]["url"]["variable"] = [{"key": "id", "value": ""}]
    client = await serve(collection(item("r", ex)))
    assert (await call(client, "GET", "/users/42"))[1] == b"user 42"


# Query parameters


@pytest.mark.parametrize(
    ("example_query", "call_query", "score"),
    [
        pytest.param("", "", 110, id="neither-side-has-params-counts-as-all-match"),
        pytest.param("?a=1&b=2", "?b=2&a=1", 110, id="all-match-in-any-order-plus-10"),
        pytest.param("?a=1&b=2", "?a=1&b=3", 105, id="half-match-plus-5"),
        pytest.param("?a=1&b=2&c=3", "?a=1", 100 + 10 / 3, id="one-of-three-by-percentage"),
        pytest.param("?a=1&b=2", "?c=3", 97, id="none-match-minus-missing"),
        pytest.param("?a=1&b=2", "?a=9&b=8", 100, id="none-match-partials-only"),
        pytest.param("", "?a=1", 99, id="params-only-on-the-call-are-missing"),
        pytest.param("?t=x&t=y", "?t=x&t=y", 110, id="repeated-key-counts-per-pair"),
        pytest.param(
            "?" + "&".join(f"k{i}=v" for i in range(12)), "", 90, id="missing-penalty-at-most-10"
        ),
    ],
)
async def test_query_params_score_by_percentage(
    serve: Serve, example_query: str, call_query: str, score: float
) -> None:
    client = await serve(collection(item("r", named("e", "x/s" + example_query))))
    status, _, record = await call(client, "GET", "/s" + call_query)
    assert status == 200
    assert record.score == pytest.approx(score)


async def test_best_query_match_wins(serve: Serve) -> None:
    client = await serve(
        collection(
            item(
                "r",
                named("plain", "x/users"),
                named("admins", "x/users?role=admin"),
                named("page2", "x/users?page=2"),
            )
        )
    )
    assert (await call(client, "GET", "/users?role=admin"))[1] == b"admins"
    assert (await call(client, "GET", "/users?page=2"))[1] == b"page2"
    assert (await call(client, "GET", "/users"))[1] == b"plain"


# Ties


async def test_tie_goes_to_the_example_with_code_200(serve: Serve) -> None:
    client = await serve(
        collection(item("r", named("error", "x/a", code=500), named("ok", "x/a", code=200)))
    )
    assert (await call(client, "GET", "/a"))[1] == b"ok"


async def test_tie_without_200_goes_to_the_first_in_collection_order(serve: Serve) -> None:
    client = await serve(
        collection(
            item("r", named("first", "x/a", code=201)), item("s", named("second", "x/a", code=202))
        )
    )
    assert (await call(client, "GET", "/a"))[1] == b"first"


# x-mock-response-code, -id, -name


async def test_response_code_header_keeps_examples_with_that_code(serve: Serve) -> None:
    client = await serve(collection(item("r", named("ok", "x/a"), named("gone", "x/a", code=410))))
    status, body, _ = await call(client, "GET", "/a", headers={"x-mock-response-code": "410"})
    assert (status, body) == (410, b"gone")
    status, body, _ = await call(client, "GET", "/a", headers={"x-mock-response-code": "503"})
    assert (status, body) == (404, NOT_FOUND)


async def test_response_id_header_returns_that_example_whatever_the_path(serve: Serve) -> None:
    client = await serve(
        collection(item("r", named("a", "x/a", id="id-a"), named("b", "x/b", id="id-b")))
    )
    assert (await call(client, "GET", "/nowhere", headers={"x-mock-response-id": "id-b"}))[
        1
    ] == b"b"
    uid = {"x-mock-response-id": "1234567-id-a"}
    assert (await call(client, "GET", "/x", headers=uid))[1] == b"a"
    status, body, _ = await call(client, "GET", "/a", headers={"x-mock-response-id": "nope"})
    assert (status, body) == (404, NOT_FOUND)


async def test_response_name_header_prefers_code_200_among_same_names(serve: Serve) -> None:
    client = await serve(
        collection(
            item("r", named("x", "x/a", code=500)),
            item("s", example("Same", "x/b", code=500, body="500")),
            item("t", example("Same", "x/c", code=200, body="200")),
        )
    )
    headers = {"x-mock-response-name": "Same"}
    assert (await call(client, "GET", "/zzz", headers=headers))[1] == b"200"
    status, _, _ = await call(client, "GET", "/a", headers={"x-mock-response-name": "nope"})
    assert status == 404


async def test_response_code_filters_before_name(serve: Serve) -> None:
    client = await serve(
        collection(
            item(
                "r",
                example("Same", "x/b", code=500, body="500"),
                example("Same", "x/c", code=200, body="200"),
            )
        )
    )
    headers = {"x-mock-response-name": "Same", "x-mock-response-code": "500"}
    assert (await call(client, "GET", "/b", headers=headers))[1] == b"500"


# Headers


async def test_header_matching_per_call(serve: Serve) -> None:
    en = named("en", "x/greet", request_headers=[{"key": "Accept-Language", "value": "en"}])
    fr = named("fr", "x/greet", request_headers=[{"key": "Accept-Language", "value": "fr"}])
    client = await serve(collection(item("r", en, fr)))
    match = {"x-mock-match-request-headers": "accept-language"}
    assert (await call(client, "GET", "/greet", headers={**match, "Accept-Language": "fr"}))[
        1
    ] == b"fr"
    status, _, record = await call(
        client, "GET", "/greet", headers={**match, "Accept-Language": "de"}
    )
    assert status == 404
    assert "header accept-language" in record.explanation[0].reason
    # Without the header, the first example answers whatever the language.
    assert (await call(client, "GET", "/greet", headers={"Accept-Language": "fr"}))[1] == b"en"


async def test_header_matching_from_the_server_option(serve: Serve) -> None:
    v1 = named("v1", "x/a", request_headers=[{"key": "X-Api-Version", "value": "1"}])
    v2 = named("v2", "x/a", request_headers=[{"key": "X-Api-Version", "value": " 2 "}])
    settings = Settings(match=MatchOptions(match_headers=("x-api-version",)))
    client = await serve(collection(item("r", v1, v2)), settings=settings)
    assert (await call(client, "GET", "/a", headers={"X-API-Version": "2"}))[1] == b"v2"
    assert (await call(client, "GET", "/a"))[0] == 404


# Bodies


def raw_body(text: str, language: str = "json") -> dict[str, Any]:
    return {"mode": "raw", "raw": text, "options": {"raw": {"language": language}}}


async def test_json_bodies_match_as_parsed_values(serve: Serve) -> None:
    ada = named("ada", "x/u", method="POST", request_body=raw_body('{"name": "ada", "n": 1}'))
    bob = named("bob", "x/u", method="POST", request_body=raw_body('{"name": "bob"}'))
    client = await serve(collection(item("r", ada, bob)))
    on = {"x-mock-match-request-body": "true"}
    assert (await call(client, "POST", "/u", json={"n": 1, "name": "ada"}, headers=on))[1] == b"ada"
    assert (await call(client, "POST", "/u", json={"name": "bob"}, headers=on))[1] == b"bob"
    status, _, record = await call(client, "POST", "/u", json={"name": "eve"}, headers=on)
    assert status == 404
    assert record.explanation[0].reason == "request body differs"
    # JSON true is not 1
    status, _, _ = await call(client, "POST", "/u", json={"name": "ada", "n": True}, headers=on)
    assert status == 404


async def test_raw_text_bodies_match_after_trimming(serve: Serve) -> None:
    ex = named("soap", "x/calc", method="POST", request_body=raw_body("<Add>1</Add>\n", "xml"))
    client = await serve(collection(item("r", ex)))
    on = {"x-mock-match-request-body": "true", "Content-Type": "text/xml"}
    assert (await call(client, "POST", "/calc", data="  <Add>1</Add>", headers=on))[0] == 200
    assert (await call(client, "POST", "/calc", data="<Add>2</Add>", headers=on))[0] == 404


async def test_urlencoded_bodies_match_as_multisets(serve: Serve) -> None:
    body = {
        "mode": "urlencoded",
        "urlencoded": [
            {"key": "a", "value": "1"},
            {"key": "b", "value": "2"},
            {"key": "c", "value": "3", "disabled": True},
        ],
    }
    client = await serve(
        collection(item("r", named("form", "x/f", method="POST", request_body=body)))
    )
    on = {"x-mock-match-request-body": "true"}
    assert (await call(client, "POST", "/f", data={"b": "2", "a": "1"}, headers=on))[0] == 200
    assert (await call(client, "POST", "/f", data={"a": "1"}, headers=on))[0] == 404


async def test_formdata_bodies_match_text_fields_and_file_keys(serve: Serve) -> None:
    body = {
        "mode": "formdata",
        "formdata": [
            {"key": "title", "value": "cv", "type": "text"},
            {"key": "file", "type": "file", "src": "/cv.pdf"},
        ],
    }
    client = await serve(
        collection(item("r", named("upload", "x/up", method="POST", request_body=body)))
    )
    on = {"x-mock-match-request-body": "true"}
    form = FormData()
    form.add_field("title", "cv")
    form.add_field("file", b"%PDF-1.4", filename="other-name.pdf")
    assert (await call(client, "POST", "/up", data=form, headers=on))[0] == 200
    wrong = FormData()
    wrong.add_field("title", "letter")
    wrong.add_field("file", b"x", filename="a.pdf")
    assert (await call(client, "POST", "/up", data=wrong, headers=on))[0] == 404


async def test_graphql_bodies_match_query_up_to_whitespace_and_variables(serve: Serve) -> None:
    body = {
        "mode": "graphql",
        "graphql": {
            "query": "query Hero($id: ID!) {\n  hero(id: $id) { name }\n}",
            "variables": '{"id": "1"}',
        },
    }
    client = await serve(
        collection(item("r", named("hero", "x/graphql", method="POST", request_body=body)))
    )
    on = {"x-mock-match-request-body": "true"}
    same = {"query": "query Hero($id:ID!){hero(id:$id){name}}", "variables": {"id": "1"}}
    assert (await call(client, "POST", "/graphql", json=same, headers=on))[0] == 200
    other = {**same, "variables": {"id": "2"}}
    assert (await call(client, "POST", "/graphql", json=other, headers=on))[0] == 404


async def test_body_matching_from_the_server_option_and_call_header_wins(serve: Serve) -> None:
    ex = named("ada", "x/u", method="POST", request_body=raw_body('{"name": "ada"}'))
    client = await serve(
        collection(item("r", ex)), settings=Settings(match=MatchOptions(match_body=True))
    )
    assert (await call(client, "POST", "/u", json={"name": "eve"}))[0] == 404
    off = {"x-mock-match-request-body": "false"}
    assert (await call(client, "POST", "/u", json={"name": "eve"}, headers=off))[0] == 200


async def test_equal_body_earns_5_when_body_matching_is_off(serve: Serve) -> None:
    ada = named("ada", "x/u", method="POST", request_body=raw_body('{"name": "ada"}'))
    bob = named("bob", "x/u", method="POST", request_body=raw_body('{"name": "bob"}'))
    client = await serve(collection(item("r", ada, bob)))
    _, body, record = await call(client, "POST", "/u", json={"name": "bob"})
    assert (body, record.score) == (b"bob", 115)
    _, body, record = await call(client, "POST", "/u", json={"name": "eve"})
    assert (body, record.score) == (b"ada", 110)  # never dropped for a different body


# What the log says when nothing matched


async def test_unmatched_call_logs_the_closest_examples_and_why(serve: Serve) -> None:
    client = await serve(
        collection(item("r", named("list", "x/users"), named("create", "x/users", method="POST")))
    )
    status, _, record = await call(client, "PUT", "/users")
    assert status == 404
    assert not record.matched
    assert record.explanation[0].reason == "method is GET, not PUT"
    assert {c.method for c in record.explanation} == {"GET", "POST"}
