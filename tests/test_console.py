"""What the terminal shows: start-up banner and one line per call, request data never markup."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from mockpost.calls.record import CallRecord, Closest, How
from mockpost.faults.latency import fixed
from mockpost.postman.reader import load_collection
from mockpost.terminal.banner import Banner
from mockpost.terminal.console import make_console
from mockpost.terminal.lines import plain_call, render_call
from mockpost.terminal.printer import CallPrinter
from tests.conftest import call_record, collection, example, item


def printed(record: CallRecord) -> str:
    out = io.StringIO()
    printer = CallPrinter(make_console(out))
    printer(record)
    printer.flush()
    return out.getvalue()


def test_matched_call_line_shows_method_path_status_example_score_and_time() -> None:
    record = call_record(
        received=0,
        method="GET",
        path="/users/7",
        query="a=1",
        status=200,
        duration_ms=1.25,
        example_name="User 7",
        request_name="Get user",
        score=110,
        how=How.SCORE,
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
    record = call_record(
        received=0,
        method="PUT",
        path="/users",
        query="",
        status=404,
        duration_ms=0.5,
        how=How.SCORE,
        explanation=(Closest("GET", "/users", "list", "method is GET, not PUT"),),
        notes=("ignored x-mock-response-code: 'abc' (not a status code)",),
    )
    text = printed(record)
    assert "No matching requests" in text
    assert "closest: GET /users 'list' - method is GET, not PUT" in text
    assert "note: ignored x-mock-response-code" in text
    assert render_call(record).spans[-1].style == "red"


def test_request_data_is_printed_as_it_is_never_as_markup() -> None:
    record = call_record(
        received=0,
        method="GET",
        path="/[bold]x[/bold]",
        query="q=[red]",
        status=404,
        duration_ms=0,
        how=How.SCORE,
    )
    assert "/[bold]x[/bold]?q=[red]" in printed(record)


def test_long_lines_are_not_wrapped() -> None:
    record = call_record(
        received=0,
        method="GET",
        path="/" + "a" * 300,
        query="",
        status=404,
        duration_ms=0,
        how=How.SCORE,
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
    assert "1 request, 1 with examples; 1 example\n" in text
    assert "dropped $.item[0].response[1] 'bad': status code 'abc' is not a number" in text
    assert "http://127.0.0.1:9999" in text


def _calls(count: int, status: int = 200, **extra: Any) -> list[CallRecord]:
    fields: dict[str, Any] = {"example_name": "ok", "score": 110, "how": How.SCORE}
    fields.update(extra)
    return [
        call_record(
            received=1700000000.5 + i,
            method="GET",
            path=f"/items/{i}",
            query="",
            status=status,
            duration_ms=0.5,
            path_step="exact",
            **fields,
        )
        for i in range(count)
    ]


def test_log_lines_in_a_file_are_the_terminal_lines_without_colours() -> None:
    records = [
        *_calls(2, request_name="List items"),
        *_calls(1, request_name=None),
        *_calls(1, 404, example_name=None, score=None),
        *_calls(1, notes=("ignored x-mock-response-code: 'x' (not a status code 100..599)",)),
        *_calls(
            1,
            404,
            example_name=None,
            score=None,
            notes=("ignored x-mock-response-delay: 'soon' (not a number of ms 1..180000)",),
            explanation=(Closest("GET", "/items", "list", "method is GET, not PUT"),),
        ),
        *_calls(1, how=How.RESPONSE_NAME, score=None),
        *_calls(1, 401, how=How.UNAUTHORIZED, example_name=None, score=None),
    ]
    for record in records:
        terminal = io.StringIO()
        make_console(terminal).print(render_call(record))
        assert plain_call(record) + "\n" == terminal.getvalue()


def test_a_file_gets_every_call_once_per_flush_and_nothing_before() -> None:
    out = io.StringIO()
    printer = CallPrinter(make_console(out))
    for record in _calls(500):
        printer(record)
    assert out.getvalue() == ""  # recording a call never waits for printing
    printer.flush()
    assert out.getvalue().count("\n") == 500
    printer.flush()
    assert out.getvalue().count("\n") == 500


def test_a_busy_terminal_prints_200_calls_in_full_then_a_summary_by_status_and_example() -> None:
    out = io.StringIO()
    printer = CallPrinter(Console(file=out, force_terminal=True, width=300, soft_wrap=True))
    for record in _calls(200):
        printer(record)
    printer.flush()
    assert len(out.getvalue().splitlines()) == 200
    out.seek(0)
    out.truncate()
    busy = [
        *_calls(290),
        *_calls(5, example_name="other"),
        *_calls(30, 404, example_name=None, score=None),
        *_calls(2, 500),
    ]
    for record in busy:
        printer(record)
    printer.flush()
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue()).splitlines()  # colours off
    assert "327 calls in" in lines[0]
    assert "295 x 200, 30 x 404, 2 x 500" in lines[0]
    assert "by example: 'ok' x 292, no match x 30, 'other' x 5" in lines[0]
    shown = lines[1:-1]
    assert len(shown) == 20  # unmatched and 5xx calls, in full
    assert all("No matching requests" in line or "  500  " in line for line in shown)
    assert lines[-1] == "... and 12 more unmatched or 5xx"


def test_calls_over_the_limit_are_counted_not_kept() -> None:
    out = io.StringIO()
    printer = CallPrinter(make_console(out), limit=10)
    for record in _calls(25):
        printer(record)
    printer.flush()
    lines = out.getvalue().splitlines()
    assert len(lines) == 11
    assert "15 calls in" in lines[-1]
    assert "not logged one by one" in lines[-1]


def test_a_long_flush_to_a_file_pauses_between_steps_and_a_stopped_one_loses_no_line() -> None:
    out = io.StringIO()
    printer = CallPrinter(make_console(out))
    for record in _calls(600):
        printer(record)
    steps = printer.flush_steps(step=256)
    next(steps)
    assert out.getvalue().count("\n") == 256  # the server answers calls here
    steps.close()  # stopped in a pause, as when the server stops
    for record in _calls(1, request_name="the last"):
        printer(record)
    printer.flush()
    lines = out.getvalue().splitlines()
    assert len(lines) == 601
    assert [line.split()[2] for line in lines[:600]] == [f"/items/{i}" for i in range(600)]
    assert "of 'the last'" in lines[600]


def test_the_method_column_fits_options_and_delete() -> None:
    for method in ("OPTIONS", "DELETE", "GET"):
        line = printed(call_record(method=method, path="/v1/users", status=404))
        assert f" {method} " in line
        assert "/v1/users" in line.split(method, 1)[1]


def test_the_banner_states_every_mode_in_force() -> None:
    from mockpost.matching.options import MatchOptions
    from mockpost.runtime.settings import ServerResponse, Settings

    out = io.StringIO()
    Banner(make_console(out)).settings(
        Settings(
            delay=fixed(300),
            server_response=ServerResponse(503),
            match=MatchOptions(match_body=True, match_headers=("x-api-version",), fuzzy=False),
            api_key="s3cret",
            keep_cors_headers=True,
            seed=7,
            locale="de_DE",
        )
    )
    text = out.getvalue()
    for words in (
        "private",
        "every answer waits 300 ms",
        "every call gets 503",
        "request bodies must match",
        "request headers must match: x-api-version",
        "no document-distance path step",
        "CORS headers are served",
        "seed 7",
        "locale de_DE",
    ):
        assert words in text
    assert "s3cret" not in text
    quiet = io.StringIO()
    Banner(make_console(quiet)).settings(Settings())
    assert quiet.getvalue() == ""
