"""Templates that read the call, through the real app: `{{$body 'a.b'}}` and friends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockpost.responses.helpers import lookup, split_path
from tests.conftest import EXAMPLE, Serve, collection, example, http_get, item, running_cli


def echo(body: str, method: str = "POST", raw: str = "x/echo/{{id}}", **kwargs: Any) -> Any:
    return collection(item("echo", example("echo", raw, method=method, body=body, **kwargs)))


async def answer(client: Any, path: str = "/echo/7", **kwargs: Any) -> str:
    response = await client.post(path, **kwargs)
    assert response.status == 200
    return str(await response.text())


async def test_body_template_inserts_the_whole_body(serve: Serve) -> None:
    client = await serve(echo("got: {{$body}}", language="text"))
    assert await answer(client, data=b"hello there") == "got: hello there"


@pytest.mark.parametrize(
    ("template", "sent", "expected"),
    [
        pytest.param("{{$body 'user.name'}}", {"user": {"name": "Ada"}}, "Ada", id="object-path"),
        pytest.param(
            "{{$body 'items.1.id'}}", {"items": [{"id": 1}, {"id": 2}]}, "2", id="array-index"
        ),
        pytest.param(
            "{{$body 'a\\.b'}}", {"a.b": "dotted", "a": {"b": "nested"}}, "dotted", id="escaped-dot"
        ),
        pytest.param("{{$body 'user'}}", {"user": {"n": 1}}, '{"n":1}', id="object-as-json"),
        pytest.param("{{$body 'ok'}}", {"ok": True}, "true", id="boolean-as-json"),
        pytest.param("{{$body 'missing' 'anonymous'}}", {}, "anonymous", id="default"),
        pytest.param("{{$body 'missing'}}", {}, "", id="missing-without-default"),
        pytest.param("{{$body 'user.name' 'x'}}", {"user": "flat"}, "x", id="path-through-text"),
    ],
)
async def test_body_template_reads_a_value_by_object_path(
    serve: Serve, template: str, sent: Any, expected: str
) -> None:
    client = await serve(echo(f"[{template}]", language="text"))
    assert await answer(client, json=sent) == f"[{expected}]"


async def test_body_template_reads_form_fields(serve: Serve) -> None:
    client = await serve(echo("{{$body 'name'}}", language="text"))
    assert await answer(client, data={"name": "Grace"}) == "Grace"


async def test_query_path_and_header_templates(serve: Serve) -> None:
    body = (
        "q={{$queryParams 'q'}} seg={{$pathSegments '1'}} h={{$headers 'X-Trace'}} "
        "none={{$queryParams 'nope' 'dflt'}} all={{$pathSegments}}"
    )
    client = await serve(echo(body, language="text"))
    text = await answer(client, "/echo/42?q=books&q=more", headers={"x-trace": "t-1"})
    assert text == 'q=books seg=42 h=t-1 none=dflt all=["echo","42"]'


async def test_templates_work_in_response_headers(serve: Serve) -> None:
    data = echo("", headers=[{"key": "X-Echo", "value": "{{$queryParams 'id'}}"}])
    client = await serve(data)
    response = await client.post("/echo/1?id=abc")
    assert response.headers["X-Echo"] == "abc"


async def test_json_body_stays_valid_json_when_the_template_is_inside_quotes(
    serve: Serve,
) -> None:
    body = (
        '{"said": "{{$body \'text\'}}", "id": "{{id}}", "n": {{$body \'n\'}}, '
        '"lines": "{{$randomLoremLines}}"}'
    )
    client = await serve(echo(body))
    tricky = 'he said "hi"\\ and left\nthe room'
    text = await answer(client, "/echo/a%22b", json={"text": tricky, "n": 3})
    data = json.loads(text)
    assert data["said"] == tricky
    assert data["id"] == 'a"b'
    assert data["n"] == 3
    assert data["lines"]


async def test_request_data_is_inserted_as_data_never_expanded(serve: Serve) -> None:
    client = await serve(echo("{{$body 'x'}}|{{id}}", language="text"))
    text = await answer(client, "/echo/{{$randomInt}}", json={"x": "{{$guid}} {{$body}}"})
    assert text == "{{$guid}} {{$body}}|{{$randomInt}}"


async def test_unknown_dollar_variable_is_served_as_written(serve: Serve) -> None:
    client = await serve(echo("{{$notKnown}} {{$body 'a' 'b' 'c' 'd'x}}", language="text"))
    assert await answer(client) == "{{$notKnown}} {{$body 'a' 'b' 'c' 'd'x}}"


def test_object_path_syntax() -> None:
    assert split_path("a.b\\.c.0") == ["a", "b.c", "0"]
    assert lookup({"a": [{"b": 5}]}, "a.0.b") == 5


# Reproducible dynamic values across two real server runs.


def serve_once(seed: int, paths: tuple[str, ...]) -> list[bytes]:
    """Start the real CLI with --seed, make these calls in this order, return the bodies."""
    with running_cli(str(EXAMPLE), "--seed", str(seed), "--quiet") as cli:
        return [http_get(cli.url + path)[1] for path in paths]


def test_seed_gives_the_same_answers_in_two_server_runs() -> None:
    paths = ("/v1/users/5", "/v1/users/6", "/v1/users/5")
    first, second = serve_once(7, paths), serve_once(7, paths)
    assert first == second
    assert first[0] != first[2]  # fresh values per call, the same sequence per run
    assert json.loads(first[0])["fetchedAt"] == "2025-01-01T00:00:00.000Z"
    assert serve_once(8, paths) != first


def test_a_seeded_call_gets_its_values_whatever_calls_came_before_it() -> None:
    one_order = ("/v1/users/5", "/v1/users/6", "/v1/users/5", "/v1/users/7")
    other_order = ("/v1/users/7", "/v1/users/5", "/v1/users/6", "/v1/users/5")
    first = dict(zip(_occurrences(one_order), serve_once(7, one_order), strict=True))
    second = dict(zip(_occurrences(other_order), serve_once(7, other_order), strict=True))
    assert first == second
    assert first[("/v1/users/5", 0)] != first[("/v1/users/5", 1)]  # a repeat gets new values


def _occurrences(paths: tuple[str, ...]) -> list[tuple[str, int]]:
    """Each call with how many times the same call came before it."""
    return [(path, paths[:i].count(path)) for i, path in enumerate(paths)]


async def test_a_seeded_call_gets_the_same_values_however_its_query_is_escaped(
    serve: Serve,
) -> None:
    """`?q=%41` and `?q=A` are one call to matching, and so to the seeded values (sent as
    bytes: an HTTP client would unescape the `%41` itself)."""
    from mockpost.runtime.settings import Settings
    from tests.raw import raw_call

    guid = collection(item("g", example("guid", "x/ids", body='{"id": "{{$guid}}"}')))
    bodies = []
    for target in ("/ids?q=%41", "/ids?q=A"):
        client = await serve(guid, settings=Settings(seed=7))
        answer = await raw_call(client.port, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 200")
        bodies.append(answer.partition(b"\r\n\r\n")[2])
    assert b'"id": "' in bodies[0]
    assert bodies[0] == bodies[1]
