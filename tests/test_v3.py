"""Postman's v3 format (a directory of YAML files): served as the same collection would be.

Small trees written here show each rule; the corpus test serves every tree that Postman's own
CLI migrated from ../shared/corpus and holds each example's answers to the v2.1 file's.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner

from mockpost.cli import main
from mockpost.errors import LoadError
from mockpost.matching.index import Index, build_index
from mockpost.matching.report import replay_call
from mockpost.postman.reader import load_collection, load_environment
from mockpost.runtime.runtime import Runtime
from mockpost.web.app import create_app
from tests.conftest import http_get, running_cli, runtime_of

SHARED = Path(__file__).resolve().parents[2] / "shared"
MIGRATED = sorted(p for p in (SHARED / "corpus-v3" / "migrated").glob("*") if p.is_dir())
REAL = sorted(p for p in (SHARED / "corpus-v3" / "real").glob("*") if p.is_dir())


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


BOOKS = {
    ".resources/definition.yaml": "$kind: collection\nname: Books\nvariables:\n  host: https://x\n",
    "Get book.request.yaml": (
        "$kind: http-request\n"
        "url: '{{host}}/books/:id?since=2024-01-01'\n"
        "method: GET\n"
        "queryParams:\n  since: 2024-01-01\n"
        "pathVariables:\n  - key: id\n    value: ''\n"
        "examples: ./.resources/Get book.resources/examples\n"
        "order: 1000\n"
    ),
    ".resources/Get book.resources/examples/OK.example.yaml": (
        "$kind: http-example\n"
        "request:\n  url: https://x/books/7?since=2024-01-01\n  method: GET\n"
        "response:\n"
        "  statusCode: 200\n  statusText: OK\n"
        "  headers:\n"
        "    - key: x-accel-buffering\n      value: no\n"
        "    - key: Set-Cookie\n      value: a=1\n"
        "    - key: Set-Cookie\n      value: b=2\n"
        '  body:\n    type: json\n    content: |-\n      {"code": 010, "big": 1e3, "price": 1.50}\n'
        "order: 1000\n"
    ),
    "Admin/.resources/definition.yaml": "$kind: collection\nname: Admin area\norder: 500\n",
    "Admin/Stats.request.yaml": "$kind: http-request\nname: Stats / daily\nurl: https://x/stats\n",
    # no `examples:` key: read from the default place
    "Admin/.resources/Stats.resources/examples/Daily.example.yaml": (
        "$kind: http-example\nresponse:\n  statusCode: 200\n  statusText: OK\n"
        "  body:\n    type: text\n    content: on\n"
    ),
    "Socket.request.yaml": "$kind: websocket-request\nurl: wss://x/ws\n",
    "notes.md": "not a collection file\n",
}


async def test_a_v3_tree_is_served_as_its_author_wrote_it(
    tmp_path: Path, aiohttp_client: Any
) -> None:
    root = write(tmp_path / "books", BOOKS)
    runtime = Runtime(build_index(load_collection(root)))
    client = await aiohttp_client(create_app(runtime))
    answer = await client.get("/books/7?since=2024-01-01")
    assert answer.status == 200
    assert await answer.read() == b'{"code": 010, "big": 1e3, "price": 1.50}'
    assert answer.headers["x-accel-buffering"] == "no"  # YAML 1.1 would say False
    assert answer.headers.getall("Set-Cookie") == ["a=1", "b=2"]
    assert answer.headers["Content-Type"] == "application/json"  # from body.type
    stats = await client.get("/stats")
    assert (stats.status, await stats.read()) == (200, b"on")
    assert stats.headers["Content-Type"].startswith("text/plain")
    record = runtime_of(client).store.last()
    assert record is not None
    assert record.example is not None
    assert record.example.name == "Daily"


def test_names_folders_order_and_ids_come_from_the_files(tmp_path: Path) -> None:
    root = write(tmp_path / "books", BOOKS)
    collection = load_collection(root)
    assert collection.name == "Books"
    assert collection.schema_version == "3.0.0"
    assert [(r.folders, r.name) for r in collection.requests] == [
        (("Admin area",), "Stats / daily"),  # order 500 comes before 1000
        ((), "Get book"),
    ]
    wheres = {e.name: e.where for e in collection.examples}
    assert wheres == {
        "Daily": "Admin/.resources/Stats.resources/examples/Daily.example.yaml",
        "OK": ".resources/Get book.resources/examples/OK.example.yaml",
    }
    again = load_collection(root)
    assert [e.id for e in again.examples] == [e.id for e in collection.examples]
    assert len({e.id for e in collection.examples}) == 2
    assert any("no examples: key" in note for note in collection.notes)
    assert any("websocket-request" in note for note in collection.notes)
    assert any("files of other kinds" in note for note in collection.notes)


def test_a_broken_file_is_named_with_its_line_and_the_rest_is_served(tmp_path: Path) -> None:
    root = write(
        tmp_path / "books",
        {**BOOKS, "Broken.request.yaml": "$kind: http-request\nurl: {{host}}/x\nmethod: GET\n"},
    )
    collection = load_collection(root)
    assert len(collection.examples) == 2
    [dropped] = collection.dropped
    assert dropped.where == "Broken.request.yaml"
    assert "must be quoted" in dropped.reason
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(root), "--strict"])
    assert result.exit_code == 1
    assert "Broken.request.yaml" in result.output


def test_a_tree_where_nothing_loads_is_one_line_at_start_up(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {"A.request.yaml": "url: {{x}}/a\n", "B.request.yaml": "- [\n"})
    with pytest.raises(LoadError, match=r"nothing in it can be served: 2 files"):
        load_collection(root)


def test_anchors_and_aliases_are_refused_at_once(tmp_path: Path) -> None:
    laughs = "$kind: http-request\nurl: https://x/a\nlol0: &a ['lol','lol']\n" + "".join(
        f"lol{i}: &a{i} [{','.join(['*a' if i == 1 else f'*a{i - 1}'] * 9)}]\n"
        for i in range(1, 30)
    )
    root = write(tmp_path / "c", {"A.request.yaml": laughs, "B.request.yaml": "url: https://x/b\n"})
    started = time.monotonic()
    collection = load_collection(root)
    assert time.monotonic() - started < 2
    assert [d.where for d in collection.dropped] == ["A.request.yaml"]
    assert "anchors or aliases" in collection.dropped[0].reason


def test_a_project_root_serves_its_one_collection_and_names_several(tmp_path: Path) -> None:
    project = write(tmp_path / "p", {f"postman/collections/Books/{k}": v for k, v in BOOKS.items()})
    assert load_collection(project).name == "Books"
    write(project, {"postman/collections/Other/A.request.yaml": "url: https://x/a\n"})
    with pytest.raises(LoadError, match=r"holds 2 collections \(Books, Other\): name one"):
        load_collection(project)


def test_a_directory_with_no_collection_says_so(tmp_path: Path) -> None:
    write(tmp_path / "d", {"readme.txt": "x"})
    with pytest.raises(LoadError, match="holds no Postman collection"):
        load_collection(tmp_path / "d")


def test_a_v3_environment_resolves_and_a_secret_without_value_stays_a_wildcard(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path / "c",
        {
            "A.request.yaml": "url: '{{host}}/users/{{token}}'\nmethod: GET\n",
            ".resources/A.resources/examples/OK.example.yaml": (
                "response:\n  statusCode: 201\n  statusText: Created\n"
                "  body: {type: text, content: made}\n"
            ),
        },
    )
    env = (
        write(
            tmp_path,
            {
                "local.environment.yaml": (
                    "name: Local\nvalues:\n"
                    "  - key: host\n    value: http://h\n    enabled: true\n"
                    "  - key: off\n    value: gone\n    enabled: false\n"
                    "  - key: token\n    secret: true\n    source: {provider: postman}\n"
                )
            },
        )
        / "local.environment.yaml"
    )
    environment = load_environment(env)
    assert dict(environment.values) == {"host": "http://h"}
    index = build_index(load_collection(root), environment)
    [example] = index.examples
    assert example.path.wildcards == ("token",)


def test_the_real_cli_serves_a_directory_and_routes_lists_it(tmp_path: Path) -> None:
    root = write(tmp_path / "books", BOOKS)
    result = CliRunner().invoke(main, ["routes", str(root), "--json"])
    assert result.exit_code == 0, result.output
    assert {(r["method"], r["path"]) for r in json.loads(result.output)} == {
        ("GET", "/books/7"),
        ("GET", "/stats"),
    }
    with running_cli(str(root)) as cli:
        assert "Books (collection v3.0.0)" in cli.banner
        assert http_get(cli.url + "/books/7?since=2024-01-01")[0] == 200
        assert http_get(cli.url + "/stats") == (200, b"on")


# -- the corpus: Postman's own migration of ../shared/corpus, served as the v2.1 file is ----


# Where a v3 tree holds another URL than the v2.1 file's (Postman's migrate, and mockpost's
# convert alike): v3 keeps one URL text, made from the v2.1 `host` and `path` arrays where
# there is no `raw`, and these examples filled the path with a curl command line.
DRIFT = {
    ("fastly-api", "/curl -X  https:/www.example.com/image.jpg"),
    ("fastly-api", '/curl -X  -H "Fastly-Soft-Purge:1" https:/www.example.com/image.jpg'),
}


def sendable(name: str) -> bool:
    """A name an HTTP client can send in a header as it is (no control character, no space
    at either end, which a header value loses)."""
    return name == name.strip() and all(ord(c) >= 32 and c != "\x7f" for c in name)


def twin(tree: Path) -> Path:
    return SHARED / "corpus" / "collections" / f"{tree.name}.postman_collection.json"


async def answers(index: Index, calls: list[tuple[str, Any]]) -> list[tuple[int, bytes, str]]:
    got = []
    async with TestClient(TestServer(create_app(Runtime(index)))) as client:
        for _, call in calls:
            async with client.request(
                call.method,
                call.path + ("?" + call.query_string if call.query_string else ""),
                headers=dict(call.headers),
                data=call.body or None,
            ) as response:
                body = await response.read()
                kind = response.headers.get("Content-Type", "")
            got.append((response.status, body, kind))
    return got


@pytest.mark.slow
@pytest.mark.skipif(not MIGRATED, reason=f"no v3 corpus at {SHARED / 'corpus-v3'}")
@pytest.mark.parametrize("tree", MIGRATED, ids=[p.name for p in MIGRATED])
async def test_every_migrated_example_answers_as_the_v21_files_example(tree: Path) -> None:
    v21 = build_index(load_collection(twin(tree)))
    v3 = build_index(load_collection(tree))
    assert len(v3.examples) == len(v21.examples)
    assert await same_answers(tree.name, v21, v3) == []


@pytest.mark.slow
@pytest.mark.skipif(not REAL, reason=f"no v3 corpus at {SHARED / 'corpus-v3'}")
@pytest.mark.parametrize("tree", REAL, ids=[p.name for p in REAL])
async def test_a_real_v3_collection_serves_every_example_by_name_and_path(tree: Path) -> None:
    if tree.name.endswith("API---Cloudflare"):  # every request file is broken YAML
        with pytest.raises(LoadError, match="must be quoted"):
            load_collection(tree)
        return
    index = build_index(load_collection(tree))
    async with TestClient(TestServer(create_app(Runtime(index)))) as client:
        for example in index.examples:
            if not sendable(example.name):
                continue
            call = replay_call(example, {"x-mock-response-name": example.name})
            async with client.request(
                call.method, call.path, headers=dict(call.headers), data=call.body or None
            ) as response:
                await response.read()
            record = runtime_of(client).store.last()
            assert record is not None
            assert record.example is not None, example.example.where
            assert record.example.name == example.name


def test_e_name_finds_a_project_environment_and_a_save_anywhere_in_the_tree_reloads(
    tmp_path: Path,
) -> None:
    project = write(
        tmp_path / "p",
        {
            **{f"postman/collections/Books/{k}": v for k, v in BOOKS.items()},
            "postman/environments/Local.environment.yaml": (
                "name: Local\nvalues:\n  - key: host\n    value: https://local\n"
            ),
        },
    )
    with running_cli(str(project), "-e", "Local") as cli:
        assert "environment 'Local'" in cli.banner
        assert http_get(cli.url + "/stats") == (200, b"on")
        example = project / "postman/collections/Books/Admin/.resources/Stats.resources"
        (example / "examples/Daily.example.yaml").write_text(
            "response:\n  statusCode: 200\n  statusText: OK\n  body: {type: text, content: off}\n"
        )
        deadline = time.monotonic() + 10
        while http_get(cli.url + "/stats")[1] != b"off" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert http_get(cli.url + "/stats") == (200, b"off")
        (example / "examples/Daily.example.yaml").unlink()  # a removed file reloads too
        while http_get(cli.url + "/stats")[0] != 404 and time.monotonic() < deadline + 10:
            time.sleep(0.1)
        assert http_get(cli.url + "/stats")[0] == 404


# -- convert: v2.1 <-> v3, nothing a mock serves lost ----------------------------------------


def test_the_v3_writer_quotes_what_would_read_back_as_another_type(tmp_path: Path) -> None:
    from mockpost.postman.v3write import write_v3

    typed = ["no", "yes", "on", "off", "010", "1e3", "1.50", "2024-01-01", "null", "~", " x", "-"]
    document = {
        "info": {"name": "T", "schema": "v2.1.0"},
        "variable": [{"key": f"v{i}", "value": v} for i, v in enumerate(typed)],
        "item": [
            {
                "name": "r / one.",
                "request": {"method": "GET", "url": "https://x/a"},
                "response": [
                    {
                        "name": "ok",
                        "code": 200,
                        "header": [
                            {"key": "Set-Cookie", "value": "a=1"},
                            {"key": "Set-Cookie", "value": "b=2"},
                            {"key": "x-accel-buffering", "value": "no"},
                        ],
                        "body": "line one\nline two",
                    }
                ],
            }
        ],
    }
    write_v3(document, tmp_path / "t")
    collection = load_collection(tmp_path / "t")
    assert dict(collection.variables) == {f"v{i}": v for i, v in enumerate(typed)}
    [example] = collection.examples
    assert example.headers == (
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("x-accel-buffering", "no"),
        ("Content-Type", "text/plain"),
    )
    assert example.body == "line one\nline two"
    assert collection.requests[0].name == "r / one."
    assert (tmp_path / "t" / "r - one-.request.yaml").is_file()


def test_file_stems_are_made_as_postmans_writer_makes_them() -> None:
    from mockpost.postman.v3write import stem

    taken: set[str] = set()
    assert stem("GET /users/:id", taken) == "GET -users-id"
    assert stem("Dup", taken) == "Dup"
    assert stem("Dup", taken) == "Dup-1"
    assert stem("dup", taken) == "dup-2"
    assert stem("Done.", taken) == "Done-"
    long = stem("y" * 63 + "é" * 5, taken)
    assert long == "y" * 63
    folders: set[str] = set()
    assert stem("Folder / A.", folders, folder=True) == "Folder - A-"
    assert stem("Folder / A.", folders, folder=True) == "Folder - A-1"  # never `--1`


def test_convert_writes_json_or_a_tree_and_leaves_a_non_empty_directory_alone(
    tmp_path: Path,
) -> None:
    root = write(tmp_path / "books", BOOKS)
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(root), "-o", str(tmp_path / "books.json")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "books.json").read_text())
    assert data["info"]["name"] == "Books"
    result = runner.invoke(main, ["convert", str(tmp_path / "books.json"), "-o", str(root)])
    assert result.exit_code == 1
    assert "is not empty (give --force" in result.output
    result = runner.invoke(
        main, ["convert", str(tmp_path / "books.json"), "-o", str(tmp_path / "v3")]
    )
    assert result.exit_code == 0, result.output
    again = load_collection(tmp_path / "v3")
    assert [e.name for e in again.examples] == [e.name for e in load_collection(root).examples]


async def same_answers(name: str, first: Index, second: Index) -> list[str]:
    """Calls of `first`'s examples (by path, by name, by id) answered differently by `second`
    (but the URLs a v3 tree cannot hold as the v2.1 file does: DRIFT)."""
    from urllib.parse import urlencode

    calls = []
    for example in first.examples:
        by_path = replay_call(example)
        by_path.query_string = urlencode(list(by_path.query))
        calls.append(("path", by_path))
        if sendable(example.name):
            by_name = replay_call(example, {"x-mock-response-name": example.name})
            by_name.query_string = by_path.query_string
            calls.append(("name", by_name))
        if example.example.saved_id:
            by_id = replay_call(example, {"x-mock-response-id": example.id})
            by_id.query_string = by_path.query_string
            calls.append(("id", by_id))
    expected, got = await answers(first, calls), await answers(second, calls)
    return [
        f"{how} {call.method} {call.path}: {want} vs {have}"
        for (how, call), want, have in zip(calls, expected, got, strict=True)
        if (name, call.path) not in DRIFT
        and (
            want[:2] != have[:2]
            # an example that saved neither a Content-Type nor a preview language: migrate
            # (and convert) write `type: text`, and body.type gives text/plain
            or (
                want[2] != have[2]
                and not (
                    want[2] in ("", "application/octet-stream") and have[2].startswith("text/plain")
                )
            )
        )
    ]


CORPUS = sorted((SHARED / "corpus" / "collections").glob("*.postman_collection.json"))


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS, reason=f"no corpus at {SHARED / 'corpus'}")
async def test_round_trips_through_v3_and_back_serve_every_corpus_example_alike(
    tmp_path: Path,
) -> None:
    from mockpost.postman.jsonfile import read_json
    from mockpost.postman.v3 import v3_document
    from mockpost.postman.v3write import write_v3

    differ: list[str] = []
    for path in CORPUS:
        name = path.name.split(".postman_")[0]
        v21 = build_index(load_collection(path))
        write_v3(read_json(path), tmp_path / name)
        v3 = build_index(load_collection(tmp_path / name))  # v2.1 -> v3
        differ += [f"{name} v2.1 -> v3: {d}" for d in await same_answers(name, v21, v3)]
        back = tmp_path / f"{name}.json"
        back.write_text(json.dumps(v3_document(tmp_path / name)[0]))
        again = build_index(load_collection(back))  # v3 -> v2.1
        differ += [f"{name} v3 -> v2.1: {d}" for d in await same_answers(name, v3, again)]
    for tree in MIGRATED:  # Postman's own v3 -> v2.1 -> v3
        migrated = build_index(load_collection(tree))
        write_v3(v3_document(tree)[0], tmp_path / "again" / tree.name)
        again = build_index(load_collection(tmp_path / "again" / tree.name))
        differ += [
            f"{tree.name} v3 -> v3: {d}" for d in await same_answers(tree.name, migrated, again)
        ]
    assert differ == []


POSTMAN = (
    Path(__file__).resolve().parents[1] / ".venv" / "postman" / "node_modules" / ".bin" / "postman"
)


def postman_lint(tree: Path, home: Path) -> dict[str, Any]:
    """`postman collection lint TREE -r json`, Postman's CLI run with a home of its own."""
    import os
    import subprocess

    env = {**os.environ, "HOME": str(home), "POSTMAN_DISABLE_TELEMETRY": "1"}
    done = subprocess.run(
        [str(POSTMAN), "collection", "lint", str(tree), "-r", "json"],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.mark.slow
@pytest.mark.no_mock
@pytest.mark.skipif(not CORPUS, reason=f"no corpus at {SHARED / 'corpus'}")
@pytest.mark.skipif(
    not POSTMAN.exists(), reason=f"no Postman CLI at {POSTMAN} (scripts/check installs it)"
)
def test_postmans_own_linter_accepts_every_tree_mockpost_writes(tmp_path: Path) -> None:
    from mockpost.postman.jsonfile import read_json
    from mockpost.postman.v3 import v3_document
    from mockpost.postman.v3write import write_v3

    trees = []
    for path in CORPUS:
        tree = tmp_path / path.name.split(".postman_")[0]
        write_v3(read_json(path), tree)
        trees.append(tree)
    for tree in MIGRATED:  # two of these fail Postman's lint as Postman's migrate wrote them
        if tree.name.startswith("adyen-"):
            again = tmp_path / "again" / tree.name
            write_v3(v3_document(tree)[0], again)
            trees.append(again)
    from mockpost.record.file import open_recording
    from tests.test_v3_record import answered

    recorded = tmp_path / "recorded"  # a copy of a collection, with calls recorded into it
    record = open_recording(recorded, "https://api.example.com", CORPUS[0])
    record.add(answered("GET", "/api/users/1", 200, b'{"id": 1}'))
    record.add(answered("GET", "/api/users/1", 404, b"gone", "text/plain"))
    record.add(answered("POST", "/blob", 201, bytes(range(256)), "image/png"))
    trees.append(recorded)
    errors = []
    for tree in trees:
        report = postman_lint(tree, tmp_path / "home")
        assert report["filesScanned"] > 0, tree
        errors += [f"{tree.name}: {d['ruleId']} {d['message']}" for d in report["diagnostics"]]
    assert errors == []


async def test_the_call_log_names_the_file_a_v3_example_came_from(
    tmp_path: Path, aiohttp_client: Any
) -> None:
    root = write(tmp_path / "books", BOOKS)
    client = await aiohttp_client(create_app(Runtime(build_index(load_collection(root)))))
    assert (await client.get("/books/7?since=2024-01-01")).status == 200
    calls = await (await client.get("/__mockpost/calls")).json()
    [call] = calls["calls"]
    assert call["example"]["file"] == ".resources/Get book.resources/examples/OK.example.yaml"
    har = await (await client.get("/__mockpost/calls.har")).json()
    assert (
        "in .resources/Get book.resources/examples/OK.example.yaml"
        in (har["log"]["entries"][0]["comment"])
    )


def test_a_fifo_a_link_loop_and_an_unreadable_file_never_hang_the_load(tmp_path: Path) -> None:
    import os

    root = write(tmp_path / "books", BOOKS)
    os.mkfifo(root / "Waiting.request.yaml")  # opened, it would wait for a writer forever
    (root / "Loop").symlink_to(root, target_is_directory=True)
    locked = write(root, {"Locked.request.yaml": "url: https://x/locked\n"}) / "Locked.request.yaml"
    locked.chmod(0)
    started = time.monotonic()
    collection = load_collection(root)
    assert time.monotonic() - started < 5
    assert len(collection.examples) == 2
    assert any("linked directories" in note for note in collection.notes)
    if os.geteuid() != 0:  # root reads a file whatever its mode
        assert any(d.where == "Locked.request.yaml" for d in collection.dropped)
