"""The indexed matcher gives exactly the answers of a plain scan of every example."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockpost.calls.call import Call
from mockpost.matching.directives import read_directives
from mockpost.matching.evaluate import PreparedCall
from mockpost.matching.explain import explain
from mockpost.matching.index import build_index
from mockpost.matching.match import match
from mockpost.matching.options import MatchOptions
from mockpost.matching.paths import CallPath
from mockpost.matching.report import answering_own_call, find_shadowed, replay_call
from mockpost.postman.reader import parse_collection
from tests.conftest import collection, example, item
from tests.reference import explain_by_scan, match_by_scan

# Segments chosen to meet at every path step: words in two cases, IDs of each kind, wildcards
# (whole and inside a segment), near-misses for the distance step.
SEGMENTS = [
    "users",
    "Users",
    "user",
    "orders",
    "7",
    "123",
    "0123456789abcdef0",
    "3f1c5a52-8d0e-4b8e-9d8a-5d8f0c2b7a10",
    "{{id}}",
    "{{name}}.json",
    "report.json",
]
QUERIES = ["", "?a=1", "?a=2", "?a=1&b=2", "?b=2"]
CALL_SEGMENTS = [s for s in SEGMENTS if "{{" not in s] + ["42", "ORDERS", "x"]


def _path(segments: list[str], slash: bool) -> str:
    return "/" + "/".join(segments) + ("/" if slash and segments else "")


example_paths = st.builds(_path, st.lists(st.sampled_from(SEGMENTS), max_size=4), st.booleans())
random_call_paths = st.builds(
    _path, st.lists(st.sampled_from(CALL_SEGMENTS), max_size=4), st.booleans()
)


@st.composite
def collections(draw: Any) -> tuple[dict[str, Any], list[str]]:
    examples = []
    paths = []
    for i in range(draw(st.integers(min_value=1, max_value=12))):
        path = draw(example_paths)
        paths.append(path)
        body = draw(st.sampled_from([None, '{"n": 1}', '{"n": 2}']))
        examples.append(
            example(
                f"e{i}",
                "{{baseUrl}}" + path + draw(st.sampled_from(QUERIES)),
                method=draw(st.sampled_from(["GET", "POST"])),
                code=draw(st.sampled_from([200, 201, 404, 500])),
                body=f"e{i}",
                request_body={"mode": "raw", "raw": body} if body else None,
            )
        )
    return collection(*(item(f"r{i}", e) for i, e in enumerate(examples))), paths


def _mutate(draw: Any, path: str) -> str:
    """A call a user could send for an example's path: close to it in one way or several."""
    slash = path.endswith("/") and path != "/"
    segments = [s for s in path.split("/") if s]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        kind = draw(st.sampled_from(["other id", "typo", "slash", "case", "segment"]))
        where = draw(st.integers(min_value=0, max_value=max(len(segments) - 1, 0)))
        if kind == "slash":
            slash = not slash
        elif not segments:
            continue
        elif kind == "other id":
            segments[where] = draw(st.sampled_from(["42", "7", "ffffffffffffffff1"]))
        elif kind == "typo":
            text = segments[where]
            if not text:
                continue
            at = draw(st.integers(min_value=0, max_value=len(text) - 1))
            segments[where] = text[:at] + draw(st.sampled_from(["q", "", "xy"])) + text[at + 1 :]
        elif kind == "case":
            segments[where] = segments[where].swapcase()
        else:
            segments[where] = draw(st.sampled_from(CALL_SEGMENTS))
    filled = [
        s.replace("{{id}}", draw(st.sampled_from(["9", "abc"]))).replace("{{name}}", "r")
        for s in segments
    ]
    return _path([s for s in filled if s], slash)


@st.composite
def calls(draw: Any, paths: list[str]) -> Call:
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        path = draw(random_call_paths)
    else:
        path = _mutate(draw, draw(st.sampled_from(paths)))
    query = draw(st.sampled_from([(), (("a", "1"),), (("a", "2"), ("b", "2")), (("c", "3"),)]))
    headers = draw(st.sampled_from([{}, {}, {"x-mock-response-code": "404"}]))
    return Call(
        method=draw(st.sampled_from(["GET", "POST", "get"])),
        path=path,
        query=query,
        headers=headers,
        body=draw(st.sampled_from([b"", b'{"n": 1}', b'{"n":2}'])),
    )


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(made=collections(), data=st.data(), fuzzy=st.booleans(), match_body=st.booleans())
def test_indexed_matching_answers_exactly_as_a_plain_scan(
    made: tuple[dict[str, Any], list[str]], data: st.DataObject, fuzzy: bool, match_body: bool
) -> None:
    document, paths = made
    index = build_index(parse_collection(document))
    options = MatchOptions(match_body=match_body, fuzzy=fuzzy)
    for _ in range(5):
        call = data.draw(calls(paths))
        indexed, scanned = match(index, call, options), match_by_scan(index, call, options)
        assert indexed.example is scanned.example, call
        assert (indexed.score, indexed.path_step, indexed.captures) == (
            scanned.score,
            scanned.path_step,
            scanned.captures,
        ), call
        assert [(m.example, m.reason) for m in indexed.misses] == [
            (m.example, m.reason) for m in scanned.misses
        ], call


