"""Serving an API definition (OpenAPI 3.0/3.1, Swagger 2.0): every operation answers, with the
definition's own examples where it has them and values valid against its schemas elsewhere."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner

from mockpost.cli import main
from mockpost.errors import LoadError
from mockpost.matching.index import build_index
from mockpost.openapi.sniff import looks_like_definition
from mockpost.openapi.source import read_document
from mockpost.postman.reader import load_collection
from mockpost.runtime.runtime import Runtime
from mockpost.web.app import create_app
from tests.conftest import http, running_cli

SHARED = Path(__file__).resolve().parents[2] / "shared" / "openapi"
ROOTS = sorted(
    p
    for d in (SHARED.iterdir() if SHARED.is_dir() else [])
    if d.is_dir() and d.name not in ("LICENSES", "o2p")
    for p in d.iterdir()
    if (p.suffix in (".yaml", ".yml", ".json") and looks_like_definition(p.read_bytes()))
    or (p.suffix == ".json" and b'"openapi"' in p.read_bytes()[:5_000_000])
)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
needs_shared = pytest.mark.skipif(not ROOTS, reason=f"no definitions at {SHARED}")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def base_path(spec: dict[str, Any]) -> str:
    if "swagger" in spec:
        return str(spec.get("basePath") or "").rstrip("/")
    servers = spec.get("servers") or [{"url": "/"}]
    url = str(servers[0].get("url") or "/")
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace(f"{{{name}}}", str(variable.get("default", "")))
    path = re.sub(r"^[a-z]+://[^/]*", "", url)
    return path.rstrip("/")


def operations(spec: dict[str, Any], root: Path) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, template, concrete path, operation) of every operation, its path parameters
    filled with 7."""
    found = []
    for template, item in spec["paths"].items():
        if "$ref" in item:
            item = read_document(root.parent / item["$ref"])
        for method in METHODS:
            if method in item:
                operation = item[method]
                if "$ref" in operation:
                    operation = read_document(root.parent / operation["$ref"])
                path = base_path(spec) + re.sub(r"\{[^{}/]+\}", "7", template)
                found.append((method.upper(), template, path or "/", operation))
    return found


def preferred_code(responses: dict[str, Any]) -> int:
    """The status a mock answers by default: the lowest 2xx, else the lowest code listed."""
    codes = sorted(int(c) for c in map(str, responses) if c.isdigit())
    two = [c for c in codes if 200 <= c < 300]
    return two[0] if two else (codes[0] if codes else 200)


async def call_all(
    root: Path, calls: list[tuple[str, str, dict[str, str]]]
) -> list[tuple[int, bytes, str]]:
    index = build_index(load_collection(root))
    got = []
    async with TestClient(TestServer(create_app(Runtime(index)))) as client:
        for method, path, headers in calls:
            async with client.request(method, path, headers=headers) as response:
                got.append(
                    (
                        response.status,
                        await response.read(),
                        response.headers.get("Content-Type", ""),
                    )
                )
    return got


@needs_shared
@pytest.mark.slow
async def test_every_operation_of_every_real_definition_answers_its_preferred_status() -> None:
    wrong: list[str] = []
    counted = 0
    for root in ROOTS:
        spec = read_document(root)
        listed = operations(spec, root)
        answers = await call_all(root, [(m, p, {}) for m, _, p, _ in listed])
        # Operations a call cannot tell apart (Box's `/schema` and `/schema#classifications`)
        # may answer with either one's status: Postman's tie rule picks among them.
        allowed: dict[tuple[str, str], set[int]] = {}
        for method, _, path, operation in listed:
            key = (method, path.partition("#")[0])
            allowed.setdefault(key, set()).add(preferred_code(operation.get("responses") or {}))
        for (method, template, path, _), (status, _, _) in zip(listed, answers, strict=True):
            counted += 1
            if status not in allowed[(method, path.partition("#")[0])]:
                wrong.append(f"{root.parent.name} {method} {template}: {status}")
    assert counted > 1_500
    assert wrong == []


