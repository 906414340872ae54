"""The URL path ladder of Postman's algorithm, each step with its score, and ID detection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockpost.matching.distance import levenshtein
from mockpost.matching.paths import CallPath, compile_path, is_id, score_path


@pytest.mark.parametrize(
    ("example", "call", "score"),
    [
        pytest.param("/users/list", "/users/list", 100, id="exact-100"),
        pytest.param("/users/list", "/users/list/", 95, id="trailing-slash-95"),
        pytest.param("/users/list/", "/users/list", 95, id="trailing-slash-on-example-95"),
        pytest.param("/Users/List", "/users/list", 90, id="case-insensitive-90"),
        pytest.param("/Users/List", "/users/list/", 85, id="case-and-trailing-slash-85"),
        pytest.param("/users/{{id}}", "/users/carol", 80, id="wildcard-80"),
        pytest.param("/users/7/orders", "/users/123/orders", 79, id="id-placeholder-79"),
        pytest.param(
            "/docs/3f1c5a52-8d0e-4b8e-9d8a-5d8f0c2b7a10",
            "/docs/00000000-0000-0000-0000-00000000000A",
            79,
            id="uuid-id-79",
        ),
        pytest.param("/blobs/0123456789abcdef", "/blobs/fedcba9876543210", 79, id="hex-id-79"),
        pytest.param("/users/7/orders", "/users/123/orders/", 75, id="id-and-trailing-slash-75"),
        pytest.param("/users/{{id}}", "/users/carol/", 75, id="wildcard-and-trailing-slash-75"),
        pytest.param("/customers/list", "/customer/list", 70, id="document-distance-70"),
    ],
)
def test_each_path_step_sets_its_score(example: str, call: str, score: int) -> None:
    found = score_path(compile_path(example), CallPath(call))
    assert found is not None
    assert found.score == score


@pytest.mark.parametrize(
    ("example", "call"),
    [
        pytest.param("/users/{{id}}", "/users/a/b", id="wildcard-is-one-whole-segment"),
        pytest.param("/users/{{id}}", "/users", id="wildcard-needs-a-segment"),
        pytest.param("/users", "/orders", id="different-path"),
        pytest.param("/a/b", "/a/b/c", id="different-segment-count"),
        pytest.param("/users/alice", "/users/bob12", id="words-are-not-ids"),
    ],
)
def test_paths_that_no_step_matches_drop_the_example(example: str, call: str) -> None:
    assert score_path(compile_path(example), CallPath(call)) is None


def test_document_distance_step_can_be_switched_off() -> None:
    assert (
        score_path(compile_path("/customers/list"), CallPath("/customer/list"), fuzzy=False) is None
    )


def test_wildcard_captures_its_segment() -> None:
    found = score_path(
        compile_path("/users/{{userId}}/orders/{{orderId}}"), CallPath("/users/7/orders/x9")
    )
    assert found is not None
    assert found.captures == {"userId": "7", "orderId": "x9"}


def test_wildcard_inside_a_segment_stands_for_any_text() -> None:
    found = score_path(compile_path("/files/{{name}}.json"), CallPath("/files/report.json"))
    assert found is not None
    assert (found.score, found.captures) == (80, {"name": "report"})
    assert (
        score_path(compile_path("/files/{{name}}.json"), CallPath("/files/report.xml"), fuzzy=False)
        is None
    )


def test_wildcards_also_stand_in_the_id_step() -> None:
    found = score_path(compile_path("/users/{{id}}/orders/1"), CallPath("/users/7/orders/2"))
    assert found is not None
    assert (found.score, found.captures) == (79, {"id": "7"})


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        ("123", True),
        ("3F1C5A52-8D0E-4B8E-9D8A-5D8F0C2B7A10", True),
        ("deadbeefdeadbeef1", True),
        ("deadbeefdeadbeef", False),  # hex without a digit is a word
        ("abc123", False),
        ("users", False),
    ],
)
def test_what_counts_as_an_alphanumeric_id(segment: str, expected: bool) -> None:
    assert is_id(segment) is expected


def _textbook_levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@settings(max_examples=300, deadline=None)
@given(
    a=st.text(alphabet="/abcXY0129-_", max_size=30), b=st.text(alphabet="/abcXY0129-_", max_size=30)
)
def test_distance_step_uses_plain_edit_distance(a: str, b: str) -> None:
    assert levenshtein(a, b) == _textbook_levenshtein(a, b)