def test_a_wildcard_call_finds_its_example_among_thousands_by_lookup() -> None:
    data = collection(
        *(item(f"r{i}", example(f"e{i}", f"x/resource{i}/items/{{{{id}}}}")) for i in range(500))
    )
    entry = build_index(parse_collection(data)).method("GET")
    assert [e.name for e in entry.near(CallPath("/resource321/items/9"))] == ["e321"]
    assert [e.name for e in entry.near(CallPath("/RESOURCE321/items/9"))] == []


@pytest.mark.parametrize(
    ("call_path", "answered"),
    [
        ("/abcdef/hj", True),  # 1 edit in 10 characters: 0.9
        ("/abcdef/h", True),  # 1 edit: 0.9
        ("/abcdxy/hi", True),  # 2 edits in 10: exactly 0.8, the least that is close
        ("/abcxyz/hi", False),  # 3 edits in 10: 0.7
        ("/abcdefhi", False),  # 1 edit, but as many segments is a must
    ],
)
def test_a_path_close_by_document_distance_is_found_among_thousands_as_by_a_scan(
    call_path: str, answered: bool
) -> None:
    data = collection(
        *(item(f"r{i}", example(f"e{i}", f"x/resource{i}/items")) for i in range(2000)),
        item("close", example("close", "x/abcdef/hi")),
        *(item(f"w{i}", example(f"w{i}", f"x/other{i}/{{{{id}}}}")) for i in range(100)),
    )
    index = build_index(parse_collection(data))
    call = Call("GET", call_path)
    found = match(index, call)
    assert found.example is match_by_scan(index, call).example
    if answered:
        assert found.example is not None
        assert (found.example.name, found.path_step) == ("close", "document distance")
    else:
        assert found.example is None


@pytest.mark.parametrize(
    ("call_path", "answered"),
    [
        ("/abcdef/1234/hi", False),  # the wildcard step answers: not a distance case
        ("/abcdxf/1234/hi", True),  # 1 edit in 15 characters, the wildcard as the call's
        ("/abcxyz/1234/hi", True),  # 3 edits in 15: exactly 0.8
        ("/abwxyz/1234/hi", False),  # 4 edits in 15
        ("/qq/abcdxf/1234", True),  # two wildcards: 1 edit
        ("/qq/abcxyz/1234", True),  # two wildcards: 3 edits in 15, exactly 0.8
        ("/q/abcxyz/1234", False),  # two wildcards: 3 edits in 14
    ],
)
def test_a_path_close_to_a_wildcard_example_is_found_among_thousands_as_by_a_scan(
    call_path: str, answered: bool
) -> None:
    data = collection(
        *(item(f"r{i}", example(f"e{i}", f"x/resource{i}/{{{{id}}}}/items")) for i in range(2000)),
        *(item(f"o{i}", example(f"o{i}", f"x/{{{{a}}}}/other{i}/{{{{b}}}}")) for i in range(500)),
        item("one", example("one", "x/abcdef/{{id}}/hi")),
        item("two", example("two", "x/{{a}}/abcdef/{{b}}")),
    )
    index = build_index(parse_collection(data))
    call = Call("GET", call_path)
    found = match(index, call)
    assert found.example is match_by_scan(index, call).example
    assert found.score == match_by_scan(index, call).score
    if answered:
        assert found.example is not None
        assert found.path_step == "document distance"
        assert found.example.name == ("one" if call_path.endswith("/hi") else "two")
    else:
        assert found.example is None or found.path_step != "document distance"


def test_the_same_path_in_another_case_or_with_a_slash_is_a_lookup_too() -> None:
    data = collection(item("a", example("a", "x/Users/me")), item("b", example("b", "x/other")))
    entry = build_index(parse_collection(data)).method("get")
    assert [e.name for e in entry.near(CallPath("/users/ME/"))] == ["a"]


def test_a_document_distance_match_still_wins_a_tie_it_is_owed() -> None:
    # The indexed lookup finds the 404 at 75 + 10 = 85; the scan also finds the 200 by distance
    # at 70 + 10 + 5 (equal body) = 85. A tie goes to the 200: the distance step must run.
    data = collection(
        item(
            "b",
            example("b", "x/users/{{id}}", code=404, request_body={"mode": "raw", "raw": "2"}),
        ),
        item("a", example("a", "x/users/itemz", request_body={"mode": "raw", "raw": "1"})),
    )
    index = build_index(parse_collection(data))
    call = Call(method="GET", path="/users/items/", body=b"1")
    assert match_by_scan(index, call).example is index.examples[1]
    assert match(index, call).score == 85
    assert match(index, call).example is match_by_scan(index, call).example


