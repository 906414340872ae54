"""The workbench writing into a v3 tree (a directory of YAML files): only the files of the
added, edited or removed example or request change, and the mock answers accordingly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

import mockpost
from mockpost.matching.index import build_index
from mockpost.postman.v3 import load_v3
from mockpost.postman.v3write import write_v3
from tests.conftest import EXAMPLE, call_api, http, running_cli


def tree_of(tmp_path: Path) -> Path:
    root = tmp_path / "bookshop"
    write_v3(json.loads(EXAMPLE.read_text(encoding="utf-8")), root)
    return root


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_call_saved_into_a_tree_is_one_new_example_file(tmp_path: Path) -> None:
    root = tree_of(tmp_path)
    before = files_of(root)
    request = load_v3(root).requests[0]
    with running_cli(str(root), "--no-watch") as cli:
        assert http(cli.url + "/v1/nothing/here")[0] == 404
        call = json.loads(http(cli.url + "/__mockpost/calls")[1])["calls"][0]
        fields = {"call": call["id"], "request": request.where, "name": "Saved here"}
        status, said = call_api("POST", cli.url + "/__mockpost/examples", fields)
        assert status == 201, said
        answer = http(cli.url + "/v1/nothing/here")
        assert (answer[0], json.loads(answer[1])) == (200, {})
    after = files_of(root)
    new = sorted(set(after) - set(before))
    assert len(new) == 1, new
    assert new[0].endswith("Saved here.example.yaml")
    assert {k: after[k] for k in before} == before  # no file already there is touched
    saved = read_yaml_text((root / new[0]).read_bytes())
    assert saved["response"]["statusCode"] == 200
    others = [
        read_yaml_text(p.read_bytes())["order"] for p in (root / new[0]).parent.glob("*.yaml")
    ]
    assert saved["order"] == max(others)  # after the request's other examples


def test_an_example_of_a_tree_is_edited_and_removed_in_its_own_file(tmp_path: Path) -> None:
    root = tree_of(tmp_path)
    index = build_index(load_v3(root))
    target = index.examples[0]
    file = root / target.example.where
    assert file.is_file()
    before = files_of(root)
    with running_cli(str(root), "--no-watch") as cli:
        url = f"{cli.url}/__mockpost/examples/{target.id}"
        status, said = call_api("PUT", url, {"body": {"edited": True}, "code": 203})
        assert status == 200, said
        after = files_of(root)
        changed = [k for k in before if after[k] != before[k]]
        assert changed == [target.example.where]
        assert set(after) == set(before)
        edited = read_yaml_text(file.read_bytes())
        assert edited["response"]["statusCode"] == 203
        assert json.loads(edited["response"]["body"]["content"]) == {"edited": True}
        assert edited["order"] == read_yaml_text(before[target.example.where])["order"]
        edited_index = build_index(load_v3(root))
        assert edited_index.by_id[target.id][0].example.name == target.example.name
        assert http(url, "DELETE")[0] == 204
        assert not file.exists()
        assert set(before) - set(files_of(root)) == {target.example.where}
        assert call_api("DELETE", url)[0] == 404


def read_yaml_text(data: bytes) -> Any:
    found = yaml.safe_load(data)
    assert isinstance(found, dict)
    return found


def test_a_new_request_in_a_tree_is_a_new_request_file(tmp_path: Path) -> None:
    root = tree_of(tmp_path)
    before = files_of(root)
    with running_cli(str(root), "--no-watch") as cli:
        fields = {"method": "POST", "path": "/v1/carts", "code": 201, "body": {"cart": 1},
                  "folder": "Users"}  # fmt: skip
        status, said = call_api("POST", cli.url + "/__mockpost/requests", fields)
        assert status == 201, said
        answer = http(cli.url + "/v1/carts", "POST")
        assert (answer[0], json.loads(answer[1])) == (201, {"cart": 1})
    after = files_of(root)
    new = sorted(set(after) - set(before))
    assert [Path(n).name for n in new] == [
        "201 Created.example.yaml",
        "POST -v1-carts.request.yaml",
    ]
    assert all(n.startswith("Users/") for n in new)
    assert {k: after[k] for k in before} == before


def test_a_tree_changed_on_disk_is_not_written(tmp_path: Path) -> None:
    root = tree_of(tmp_path)
    request = load_v3(root).requests[0]
    with running_cli(str(root), "--no-watch") as cli:
        some = next(root.rglob("*.request.yaml"))
        some.write_text(some.read_text() + "\n# edited meanwhile\n")
        before = files_of(root)
        fields = {"request": request.where, "code": 500}
        status, said = call_api("POST", cli.url + "/__mockpost/examples", fields)
        assert status == 409, said
        assert files_of(root) == before


def test_the_python_mock_adds_an_example_to_a_tree(tmp_path: Path) -> None:
    root = tree_of(tmp_path)
    request = load_v3(root).requests[0]
    with mockpost.serving(root) as mock:
        mock.add_example(request.where, name="Gone", code=410, body='{"gone": true}')
        path = next(
            e.path.text for e in build_index(load_v3(root)).examples if e.example.name == "Gone"
        )
        status, body, _ = http(mock.url + path, headers={"x-mock-response-code": "410"})
    assert (status, json.loads(body)) == (410, {"gone": True})


def test_an_example_of_a_tree_duplicated_is_a_new_file_beside_it(tmp_path: Path) -> None:
    root = tree_of(tmp_path)
    target = build_index(load_v3(root)).examples[0]
    before = files_of(root)
    with running_cli(str(root), "--no-watch") as cli:
        fields = {"copy": target.id, "code": 500, "name": "Broken"}
        status, said = call_api("POST", cli.url + "/__mockpost/examples", fields)
        assert status == 201, said
        answer = http(cli.url + target.path.text, headers={"x-mock-response-code": "500"})
        assert answer[0] == 500
    after = files_of(root)
    new = sorted(set(after) - set(before))
    assert new == [str(Path(target.example.where).parent / "Broken.example.yaml")]
    assert {k: after[k] for k in before} == before
