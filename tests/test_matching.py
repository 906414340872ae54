"""Postman's matching algorithm: through the core (`match(index, call)`) where HTTP is not the
point, and through the real aiohttp app where it is (bodies as clients encode them, what the
call log records).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient

from mockpost.calls.call import Call
from mockpost.calls.record import CallRecord, How
from mockpost.matching.index import build_index
from mockpost.matching.match import Decision, match
from mockpost.matching.options import MatchOptions
from mockpost.postman.reader import parse_collection
from mockpost.runtime.settings import Settings
from tests.conftest import Serve, collection, example, item, runtime_of


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


# Method and path (through the core: `match(index, call)`)


def decide(
    data: dict[str, Any],
    target: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    options: MatchOptions | None = None,
) -> Decision:
    """Match one call against a collection, as a client would send it (`/path?query`)."""
    path, _, query_string = target.partition("?")
    call = Call(
        method,
        path,
        tuple(parse_qsl(query_string, keep_blank_values=True)),
        {k.lower(): v for k, v in (headers or {}).items()},
        query_string=query_string,
    )
    return match(build_index(parse_collection(data)), call, options)


def answered(decision: Decision) -> str | None:
    return decision.example.name if decision.example is not None else None


def test_method_must_match() -> None:
    data = collection(item("r", named("get", "x/a"), named("post", "x/a", method="POST")))
    assert answered(decide(data, "/a", "POST")) == "post"
    assert answered(decide(data, "/a", "GET")) == "get"
    assert decide(data, "/a", "DELETE").how is How.NOT_FOUND


def test_exact_path_beats_wildcard() -> None:
    data = collection(item("r", named("any", "x/users/{{id}}"), named("seven", "x/users/7")))
    found = decide(data, "/users/7")
    assert answered(found) == "seven"
    assert found.score == 110  # 100 for the path, +10 as neither side has query params
    assert answered(decide(data, "/users/8")) == "any"


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
def test_query_params_score_by_percentage(
    example_query: str, call_query: str, score: float
) -> None:
    found = decide(collection(item("r", named("e", "x/s" + example_query))), "/s" + call_query)
    assert answered(found) == "e"
    assert found.score == pytest.approx(score)


async def test_query_scores_reach_the_call_log_through_http(serve: Serve) -> None:
    client = await serve(collection(item("r", named("e", "x/s?a=1&b=2"))))
    _, _, record = await call(client, "GET", "/s?a=1&b=3")
    assert record.score == 105


def test_best_query_match_wins() -> None:
    data = collection(
        item(
            "r",
            named("plain", "x/users"),
            named("admins", "x/users?role=admin"),
            named("page2", "x/users?page=2"),
        )
    )
    assert answered(decide(data, "/users?role=admin")) == "admins"
    assert answered(decide(data, "/users?page=2")) == "page2"
    assert answered(decide(data, "/users")) == "plain"


# Ties


def test_tie_goes_to_the_example_with_code_200() -> None:
    data = collection(item("r", named("error", "x/a", code=500), named("ok", "x/a", code=200)))
    assert answered(decide(data, "/a")) == "ok"


def test_tie_without_200_goes_to_the_first_in_collection_order() -> None:
    data = collection(
        item("r", named("first", "x/a", code=201)), item("s", named("second", "x/a", code=202))
    )
    assert answered(decide(data, "/a")) == "first"


# x-mock-response-code, -id, -name


def test_response_code_header_keeps_examples_with_that_code() -> None:
    data = collection(item("r", named("ok", "x/a"), named("gone", "x/a", code=410)))
    assert answered(decide(data, "/a", headers={"x-mock-response-code": "410"})) == "gone"
    assert decide(data, "/a", headers={"x-mock-response-code": "503"}).how is How.NOT_FOUND


def test_response_id_header_returns_that_example_whatever_the_path() -> None:
    data = collection(item("r", named("a", "x/a", id="id-a"), named("b", "x/b", id="id-b")))
    found = decide(data, "/nowhere", headers={"x-mock-response-id": "id-b"})
    assert (answered(found), found.how) == ("b", How.RESPONSE_ID)
    assert answered(decide(data, "/x", headers={"x-mock-response-id": "1234567-id-a"})) == "a"
    missing = decide(data, "/a", headers={"x-mock-response-id": "nope"})
    assert missing.how is How.NOT_FOUND
    assert "no GET example has id 'nope'" in missing.notes


def test_response_name_header_prefers_code_200_among_same_names() -> None:
    data = collection(
        item("r", named("x", "x/a", code=500)),
        item("s", example("Same", "x/b", code=500, body="500")),
        item("t", example("Same", "x/c", code=200, body="200")),
    )
    found = decide(data, "/zzz", headers={"x-mock-response-name": "Same"})
    assert found.example is not None
    assert found.example.code == 200
    assert "2 GET examples are named 'Same'" in found.notes[0]
    assert decide(data, "/a", headers={"x-mock-response-name": "nope"}).how is How.NOT_FOUND


def test_a_name_shared_by_several_requests_answers_with_the_one_whose_path_matches() -> None:
    # Real collections name an example "OK" on every request.
    data = collection(
        item("List users", example("OK", "x/users", body="users")),
        item("Get item", example("OK", "x/item/get", code=201, body="item")),
        item("Get user", example("OK", "x/users/{{id}}", body="user {{id}}")),
        item("Get user 7", example("OK", "x/users/7", body="user 7")),
    )
    name = {"x-mock-response-name": "OK"}
    found = decide(data, "/item/get", headers=name)
    assert found.example is not None
    assert found.example.example.request_name == "Get item"
    assert found.notes == (
        "4 GET examples are named 'OK'; the one of 'Get item' answered: "
        "its path matches best (exact)",
    )
    best = decide(data, "/users/7", headers=name)
    assert best.example is not None
    assert best.example.example.request_name == "Get user 7"  # exact beats the wildcard
    wildcard = decide(data, "/users/9", headers=name)
    assert wildcard.example is not None
    assert (wildcard.example.example.request_name, dict(wildcard.captures)) == (
        "Get user",
        {"id": "9"},
    )
    nowhere = decide(data, "/nowhere", headers=name)
    assert nowhere.example is not None
    assert nowhere.example.example.request_name == "List users"  # first with code 200
    assert "no path of theirs matches" in nowhere.notes[0]


async def test_a_shared_name_answers_with_its_own_body_over_http(serve: Serve) -> None:
    data = collection(
        item("List users", example("OK", "x/users", body="users")),
        item("Get user", example("OK", "x/users/{{id}}", body="user {{id}}")),
    )
    client = await serve(data)
    _, body, record = await call(client, "GET", "/users/9", headers={"x-mock-response-name": "OK"})
    assert body == b"user 9"
    assert record.how is How.RESPONSE_NAME
    assert "2 GET examples are named 'OK'" in record.notes[0]


def test_response_code_filters_before_name() -> None:
    data = collection(
        item(
            "r",
            example("Same", "x/b", code=500, body="500"),
            example("Same", "x/c", code=200, body="200"),
        )
    )
    headers = {"x-mock-response-name": "Same", "x-mock-response-code": "500"}
    found = decide(data, "/b", headers=headers)
    assert found.example is not None
    assert found.example.code == 500


# Headers


def test_header_matching_per_call() -> None:
    en = named("en", "x/greet", request_headers=[{"key": "Accept-Language", "value": "en"}])
    fr = named("fr", "x/greet", request_headers=[{"key": "Accept-Language", "value": "fr"}])
    data = collection(item("r", en, fr))
    match_header = {"x-mock-match-request-headers": "accept-language"}
    assert answered(decide(data, "/greet", headers={**match_header, "Accept-Language": "fr"})) == (
        "fr"
    )
    missing = decide(data, "/greet", headers={**match_header, "Accept-Language": "de"})
    assert missing.how is How.NOT_FOUND
    assert "header accept-language" in missing.misses[0].reason
    # Without the header, the first example answers whatever the language.
    assert answered(decide(data, "/greet", headers={"Accept-Language": "fr"})) == "en"


def test_header_matching_from_the_server_option() -> None:
    v1 = named("v1", "x/a", request_headers=[{"key": "X-Api-Version", "value": "1"}])
    v2 = named("v2", "x/a", request_headers=[{"key": "X-Api-Version", "value": " 2 "}])
    options = MatchOptions(match_headers=("x-api-version",))
    data = collection(item("r", v1, v2))
    assert answered(decide(data, "/a", headers={"X-API-Version": "2"}, options=options)) == "v2"
    assert decide(data, "/a", options=options).how is How.NOT_FOUND


async def test_header_matching_from_the_server_setting_over_http(serve: Serve) -> None:
    v2 = named("v2", "x/a", request_headers=[{"key": "X-Api-Version", "value": "2"}])
    settings = Settings(match=MatchOptions(match_headers=("x-api-version",)))
    client = await serve(collection(item("r", v2)), settings=settings)
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


# Among examples of one step, the closest path wins


def test_by_distance_the_closest_path_wins_not_the_first_listed() -> None:
    data = collection(
        item("Get user", named("user", "x/v1/users/{{id}}")),
        item("Get order", named("order", "x/v1/orders/ord_1001")),
    )
    found = decide(data, "/v1/orders/ord_1002")
    assert (answered(found), found.path_step) == ("order", "document distance")


def test_by_distance_a_differing_fixed_segment_weighs_more_than_a_differing_id() -> None:
    # /v1/users/8 is one edit from both; the edit in an id weighs less than one in "users"
    data = collection(
        item("Other", named("usera", "x/v1/usera/7")),
        item("User", named("user 17", "x/v1/users/17")),
    )
    assert answered(decide(data, "/v1/users/178")) == "user 17"


def test_by_distance_collection_order_breaks_only_an_exact_tie() -> None:
    data = collection(
        item("A", named("first", "x/v1/items/abcd")),
        item("B", named("second", "x/v1/items/abce")),
    )
    assert answered(decide(data, "/v1/items/abcf")) == "first"


def test_among_wildcard_matches_the_more_specific_path_wins() -> None:
    data = collection(
        item("Revision", named("revision", "x/gists/{{id}}/{{sha}}")),
        item("Star", named("star", "x/gists/{{id}}/star", code=204)),
    )
    assert answered(decide(data, "/gists/1/star")) == "star"
    assert answered(decide(data, "/gists/1/abc123")) == "revision"


def test_at_the_id_step_the_path_with_more_equal_segments_wins() -> None:
    data = collection(
        item("Any", named("any", "x/users/{{id}}/orders/1")),
        item("Seven", named("seven", "x/users/7/orders/1")),
    )
    assert answered(decide(data, "/users/7/orders/2")) == "seven"


def test_a_tie_between_steps_still_goes_to_code_200_as_postman_decides() -> None:
    data = collection(
        item("Gone", named("gone", "x/things/{{id}}", code=410)),
        item("Ok", named("ok", "x/things/7")),
    )
    # wildcard 80 + 10 against ID 79 + 10: not a tie, the wildcard wins on score
    assert answered(decide(data, "/things/8")) == "gone"


def test_the_bundled_bookshop_answers_an_unknown_order_with_an_order(
    make_index: Any,
) -> None:
    from mockpost.calls.call import Call
    from mockpost.matching.index import build_index
    from mockpost.matching.match import match
    from mockpost.postman.reader import load_collection, load_environment
    from tests.conftest import EXAMPLE, EXAMPLE_ENV

    index = build_index(load_collection(EXAMPLE), load_environment(EXAMPLE_ENV))
    found = match(index, Call(method="GET", path="/v1/orders/ord_1002"))
    assert found.example is not None
    assert found.example.example.request_name == "Get order"
