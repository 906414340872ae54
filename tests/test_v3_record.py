"""Recording into a v3 tree: `record -o DIR`, `import FILE.har -o DIR` and `serve --proxy
--record-to DIR` write Postman's current format, adding files to a tree and rewriting none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import mockpost
from mockpost.cli import main
from mockpost.postman.reader import load_collection
from mockpost.record.exchange import Exchange
from mockpost.record.file import open_recording
from tests.conftest import EXAMPLE, http, running_cli
from tests.target import PNG, running_target
from tests.test_record import CALLS, HAR_FIXTURE, import_har


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def answered(
    method: str, path: str, status: int, body: bytes, content_type: str = "application/json"
) -> Exchange:
    return Exchange(
        method=method,
        path=path,
        query="",
        request_headers=(),
        request_body=b"",
        status=status,
        reason="",
        response_headers=(("Content-Type", content_type),),
        response_body=body,
        origin="https://api.example.com",
    )


def test_recording_into_a_directory_writes_a_v3_tree_that_answers_the_same(
    tmp_path: Path,
) -> None:
    out = tmp_path / "recorded"  # not there, no .json: a v3 tree
    with (
        running_target(tmp_path) as target,
        running_cli(target.url, "-o", str(out), command="record") as cli,
    ):
        answers = [
            http(cli.url + path, method, body, headers)[:2] for method, path, body, headers in CALLS
        ]
        cli.stop()
    files = files_of(out)
    assert ".resources/definition.yaml" in files
    assert "GET -api-users-1.request.yaml" in files  # `/` made `-`, as Postman names files
    examples = [f for f in files if f.endswith(".example.yaml")]
    assert len(examples) == len(CALLS)
    assert not any(f.endswith(".json") for f in files)
    with mockpost.serving(out) as mock:
        replayed = [
            http(mock.url + path, method, body, headers)[:2]
            for method, path, body, headers in CALLS
        ]
        mock.assert_all_matched()
    assert replayed == answers
    assert replayed[CALLS.index(("GET", "/logo.png", None, {}))][1] == PNG  # byte for byte


def test_recording_into_an_existing_tree_adds_files_and_rewrites_none(tmp_path: Path) -> None:
    tree = tmp_path / "shop"
    assert CliRunner().invoke(main, ["convert", str(EXAMPLE), "-o", str(tree)]).exit_code == 0
    # The author's own formatting and comments, which a rewrite would lose.
    request = next(tree.glob("*.request.yaml"))
    request.write_text("# kept as written\n" + request.read_text(encoding="utf-8"))
    before = files_of(tree)
    served_before = len(load_collection(tree).examples)

    record = open_recording(tree, "https://api.example.com")
    record.add(answered("GET", "/api/new", 200, b'{"new": true}'))
    record.add(answered("GET", "/api/new", 500, b'{"error": "down"}'))
    record.add(answered("GET", "/api/new", 200, b'{"new": true}'))  # the same answer: no file
    record2 = open_recording(tree, "https://api.example.com")  # a later run adds to it too
    record2.add(answered("GET", "/api/new", 404, b'{"error": "gone"}'))

    after = files_of(tree)
    assert {name: after[name] for name in before} == before  # not one byte changed
    assert sorted(set(after) - set(before)) == [
        ".resources/GET -api-new.resources/examples/200 OK.example.yaml",
        ".resources/GET -api-new.resources/examples/404 Not Found.example.yaml",
        ".resources/GET -api-new.resources/examples/500 Internal Server Error.example.yaml",
        "GET -api-new.request.yaml",
    ]
    collection = load_collection(tree)
    assert len(collection.examples) == served_before + 3
    assert collection.dropped == ()
    new = [e for e in collection.examples if e.request_name == "GET /api/new"]
    assert [(e.code, e.body) for e in new] == [
        (200, '{"new": true}'),
        (500, '{"error": "down"}'),
        (404, '{"error": "gone"}'),
    ]  # in the order they were recorded
    # the new request comes after the tree's own, in Postman's order
    assert collection.requests[-1].name == "GET /api/new"


def test_an_answer_to_a_request_of_the_tree_goes_beside_its_own_examples(tmp_path: Path) -> None:
    tree = tmp_path / "shop"
    (tree / ".resources" / "Get.resources" / "saved").mkdir(parents=True)
    (tree / "Get.request.yaml").write_text(
        "$kind: http-request\nurl: '{{baseUrl}}/api/thing'\nmethod: GET\n"
        "examples: ./.resources/Get.resources/saved\n"
    )
    (tree / ".resources" / "Get.resources" / "saved" / "200 OK.example.yaml").write_text(
        "$kind: http-example\nresponse:\n  statusCode: 200\n  body:\n    type: json\n"
        "    content: '{\"old\": 1}'\norder: 5000\n"
    )
    before = files_of(tree)
    record = open_recording(tree, "https://api.example.com")
    record.add(answered("GET", "/api/thing", 500, b'{"error": "down"}'))
    after = files_of(tree)
    assert {name: after[name] for name in before} == before
    assert sorted(set(after) - set(before)) == [
        ".resources/Get.resources/saved/500 Internal Server Error.example.yaml"
    ]
    collection = load_collection(tree)
    assert [(e.code, e.body) for e in collection.examples] == [
        (200, '{"old": 1}'),
        (500, '{"error": "down"}'),
    ]


def test_a_directory_that_holds_something_else_is_refused_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["import", str(HAR_FIXTURE), "-o", str(home)])
    assert result.exit_code == 1
    assert "holds no Postman collection" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert files_of(home) == {"notes.txt": b"mine"}


def test_a_har_imports_into_a_tree_and_a_second_import_adds_to_it(tmp_path: Path) -> None:
    out = tmp_path / "from-har"
    first = import_har(HAR_FIXTURE, "-o", out)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"wrote {out}:")
    before = files_of(out)
    served = len(load_collection(out).examples)
    assert served > 0
    again = import_har(HAR_FIXTURE, "-o", out)  # the same calls: nothing new
    assert again.returncode == 0, again.stderr
    assert "0 requests, 0 examples" in again.stdout
    assert files_of(out) == before


def test_record_with_a_collection_copies_it_into_a_new_tree_with_a_recorded_folder(
    tmp_path: Path,
) -> None:
    out = tmp_path / "copy"
    before = EXAMPLE.read_bytes()
    with running_target(tmp_path) as target:
        args = (target.url, "-o", str(out), "--collection", str(EXAMPLE), "--name", "Shop + API")
        with running_cli(*args, command="record") as cli:
            http(cli.url + "/api/users/1")
    assert EXAMPLE.read_bytes() == before
    collection = load_collection(out)
    original = load_collection(EXAMPLE)
    assert collection.name == "Shop + API"
    assert len(collection.examples) == len(original.examples) + 1
    recorded = collection.requests[-1]
    assert (recorded.folders, recorded.name) == (("Recorded",), "GET /api/users/1")
    assert (out / "Recorded" / ".resources" / "definition.yaml").is_file()
    # into a directory that is not empty, a copy is refused
    result = CliRunner().invoke(
        main, ["record", "http://127.0.0.1:9", "-o", str(out), "--collection", str(EXAMPLE)]
    )
    assert result.exit_code == 1
    assert "it is not empty" in result.output


def test_the_mock_records_into_a_tree_and_answers_from_it_next_time(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    with running_target(tmp_path) as target:
        args = (str(EXAMPLE), "--proxy", target.url, "--record-to", str(recorded))
        with running_cli(*args) as cli:
            first = http(cli.url + "/api/count")[1]
            assert http(cli.url + "/api/count")[1] == first  # the mock's, not the next count
            said = " ".join(cli.stop().split())
    assert f"recording stopped: 1 new example saved in {recorded}" in said
    assert (recorded / "GET -api-count.request.yaml").is_file()
    with running_target(tmp_path) as target:  # a new run serves what was recorded before
        args = (str(EXAMPLE), "--proxy", target.url, "--record-to", str(recorded))
        with running_cli(*args) as cli:
            assert http(cli.url + "/api/count")[1] == first
    with mockpost.serving(recorded) as mock:  # and the tree serves on its own
        assert http(mock.url + "/api/count")[1] == first


@pytest.mark.parametrize("binary", [bytes(range(256)), b"\xff\xfe\x00plain"])
def test_a_binary_answer_recorded_into_a_tree_is_served_byte_for_byte(
    tmp_path: Path, binary: bytes
) -> None:
    tree = tmp_path / "bin"
    open_recording(tree, "https://api.example.com").add(
        answered("GET", "/blob", 200, binary, "application/octet-stream")
    )
    with mockpost.serving(tree) as mock:
        assert http(mock.url + "/blob")[1] == binary


def test_converting_a_recorded_tree_keeps_its_binary_answers(tmp_path: Path) -> None:
    tree = tmp_path / "bin"
    open_recording(tree, "https://api.example.com").add(
        answered("GET", "/blob", 200, PNG, "image/png")
    )
    out = tmp_path / "back.json"
    assert CliRunner().invoke(main, ["convert", str(tree), "-o", str(out)]).exit_code == 0
    assert "_mockpost_body_base64" in json.dumps(json.loads(out.read_text()))
    again = tmp_path / "again"
    assert CliRunner().invoke(main, ["convert", str(out), "-o", str(again)]).exit_code == 0
    with mockpost.serving(again) as mock:
        assert http(mock.url + "/blob")[1] == PNG
    shutil.rmtree(again)
