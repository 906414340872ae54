"""What the terminal shows: start-up banner and one line per call, request data never markup."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from mockpost.calllog import CallRecord, Closest
from mockpost.collection import load_collection
from mockpost.console import Banner, CallPrinter, make_console, render_call
from tests.conftest import collection, example, item


def printed(record: CallRecord) -> str:
    out = io.StringIO()
    printer = CallPrinter(make_console(out))
    printer(record)
    printer.flush()
    return out.getvalue()


def test_matched_call_line_shows_method_path_status_example_score_and_time() -> None:
    record = CallRecord(
        received=0,
        method="GET",
        path="/users/7",
        query="a=1",
        status=200,
        duration_ms=1.25,
        example_name="User 7",
        request_name="Get user",
        score=110,
        how="score",
        path_step="exact",
    )
    line = printed(record)
    assert "GET" in line
    assert "/users/7?a=1" in line
    assert "200" in line
    assert "'User 7' of 'Get user'" in line
    assert "score 110 (exact)" in line
    assert "1.2 ms" in line or "1.3 ms" in line
    assert line.count("\n") == 1


def test_unmatched_call_shows_no_matching_requests_and_the_closest_examples() -> None:
    record = CallRecord(
        received=0,
        method="PUT",
        path="/users",
        query="",
        status=404,
        duration_ms=0.5,
        how="score",
        closest=(Closest("GET", "/users", "list", "method is GET, not PUT"),),
        notes=("ignored x-mock-response-code: 'abc' (not a status code)",),
    )
    text = printed(record)
    assert "No matching requests" in text
    assert "closest: GET /users 'list' - method is GET, not PUT" in text
    assert "note: ignored x-mock-response-code" in text
    assert render_call(record).spans[-1].style == "red"


def test_request_data_is_printed_as_it_is_never_as_markup() -> None:
    record = CallRecord(
        received=0,
        method="GET",
        path="/[bold]x[/bold]",
        query="q=[red]",
        status=404,
        duration_ms=0,
        how="score",
    )
    assert "/[bold]x[/bold]?q=[red]" in printed(record)


def test_long_lines_are_not_wrapped() -> None:
    record = CallRecord(
        received=0,
        method="GET",
        path="/" + "a" * 300,
        query="",
        status=404,
        duration_ms=0,
        how="score",
    )
    assert printed(record).count("\n") == 1


def test_banner_names_the_collection_counts_and_dropped_examples(
    write_json: Callable[..., Path],
) -> None:
    bad = example("bad", "x/b")
    bad["code"] = "abc"
    loaded = load_collection(write_json(collection(item("r", example("ok", "x/a"), bad))))
    out = io.StringIO()
    banner = Banner(make_console(out))
    banner.loaded(loaded, None, "0.1.0")
    banner.listening("http://127.0.0.1:9999")
    text = out.getvalue()
    assert "Test collection" in text
    assert "1 requests, 1 with examples; 1 examples" in text
    assert "dropped $.item[0].response[1] 'bad': status code 'abc' is not a number" in text
    assert "http://127.0.0.1:9999" in text