def o2p(name: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = json.loads(
        (SHARED / "o2p" / f"{name}.json").read_text()
    )["explicit"]
    return found


def same_body(ours: bytes, theirs: Any) -> bool:
    text = ours.decode()
    if isinstance(theirs, str):
        try:
            return bool(json.loads(text) == json.loads(theirs))
        except ValueError:
            return text.strip() == theirs.strip()
    return bool(json.loads(text) == theirs)


@needs_shared
@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["museum", "oai-api-with-examples", "twilio-api-v2010", "adyen-checkout-v71", "box"]
)
async def test_the_definitions_own_examples_answer_as_postmans_converter_reads_them(
    name: str,
) -> None:
    root = next(r for r in ROOTS if r.parent.name == name)
    spec = read_document(root)
    by_key = {f"{m} {t}": p for m, t, p, _ in operations(spec, root)}
    calls = []
    expected = []
    for key, examples in o2p(name).items():
        method, path = key.split(" ", 1)[0], by_key[key]
        for example in examples:
            calls.append((method, path, {"x-mock-response-code": str(example["code"])}))
            expected.append((key, example))
    answers = await call_all(root, calls)
    wrong = [
        f"{key} {example['code']}: {body[:80]!r}"
        for (key, example), (status, body, _) in zip(expected, answers, strict=True)
        if status != int(example["code"]) or not same_body(body, example["body"])
    ]
    assert len(expected) > 0
    assert wrong == []


@needs_shared
@pytest.mark.slow
@pytest.mark.parametrize("name", ["stripe", "swagger-petstore-v3", "netlify", "box"])
async def test_answers_made_from_schemas_are_valid_against_them(name: str) -> None:
    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    root = next(r for r in ROOTS if r.parent.name == name)
    spec = read_document(root)
    swagger = "swagger" in spec
    v31 = str(spec.get("openapi", "")).startswith("3.1")
    validator = OAS31Validator if v31 else OAS30Validator
    resource = Resource.from_contents(spec, default_specification=DRAFT202012 if v31 else DRAFT4)
    registry: Registry[Any] = Registry().with_resource("urn:spec", resource)
    listed = operations(spec, root)
    answers = await call_all(root, [(m, p, {}) for m, _, p, _ in listed])
    given = {dumped(v) for v in examples_in(spec)}
    checked = 0
    wrong = []
    for (method, template, _, _), (status, body, kind) in zip(listed, answers, strict=True):
        if "#" in template:  # a call cannot tell it from the same path without
            continue
        media = kind.split(";")[0]
        steps = ["paths", template, method.lower(), "responses", str(status)]
        steps += ["schema"] if swagger else ["content", media]
        found, pointer = located(spec, steps)
        if found is None or "json" not in media:
            continue
        if not swagger:
            if "example" in found or "examples" in found or "schema" not in found:
                continue
            pointer += "/schema"
        checked += 1
        schema = {"$ref": "urn:spec#" + pointer}
        check = validator(schema, registry=registry, format_checker=validator.FORMAT_CHECKER)
        # A value the definition gives as an `example` is its own, valid or not (Box writes
        # a list where its schema says object): only what mockpost made is held to the schema.
        # And a `oneOf` whose branches overlap (Box's event source: a User is also a
        # GenericSource, any object) cannot hold the first branch's value: docs/openapi.md.
        errors = [
            e
            for e in check.iter_errors(json.loads(body))
            if dumped(e.instance) not in given and not overlapping(e)
        ]
        if errors:
            wrong.append(f"{method} {template}: {errors[0].message[:120]}")
    assert checked > 0
    assert wrong == []


def overlapping(error: Any) -> bool:
    return error.validator == "oneOf" and "is valid under each of" in error.message