def test_when_the_distance_step_runs_an_id_match_found_by_lookup_still_wins() -> None:
    # "/users/12345" meets "/users/42" at the ID step (79, -1 for the missing query: 78) but is
    # far from it by distance (0.67); "/users/4x" is close by distance (70 - 1 = 69). 78 is
    # below what the distance step could reach, so it runs: the winner is taken among both.
    data = collection(
        item("close", example("close", "x/users/4x?a=1")),
        item("id", example("id", "x/users/12345?a=1")),
    )
    index = build_index(parse_collection(data))
    call = Call(method="GET", path="/users/42")
    found = match(index, call)
    assert found.example is not None
    assert (found.example.name, found.score) == ("id", 78)
    assert found.example is match_by_scan(index, call).example


@settings(max_examples=300, deadline=None)
@given(
    made=collections(),
    data=st.data(),
    first=st.integers(min_value=1, max_value=6),
    match_body=st.booleans(),
    header_names=st.sampled_from([(), ("x-a",)]),
)
def test_the_closest_examples_of_an_unanswered_call_are_those_of_a_full_scan(
    made: tuple[dict[str, Any], list[str]],
    data: st.DataObject,
    first: int,
    match_body: bool,
    header_names: tuple[str, ...],
) -> None:
    document, paths = made
    index = build_index(parse_collection(document))
    call = data.draw(calls(paths))
    options = MatchOptions(match_body=match_body, match_headers=header_names)
    prepared = PreparedCall(call, options, read_directives(call.headers))
    pruned = explain(index, prepared, first=first)  # `first` small: prunes small collections
    scanned = explain_by_scan(index, prepared)
    assert [(m.example, m.reason, m.closeness) for m in pruned] == [
        (m.example, m.reason, m.closeness) for m in scanned
    ]


IDS = ["a", "b", "7-a", "c-d"]
NAMES = ["one", "two", "One"]


@st.composite
def named_collections(draw: Any) -> dict[str, Any]:
    """Examples whose ids and names repeat, as copied requests make them in real files."""
    examples = [
        example(
            draw(st.sampled_from(NAMES)),
            "{{baseUrl}}" + draw(st.sampled_from(["/a", "/b/{{id}}"])),
            method=draw(st.sampled_from(["GET", "POST"])),
            code=draw(st.sampled_from([200, 201, 404])),
            body=f"e{i}",
            id=draw(st.sampled_from(IDS)),
        )
        for i in range(draw(st.integers(min_value=1, max_value=10)))
    ]
    return collection(*(item(f"r{i}", e) for i, e in enumerate(examples)))


@settings(max_examples=300, deadline=None)
@given(
    document=named_collections(),
    method=st.sampled_from(["GET", "POST", "get"]),
    code=st.sampled_from([None, "200", "404", "abc"]),
    wanted=st.one_of(
        st.fixed_dictionaries(
            {"x-mock-response-id": st.sampled_from([*IDS, "9-a", "1-7-a", "x-c-d", "-b", "z"])}
        ),
        st.fixed_dictionaries({"x-mock-response-name": st.sampled_from([*NAMES, "three"])}),
    ),
)
def test_examples_by_id_and_by_name_are_looked_up_as_a_scan_finds_them(
    document: dict[str, Any], method: str, code: str | None, wanted: dict[str, str]
) -> None:
    index = build_index(parse_collection(document))
    headers = {**wanted, **({"x-mock-response-code": code} if code else {})}
    call = Call(method, "/anywhere", headers=headers)
    indexed, scanned = match(index, call), match_by_scan(index, call)
    assert indexed.example is scanned.example
    assert (indexed.how, indexed.captures) == (scanned.how, scanned.captures)


def test_an_id_in_uid_form_finds_the_first_example_whose_id_ends_it() -> None:
    data = collection(
        item("r0", example("first", "x/a", id="a")),
        item("r1", example("second", "x/a", id="7-a")),
        item("r2", example("exact", "x/a", id="1-7-a", method="POST")),
    )
    index = build_index(parse_collection(data))
    for method, name in (("GET", "first"), ("POST", "exact")):
        call = Call(method, "/a", headers={"x-mock-response-id": "1-7-a"})
        found = match(index, call).example
        assert found is not None
        assert found.name == name
        assert found is match_by_scan(index, call).example


@settings(max_examples=300, deadline=None)
@given(made=collections(), fuzzy=st.booleans(), match_body=st.booleans())
def test_the_answer_to_each_examples_own_call_is_matchs_answer(
    made: tuple[dict[str, Any], list[str]], fuzzy: bool, match_body: bool
) -> None:
    index = build_index(parse_collection(made[0]))
    options = MatchOptions(match_body=match_body, fuzzy=fuzzy)
    for indexed in index.examples:
        expected = match(index, replay_call(indexed), options).example
        assert answering_own_call(index, indexed, options) is expected


def test_validate_finds_the_shadowed_among_2000_examples_of_one_endpoint_without_a_scan_each() -> (
    None
):
    data = collection(
        item(
            "r",
            *(
                example(f"e{i}", f"x/users?page={i}", code=200 if i % 2 else 404)
                for i in range(2000)
            ),
            *(example(f"same{i}", "x/users") for i in range(2)),
        )
    )
    index = build_index(parse_collection(data))
    shadowed = find_shadowed(index)
    assert [s.example.name for s in shadowed] == ["same1"]
    assert shadowed[0].by is not None
    assert shadowed[0].by.name == "same0"