def dumped(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def examples_in(data: Any) -> list[Any]:
    """Every value a definition gives as an `example` or `default`, at any depth."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("example", "default"):
                found.append(value)
            found += examples_in(value)
    elif isinstance(data, list):
        for value in data:
            found += examples_in(value)
    return found


def located(spec: dict[str, Any], steps: list[str]) -> tuple[Any, str]:
    """The value at `steps` (local $refs followed on the way), and its JSON pointer."""
    found: Any = spec
    pointer = ""
    for step in steps:
        if isinstance(found, dict) and "$ref" in found:
            pointer = str(found["$ref"]).removeprefix("#")
            found = spec
            for key in pointer.strip("/").split("/"):
                found = found[key.replace("~1", "/").replace("~0", "~")]
        if not isinstance(found, dict) or step not in found:
            return None, ""
        found = found[step]
        pointer += "/" + step.replace("~", "~0").replace("/", "~1")
    return found, pointer


SMALL = """\
openapi: 3.0.3
info: {title: Small, version: '1'}
servers:
  - url: https://api.example.com/{version}
    variables: {version: {default: v1}}
paths:
  /users/{id}:
    get:
      tags: [users]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '404': {description: Not found}
        '201':
          description: Made
          content:
            application/json:
              example: {switch: no, day: 2024-01-01, count: 010, hex: 0x1F, big: 1e3, price: 1.50}
        '200':
          description: Found
          headers:
            X-Rate-Limit: {schema: {type: integer, minimum: 10}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
  /things:
    get:
      responses:
        '200':
          description: Things
          content:
            application/json:
              examples:
                first: {summary: First one, value: [1]}
                second: {value: [2]}
  /files/{name}.json:
    get:
      responses:
        default:
          description: Anything
          content:
            text/plain: {example: a file}
components:
  schemas:
    User:
      type: object
      required: [id, email, friends]
      properties:
        id: {type: integer, minimum: 1}
        email: {type: string, format: email}
        role: {type: string, enum: [admin, user]}
        friends: {type: array, items: {$ref: '#/components/schemas/User'}}
        secret: {type: string, writeOnly: true}
"""


async def test_a_small_definition_serves_its_paths_under_the_base_path(tmp_path: Path) -> None:
    root = write(tmp_path / "api.yaml", SMALL)
    got = await call_all(
        root,
        [
            ("GET", "/v1/users/7", {}),
            ("GET", "/v1/users/7", {"x-mock-response-code": "201"}),
            ("GET", "/v1/users/7", {"x-mock-response-code": "404"}),
            ("GET", "/v1/files/report.json", {}),
            ("GET", "/users/7", {}),
        ],
    )
    user = json.loads(got[0][1])
    assert got[0][0] == 200
    assert user["id"] >= 1
    assert "@" in user["email"]
    assert user["role"] == "admin"
    assert "secret" not in user  # write-only: never in an answer
    assert isinstance(user["friends"], list)  # a schema inside itself ends
    made = json.loads(got[1][1])
    # YAML 1.2, as every OpenAPI tool reads it: `no` and a date are text, 010 is ten
    assert made == {"switch": "no", "day": "2024-01-01", "count": 10, "hex": 31, "big": 1000.0,
                    "price": 1.5}  # fmt: skip
    assert (got[2][0], got[2][1]) == (404, b"")
    assert (got[3][0], got[3][1], got[3][2]) == (200, b"a file", "text/plain")
    assert got[4][0] == 404  # the base path is part of every path, as in Postman


def test_a_definition_is_recognised_by_its_content_not_its_name(tmp_path: Path) -> None:
    named = write(tmp_path / "api.txt", SMALL)
    collection = load_collection(named)
    assert collection.schema_version == "OpenAPI 3.0"
    assert [r.folders for r in collection.requests] == [("users",), ("things",), ("files",)]
    as_json = write(tmp_path / "api.data", json.dumps(read_document(named)))
    assert len(load_collection(as_json).examples) == len(collection.examples)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.0.0\npaths: [\n", "api.yaml: is not valid YAML"),
        ("openapi: 4.0.0\npaths: {}\n", "OpenAPI 4.0.0 is not supported"),
        ("openapi: 3.0.0\npaths: 7\n", "paths is not a mapping"),
    ],
)
def test_a_bad_definition_is_one_line_naming_the_place(
    tmp_path: Path, text: str, message: str
) -> None:
    root = write(tmp_path / "api.yaml", text)
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_remote_and_missing_refs_drop_their_operation_and_the_rest_serves(tmp_path: Path) -> None:
    root = write(
        tmp_path / "api.yaml",
        """\
openapi: 3.1.0
info: {title: Refs, version: '1'}
paths:
  /remote:
    get:
      responses:
        '200': {$ref: 'https://example.com/responses.yaml#/ok'}
  /missing:
    get:
      responses:
        '200': {$ref: 'nowhere.yaml#/ok'}
  /split:
    $ref: 'paths/split.yaml'
""",
    )
    write(
        tmp_path / "paths" / "split.yaml",
        "get:\n  responses:\n    '200':\n      description: OK\n      content:\n"
        "        application/json:\n          schema: {$ref: '../models.yaml#/Thing'}\n",
    )
    write(
        tmp_path / "models.yaml",
        "Thing: {type: object, required: [n], properties: {n: {const: 3}}}\n",
    )
    collection = load_collection(root)
    assert [r.name for r in collection.requests] == ["GET /split"]
    reasons = {d.name: d.reason for d in collection.dropped}
    assert "is remote: mockpost works offline" in reasons["GET /remote"]
    assert "no such file" in reasons["GET /missing"]
    [example] = collection.examples
    assert json.loads(example.body) == {"n": 3}


def test_a_billion_laughs_definition_is_refused_fast(tmp_path: Path) -> None:
    lines = ["openapi: 3.0.0", "info: {title: x, version: '1'}", "a0: &a0 [lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    lines.append("paths: {}")
    root = write(tmp_path / "api.yaml", "\n".join(lines) + "\n")
    started = time.monotonic()
    with pytest.raises(LoadError, match="aliases expand to more than"):
        load_collection(root)
    assert time.monotonic() - started < 2


def test_validate_counts_what_a_mock_does_not_serve(tmp_path: Path) -> None:
    root = write(
        tmp_path / "api.yaml",
        """\
openapi: 3.1.0
info: {title: Hooks, version: '1'}
paths:
  /subscribe:
    post:
      callbacks:
        onEvent: {'{$request.body#/url}': {post: {responses: {'200': {description: ok}}}}}
      responses:
        '201':
          description: Subscribed
          links:
            self: {operationId: getIt}
webhooks:
  newThing: {post: {responses: {'200': {description: ok}}}}
""",
    )
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "not served: 1 callbacks" in said
    assert "not served: 1 links" in said
    assert "not served: 1 webhooks" in said


def test_convert_writes_the_collection_a_definition_serves(tmp_path: Path) -> None:
    root = write(tmp_path / "api.yaml", SMALL)
    for out in (tmp_path / "api.json", tmp_path / "api-v3"):
        result = CliRunner().invoke(main, ["convert", str(root), "-o", str(out)])
        assert result.exit_code == 0, result.output
        ours = load_collection(root)
        theirs = load_collection(out)
        assert [(e.name, e.code, e.body) for e in theirs.examples] == [
            (e.name, e.code, e.body) for e in ours.examples
        ]


async def test_prisms_prefer_header_picks_the_code_and_the_example(tmp_path: Path) -> None:
    root = write(tmp_path / "api.yaml", SMALL)
    got = await call_all(
        root,
        [
            ("GET", "/v1/things", {}),
            ("GET", "/v1/things", {"Prefer": 'example="second"'}),
            ("GET", "/v1/things", {"Prefer": "example=First one"}),
            ("GET", "/v1/users/7", {"Prefer": "code=404"}),
            ("GET", "/v1/users/7", {"Prefer": "return=minimal, code=201; strict"}),
            ("GET", "/v1/users/7", {"Prefer": "code=404", "x-mock-response-code": "201"}),
            ("GET", "/v1/users/7", {"Prefer": "code=418"}),
            ("GET", "/v1/users/7", {"x-mock-response-code": "418"}),
        ],
    )
    assert [(status, body) for status, body, _ in got[:3]] == [
        (200, b"[\n  1\n]"),
        (200, b"[\n  2\n]"),
        (200, b"[\n  1\n]"),
    ]
    assert [status for status, _, _ in got[3:]] == [404, 201, 201, 404, 404]
    assert b"Double check your method" in got[7][1]  # x-mock-response-code: Postman's body
    said = json.loads(got[6][1])["error"]  # no 418: Postman's not-found shape, saying why
    assert said["name"] == "mockRequestNotFoundError"
    assert (
        said["message"] == "No example answers with code 418; this request's codes: 200, 201, 404."
    )


CHECKED = """\
openapi: 3.1.0
info: {title: Checked, version: '1'}
servers: [{url: 'https://api.example.com/v2'}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /orders/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 50}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: session, in: cookie, required: true, schema: {type: string}}
      responses:
        '200': {description: OK, content: {application/json: {example: {id: 1}}}}
    put:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: {name: {type: string}, count: {type: integer}}
      responses:
        '200': {description: OK, content: {application/json: {example: {saved: true}}}}
        '422':
          description: Invalid
          content: {application/json: {example: {own: invalid}}}
  /open:
    get:
      security: []
      responses:
        '200': {description: OK, content: {text/plain: {example: open}}}
"""
GOOD = {"X-Key": "k", "X-Trace": "t", "Cookie": "session=s"}


async def serve_checked(root: Path, mode: str) -> TestClient[Any, Any]:
    from mockpost.runtime.settings import Settings

    index = build_index(load_collection(root))
    client = TestClient(TestServer(create_app(Runtime(index, Settings(validate=mode)))))
    await client.start_server()
    return client


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "location"),
    [
        ("GET", "/v2/orders/abc", GOOD, None, ["path", "id"]),
        ("GET", "/v2/orders/7?limit=99", GOOD, None, ["query", "limit"]),
        ("GET", "/v2/orders/7", {"X-Key": "k", "Cookie": "session=s"}, None, ["header", "X-Trace"]),
        ("GET", "/v2/orders/7", {"X-Key": "k", "X-Trace": "t"}, None, ["cookie", "session"]),
        ("PUT", "/v2/orders/7", {"X-Key": "k"}, b'{"count": "x"}', ["body"]),
        ("GET", "/v2/orders/7", {"X-Trace": "t", "Cookie": "session=s"}, None, ["security"]),
    ],
)
async def test_a_call_that_breaks_the_definition_is_warned_about_then_refused(
    tmp_path: Path,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
    location: list[str],
) -> None:
    root = write(tmp_path / "api.yaml", CHECKED)
    put_headers = {**headers, "Content-Type": "application/json"} if body else headers
    warn = await serve_checked(root, "warn")
    try:
        async with warn.request(method, path, headers=put_headers, data=body) as response:
            assert response.status == 200  # warn: the answer is the usual one
            summary = response.headers["x-mockpost-violations"]
        call = await (await warn.get("/__mockpost/calls/1")).json()
        har = await (await warn.get("/__mockpost/calls.har")).json()
        har_comment = har["log"]["entries"][0]["comment"]
    finally:
        await warn.close()
    assert summary.startswith(("1: ", "2: "))
    assert ".".join(location) in summary
    notes = call["notes"]
    assert any(n.startswith("violates the definition: " + ".".join(location)) for n in notes)
    assert call["violations"][0]["location"][: len(location)] == location  # and as data
    assert "violates the API definition: " + ".".join(location) in har_comment
    enforce = await serve_checked(root, "enforce")
    try:
        async with enforce.request(method, path, headers=put_headers, data=body) as response:
            status, kind, said = response.status, response.content_type, await response.json()
    finally:
        await enforce.close()
    if location == ["security"]:
        assert status == 401
    elif method == "PUT":  # the operation's own 422 example
        assert (status, said) == (422, {"own": "invalid"})
        return
    else:
        assert status == 422
    assert kind == "application/problem+json"
    assert {"type", "title", "status", "detail", "instance"} <= set(said)  # RFC 9457
    assert said["status"] == status
    assert said["instance"] == path.partition("?")[0]
    assert [v["location"][: len(location)] for v in said["validation"]] == [location] * len(
        said["validation"]
    )
    assert all(v["severity"] == "error" and v["code"] and v["message"] for v in said["validation"])


async def test_a_call_that_keeps_to_the_definition_is_answered_plainly(tmp_path: Path) -> None:
    root = write(tmp_path / "api.yaml", CHECKED)
    for mode in ("warn", "enforce", "off"):
        client = await serve_checked(root, mode)
        try:
            good = await client.get("/v2/orders/7?limit=5", headers=GOOD)
            assert (good.status, await good.json()) == (200, {"id": 1})
            assert "x-mockpost-violations" not in good.headers
            assert (await client.get("/v2/open")).status == 200  # no security asked
            bad = await client.get("/v2/orders/abc")  # off: nothing is checked
            assert bad.status == (200 if mode != "enforce" else 401)
            assert ("x-mockpost-violations" in bad.headers) == (mode == "warn")
        finally:
            await client.close()


CORPUS = SHARED.parent / "corpus" / "collections"


@needs_shared
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_validate_with_a_spec_finds_the_drift_planted_in_a_real_collection(tmp_path: Path) -> None:
    source = CORPUS / "adyen-checkout-v71.postman_collection.json"
    spec = SHARED / "adyen-checkout-v71" / "CheckoutService-v71.yaml"
    clean = CliRunner().invoke(main, ["validate", str(source), "--spec", str(spec)])
    assert clean.exit_code == 0, clean.output
    assert "No drift" in clean.output

    data = json.loads(source.read_text(encoding="utf-8"))

    def requests(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = []
        for item in items:
            found += requests(item["item"]) if "item" in item else [item]
        return found

    items = [r for r in requests(data["item"]) if r.get("response")]
    items[0]["response"][0]["code"] = 299  # a status the operation does not define
    renamed = items[1]["response"][0]
    body = json.loads(renamed["body"])
    body["pspRef"] = body.pop("pspReference")  # a renamed field of the answer
    renamed["body"] = json.dumps(body)
    call = items[2]["response"][0]["originalRequest"]["body"]
    sent = json.loads(call["raw"])
    del sent["merchantAccount"]  # a required field of the call left out
    call["raw"] = json.dumps(sent)
    moved = items[3]["response"][0]["originalRequest"]["url"]
    moved["raw"] = moved["raw"].replace("/captures", "/capture")  # a path it does not have
    moved["path"] = [p.replace("captures", "capture") for p in moved["path"]]
    drifted = tmp_path / "drifted.json"
    drifted.write_text(json.dumps(data))

    result = CliRunner().invoke(main, ["validate", str(drifted), "--spec", str(spec), "--json"])
    assert result.exit_code == 0, result.output
    drift = json.loads(result.output)["drift"]
    said = sorted((d["request"], d["reason"]) for d in drift)
    expected = sorted(
        [
            (items[0]["name"], "status not defined by the operation"),
            (items[1]["name"], "answer body at (the whole body): Additional properties are "
             "not allowed ('pspRef' was unexpected)"),
            (items[2]["name"], "call body: 'merchantAccount' is a required property"),
            (items[3]["name"], "no operation POST /v71/payments/"),
        ]
    )  # fmt: skip
    assert len(said) == len(expected)
    for (request, reason), (wanted_request, wanted) in zip(said, expected, strict=True):
        assert (request, reason[: len(wanted)]) == (wanted_request, wanted)


def test_validate_strict_fails_on_drift_from_the_definition(tmp_path: Path) -> None:
    root = write(tmp_path / "api.yaml", SMALL)
    converted = tmp_path / "api.json"
    assert CliRunner().invoke(main, ["convert", str(root), "-o", str(converted)]).exit_code == 0
    data = json.loads(converted.read_text())
    for folder in data["item"]:  # only what a plain call reaches: --strict wants no more
        for item in folder["item"]:
            item["response"] = item["response"][:1]
    converted.write_text(json.dumps(data))
    args = ["validate", str(converted), "--spec", str(root), "--strict"]
    clean = CliRunner().invoke(main, args)
    assert clean.exit_code == 0, clean.output
    assert "No drift" in clean.output
    data["item"][0]["item"][0]["response"][0]["body"] = (
        '{"id": "seven", "email": "a@b.c", "friends": []}'
    )
    converted.write_text(json.dumps(data))
    drifted = CliRunner().invoke(main, args)
    assert drifted.exit_code == 1
    said = " ".join(drifted.output.split())
    assert "ways the examples drift from" in said
    assert "answer body at id: 'seven' is not of type 'integer'" in said


def test_serve_a_collection_with_a_spec_checks_its_calls(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", CHECKED)
    collection = tmp_path / "api.json"
    assert CliRunner().invoke(main, ["convert", str(spec), "-o", str(collection)]).exit_code == 0
    args = (str(collection), "--spec", str(spec), "--validate", "enforce")
    with running_cli(*args) as cli:
        assert http(cli.url + "/v2/orders/7", headers=GOOD)[0] == 200
        status, body, _ = http(cli.url + "/v2/orders/abc", headers=GOOD)
        assert status == 422
        assert json.loads(body)["validation"][0]["location"] == ["path", "id"]
        assert http(cli.url + "/v2/orders/7")[0] == 401  # no X-Key


NEGOTIATED = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    get:
      responses:
        '200':
          description: A pet
          content:
            application/json: {example: {name: Rex}}
            application/xml: {example: '<pet><name>Rex</name></pet>'}
            text/csv: {schema: {type: string}}
        '404':
          description: No pet
          content:
            application/xml: {example: '<error/>'}
"""


async def test_the_accept_header_chooses_among_an_answers_media_types(tmp_path: Path) -> None:
    root = write(tmp_path / "api.yaml", NEGOTIATED)
    sent = [None, "application/xml", "application/json", "application/*;q=0.5, application/xml",
            "text/html", "application/xml;q=0, */*;q=0.1", "application/xml", None]  # fmt: skip
    got = await call_all(root, [("GET", "/pets/7", {"Accept": a} if a else {}) for a in sent])
    kinds = [kind for _, _, kind in got]
    assert kinds == [
        "application/json",  # none asked: JSON first, as Prism does
        "application/xml",
        "application/json",
        "application/xml",
        "application/json",  # nothing it has: the usual one (no 406)
        "application/json",
        "application/xml",  # repeats are decided again: Accept is part of the call
        "application/json",
    ]
    assert got[1][1] == b"<pet><name>Rex</name></pet>"
    assert all(status == 200 for status, _, _ in got)  # Accept never changes the status
    names = [e.name for e in load_collection(root).examples]
    assert names == ["A pet", "A pet (application/xml)", "No pet"]  # no schema-made CSV


def test_convert_params_schema_writes_placeholders_as_postmans_converter_can(
    tmp_path: Path,
) -> None:
    spec = write(tmp_path / "api.yaml", CHECKED)
    made = {}
    for params in ("example", "schema"):
        out = tmp_path / f"{params}.json"
        args = ["convert", str(spec), "-o", str(out), "--params", params]
        assert CliRunner().invoke(main, args).exit_code == 0
        data = json.loads(out.read_text())
        requests = {i["name"]: i["request"] for f in data["item"] for i in f["item"]}
        made[params] = requests
        assert [e.body for e in load_collection(out).examples] == [
            e.body for e in load_collection(spec).examples
        ]  # the answers are the definition's either way
    got = made["schema"]["GET /orders/{id}"]
    assert got["url"]["query"] == [{"key": "limit", "value": "<integer>", "disabled": True}]
    assert {"key": "X-Trace", "value": "<string>"} in got["header"]
    put = made["schema"]["PUT /orders/{id}"]["body"]["raw"]
    assert json.loads(put) == {"name": "<string>", "count": "<integer>"}
    assert json.loads(made["example"]["PUT /orders/{id}"]["body"]["raw"]) == {
        "name": "string",
        "count": 0,
    }


DYNAMIC = """\
openapi: 3.0.3
info: {title: Users, version: '1'}
paths:
  /users/{id}:
    get:
      responses:
        '200':
          description: A user
          content:
            application/json:
              schema:
                type: object
                required: [id, email]
                properties:
                  id: {type: integer}
                  email: {type: string, format: email}
                  firstName: {type: string}
                  active: {type: boolean}
                  price: {type: number}
                  role: {type: string, enum: [admin, user]}
                  code: {type: string, pattern: '^[A-Z]{3}$'}
                  joined: {type: string, format: date-time}
                  id2: {type: string, format: uuid}
"""


async def draws(root: Path, settings: Any, headers: list[dict[str, str]]) -> list[Any]:
    index = build_index(load_collection(root))
    async with TestClient(TestServer(create_app(Runtime(index, settings)))) as client:
        return [await (await client.get("/users/1", headers=h)).json() for h in headers]


async def test_dynamic_answers_are_drawn_per_call_valid_and_seeded(tmp_path: Path) -> None:
    from openapi_schema_validator import OAS30Validator

    from mockpost.runtime.settings import Settings

    root = write(tmp_path / "api.yaml", DYNAMIC)
    spec = read_document(root)
    schema = spec["paths"]["/users/{id}"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    calls = [{}, {}, {}, {"Prefer": "dynamic=false"}]
    first = await draws(root, Settings(dynamic=True, seed=7), calls)
    again = await draws(root, Settings(dynamic=True, seed=7), calls)
    assert first == again  # --seed: the same draws, run after run
    assert first[0] != first[1] != first[2]  # fresh on every call
    for drawn in first:
        OAS30Validator(schema, format_checker=OAS30Validator.FORMAT_CHECKER).validate(drawn)
        assert (drawn["role"], drawn["code"]) == ("admin", "ABC")  # bounded: as made
    assert first[3]["email"] == "user@example.com"  # Prefer: dynamic=false: the made one
    static = await draws(root, Settings(), [{}, {}, {"Prefer": "dynamic=true"}])
    assert static[0] == static[1] == first[3]
    assert static[2]["email"] != "user@example.com"  # Prefer: dynamic=true without --dynamic


ODD = """\
openapi: "3.1.1"
info: {title: Odd, version: '1'}
paths:
  /items/:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: string}, n: {type: integer}}}
      responses:
        200:
          description: ok
          content:
            '*/*':
              schema:
                type: object
                properties:
                  id: {type: [integer, "null"]}
                  tags: {type: array, items: {type: string}, uniqueItems: true, minItems: 2}
  /items/{id}:
    get:
      responses:
        2XX: {description: fine, content: {text/plain: {schema: {type: string, minLength: 10}}}}
        default: {description: oops}
  /bad:
    get:
      parameters: 7
      responses: {'200': {description: ok}}
"""


async def test_what_generated_definitions_write_is_served_not_a_traceback(tmp_path: Path) -> None:
    root = write(tmp_path / "api.yaml", ODD)  # unquoted codes, */*, 2XX, forms, 3.1 types
    collection = load_collection(root)
    [dropped] = collection.dropped
    assert dropped.name == "GET /bad"
    assert "unexpected shape" in dropped.reason
    form = collection.requests[0].request.body
    assert (form.mode, dict(form.fields)) == ("urlencoded", {"name": "string", "n": "0"})
    got = await call_all(root, [("POST", "/items/", {}), ("GET", "/items/7", {})])
    assert (got[0][0], got[0][2]) == (200, "application/json")  # */*: data is sent as JSON
    assert json.loads(got[0][1]) == {"id": 0, "tags": ["string", "string1"]}
    assert got[1][:3] == (200, b"stringxxxx", "text/plain")


def paths_in(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*at, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths_in(value, (*at, i))
    return found


SWAGGER = """\
swagger: '2.0'
info: {title: Old, version: '1'}
host: api.example.com
basePath: /v1
schemes: [https]
produces: [application/json]
paths:
  /pets/{id}:
    parameters: [{name: id, in: path, required: true, type: integer}]
    get:
      parameters: [{name: q, in: query, type: string}, {name: b, in: body, schema: {type: object}}]
      responses:
        '200':
          description: A pet
          schema: {$ref: '#/definitions/Pet'}
          headers: {X-Rate: {type: integer}}
          examples: {application/json: {name: Rex}}
        '404': {description: None, schema: {type: object, properties: {e: {type: string}}}}
definitions:
  Pet: {type: object, properties: {name: {type: string}}}
"""


@pytest.mark.parametrize("text", [CHECKED, SWAGGER], ids=["openapi-3.1", "swagger-2.0"])
def test_any_value_of_any_shape_anywhere_in_a_definition_is_served_or_one_line(
    tmp_path: Path, text: str
) -> None:
    import copy

    base = read_document(write(tmp_path / "api.yaml", text))
    failures = []
    loads = 0
    for at in paths_in(base)[1:]:
        for odd in (7, "x", [], {}, None, True, [7], {"$ref": "#/nowhere"}):
            data = copy.deepcopy(base)
            holder = data
            for key in at[:-1]:
                holder = holder[key]
            holder[at[-1]] = odd
            root = tmp_path / "odd.json"
            root.write_text(json.dumps(data))
            loads += 1
            try:
                collection = load_collection(root)
                checker = collection.checker
                if checker is not None:  # and a call to it is checked, or said unchecked
                    from mockpost.calls.call import Call

                    checker.check(Call("GET", "/v2/orders/7", (("limit", "x"),), {}))  # type: ignore[attr-defined]
            except LoadError as exc:
                if "\n" in str(exc):
                    failures.append(f"{at} = {odd!r}: several lines: {exc}")
            except Exception as exc:  # anything else is a bug
                failures.append(f"{at} = {odd!r}: {type(exc).__name__}: {exc}")
    assert loads > 300
    assert failures == []


async def test_a_remote_ref_is_never_fetched_and_never_refuses_a_call(tmp_path: Path) -> None:
    root = write(
        tmp_path / "api.yaml",
        """\
openapi: 3.0.3
info: {title: Remote, version: '1'}
paths:
  /ok:
    get:
      parameters: [{name: q, in: query, schema: {$ref: 'http://10.255.255.1/schema.json'}}]
      responses: {'200': {description: ok, content: {text/plain: {example: ok}}}}
  /fine:
    get:
      responses: {'200': {description: ok, content: {text/plain: {example: fine}}}}
""",
    )
    from mockpost.runtime.settings import Settings

    index = build_index(load_collection(root))
    app = create_app(Runtime(index, Settings(validate="enforce")))
    started = time.monotonic()
    async with TestClient(TestServer(app)) as client:
        answer = await client.get("/ok?q=x")  # dropped (its $ref is remote): not served
        assert answer.status == 404  # and not refused: an unchecked call is a warning
        assert "could not be checked" in answer.headers["x-mockpost-violations"]
        fine = await client.get("/fine")
        assert (fine.status, await fine.text()) == (200, "fine")
    assert time.monotonic() - started < 2  # no network wait
