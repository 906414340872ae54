"""Saving an example into the collection file the mock serves: through the API, written in
place without reshaping anything else, refused on a conflict or in read-only mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockpost.postman.edit import EditError, add_example
from mockpost.postman.reader import load_collection
from tests.conftest import EXAMPLE, call_api, http, running_cli

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "collections"
TEAPOT = {
    "name": "Teapot",
    "originalRequest": {"method": "GET", "url": "{{baseUrl}}/tea"},
    "code": 418,
    "status": "I'm a teapot",
    "header": [{"key": "Content-Type", "value": "application/json"}],
    "body": '{"tea": true}',
}


def only_inserted(before: str, after: str) -> str:
    """What `after` adds to `before` in one place (asserting nothing else changed)."""
    start = 0
    while start < len(before) and before[start] == after[start]:
        start += 1
    end = 0
    while end < len(before) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    inserted = after[start : len(after) - end]
    assert before[:start] + inserted + before[len(before) - end :] == after
    return inserted


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.json")), ids=lambda p: p.name[:30])
def test_adding_an_example_to_a_real_collection_changes_nothing_else(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    collection = load_collection(path)
    request = collection.requests[-1]
    edited = add_example(text, request.where, TEAPOT)
    inserted = only_inserted(text, edited)
    assert "Teapot" in inserted
    data, expected = json.loads(edited), json.loads(text)
    holder: Any = expected
    for key in request.where.replace("[", ".").replace("]", "").split(".")[1:]:
        holder = holder[int(key) if key.isdigit() else key]
    holder.setdefault("response", []).append(TEAPOT)
    assert data == expected  # the file's data plus the example, nothing else
    again = load_collection_from_text(edited, path.name)
    assert len(again.examples) == len(collection.examples) + 1
    assert [e.body for e in again.examples if e.name != "Teapot"] == [
        e.body for e in collection.examples
    ]


def load_collection_from_text(text: str, name: str) -> Any:
    from mockpost.postman.reader import parse_collection

    return parse_collection(json.loads(text), name)


ONE_LINE = '{"info": {}, "item": [{"name": "a", "request": "x", "response": []}]}'
TABS = '{\n\t"item": [\n\t\t{\n\t\t\t"name": "a",\n\t\t\t"request": "x"\n\t\t}\n\t]\n}'
CRLF = (
    '{\r\n  "item": [\r\n    {\r\n      "name": "a",\r\n      "response": []\r\n    }\r\n  ]\r\n}'
)


@pytest.mark.parametrize(
    ("text", "where"),
    [(ONE_LINE, "$.item[0]"), (TABS, "$.item[0]"), (CRLF, "$.item[0]")],
    ids=["one-line", "no-response-list-tabs", "crlf-empty-list"],
)
def test_an_example_goes_in_the_files_own_style(text: str, where: str) -> None:
    edited = add_example(text, where, {"name": "x", "code": 200})
    assert json.loads(edited)["item"][0]["response"] == [{"name": "x", "code": 200}]
    if "\n" not in text:
        assert "\n" not in edited
    if "\r\n" in text:
        assert "\n" not in edited.replace("\r\n", "")
    if "\t" in text:
        assert "  " not in edited


def test_a_place_that_is_not_a_request_is_refused() -> None:
    with pytest.raises(EditError):
        add_example('{"item": [1]}', "$.item[0]", {"name": "x"})
    with pytest.raises(EditError):
        add_example('{"item": []}', "$.item[3]", {"name": "x"})


def test_a_404_call_saved_as_an_example_answers_the_next_call(tmp_path: Path) -> None:
    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    before = served.read_text()
    with running_cli(str(served), "--no-watch") as cli:
        assert http(cli.url + "/v1/users/1")[0] == 200
        first = json.loads(http(cli.url + "/__mockpost/calls")[1])["calls"][0]
        status, said = call_api(
            "POST",
            cli.url + "/__mockpost/examples",
            {"call": first["id"], "name": "Saved from a call", "code": 202,
             "body": '{"saved": true}'},
        )  # fmt: skip
        assert status == 201, said
        answer = http(cli.url + "/v1/users/1", headers={"x-mock-response-code": "202"})
        assert (answer[0], json.loads(answer[1])) == (202, {"saved": True})
    added = only_inserted(before, served.read_text())
    assert "Saved from a call" in added


def test_a_conflict_and_read_only_write_nothing(tmp_path: Path) -> None:
    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    request = load_collection(served).requests[0].where
    with running_cli(str(served), "--no-watch") as cli:
        served.write_text(served.read_text().replace("Ada", "Adda"))  # an editor, meanwhile
        changed = served.read_text()
        status, said = call_api(
            "POST", cli.url + "/__mockpost/examples", {"request": request, "code": 500}
        )
        assert status == 409
        assert "changed on disk" in said["error"]["message"]
        assert served.read_text() == changed
    with running_cli(str(served), "--no-watch", "--read-only") as cli:
        status, said = call_api(
            "POST", cli.url + "/__mockpost/examples", {"request": request, "code": 500}
        )
        assert status == 403
    assert served.read_text() == changed


def test_bad_fields_name_the_field(tmp_path: Path) -> None:
    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    request = load_collection(served).requests[0].where
    with running_cli(str(served), "--no-watch") as cli:
        for fields, field in (
            ({"request": "no such request"}, "request"),
            ({"request": request, "code": 99}, "code"),
            ({"call": 12345}, "call"),
            ({"request": request, "headers": 7}, "headers"),
        ):
            status, said = call_api("POST", cli.url + "/__mockpost/examples", fields)
            assert status in (400, 404), said
            assert said["error"]["field"] == field


def test_the_python_mock_adds_an_example_that_answers_at_once(tmp_path: Path) -> None:
    import mockpost

    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    request = load_collection(served).requests[0]
    with mockpost.serving(served) as mock:
        mock.add_example(request.name, name="Gone", code=410, body='{"gone": true}')
        status, body, _ = http(
            mock.url + request_path(served, request.where), headers={"x-mock-response-code": "410"}
        )
    assert (status, json.loads(body)) == (410, {"gone": True})


def request_path(served: Path, where: str) -> str:
    from mockpost.matching.index import build_index

    index = build_index(load_collection(served))
    found = next(e for e in index.examples if e.example.where.startswith(where + "."))
    return "/" + "/".join(
        s.replace("{{", "").replace("}}", "") or "x" for s in found.path.text.strip("/").split("/")
    )


def test_an_example_is_edited_and_removed_in_place(tmp_path: Path) -> None:
    from mockpost.matching.index import build_index

    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    index = build_index(load_collection(served))
    target = index.examples[0]
    path = request_path(served, target.example.where.rsplit(".response", 1)[0])
    code = str(target.code)
    before = served.read_text()
    with running_cli(str(served), "--no-watch") as cli:
        url = f"{cli.url}/__mockpost/examples/{target.id}"
        status, said = call_api("PUT", url, {"body": {"edited": True}, "name": "Edited"})
        assert status == 200, said
        edited = served.read_text()
        assert "edited" in only_inserted_or_replaced(before, edited)
        answer = http(cli.url + path, headers={"x-mock-response-name": "Edited"})
        assert json.loads(answer[1]) == {"edited": True}
        assert http(url, "DELETE")[0] == 204
        answer = http(cli.url + path, headers={"x-mock-response-name": "Edited"})
        assert answer[0] == 404
        assert call_api("DELETE", url)[0] == 404  # gone: no such example any more
    data = json.loads(served.read_text())
    original = json.loads(before)
    assert len(json.dumps(data)) < len(json.dumps(original))
    assert code  # (the example's own status, for the record)


def only_inserted_or_replaced(before: str, after: str) -> str:
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return after[start : len(after) - end]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.json")), ids=lambda p: p.name[:30])
def test_editing_or_removing_a_real_example_touches_only_that_example(path: Path) -> None:
    from mockpost.postman.edit import remove_example, replace_example

    text = path.read_text(encoding="utf-8")
    examples = load_collection(path).examples
    for example in {e.where: e for e in (examples[:1] + examples[-1:])}.values():
        keys = example.where.replace("[", ".").replace("]", "").split(".")[1:]
        expected: Any = json.loads(text)
        holder = expected
        for key in keys[:-1]:
            holder = holder[int(key) if key.isdigit() else key]
        edited = replace_example(text, example.where, TEAPOT)
        holder[int(keys[-1])] = TEAPOT
        assert json.loads(edited) == expected  # that example, and nothing else, is new
        assert "Teapot" in only_inserted_or_replaced(text, edited)
        removed = remove_example(text, example.where)
        del holder[int(keys[-1])]
        assert json.loads(removed) == expected


def test_a_404_call_saved_without_a_body_answers_200_with_an_empty_object(tmp_path: Path) -> None:
    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    request = load_collection(served).requests[0].name
    with running_cli(str(served), "--no-watch") as cli:
        assert http(cli.url + "/v1/new/thing?x=1")[0] == 404
        first = json.loads(http(cli.url + "/__mockpost/calls")[1])["calls"][0]
        status, said = call_api(
            "POST", cli.url + "/__mockpost/examples", {"call": first["id"], "request": request}
        )
        assert status == 201, said
        assert said["example"]["originalRequest"]["url"]["raw"] == "/v1/new/thing?x=1"
        again = http(cli.url + "/v1/new/thing?x=1")
        assert (again[0], json.loads(again[1])) == (200, {})


def test_a_new_request_from_nothing_answers_at_once(tmp_path: Path) -> None:
    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    before = served.read_text()
    folder = next(i["name"] for i in json.loads(before)["item"] if "item" in i)
    request_place = load_collection(served).requests[0].where
    with running_cli(str(served), "--no-watch") as cli:
        url = cli.url + "/__mockpost/requests"
        fields = {"method": "POST", "path": "/v1/carts", "code": 201, "body": {"cart": 1}}
        status, said = call_api("POST", url, fields)
        assert status == 201, said
        answer = http(cli.url + "/v1/carts", "POST")
        assert (answer[0], json.loads(answer[1])) == (201, {"cart": 1})
        in_folder = {"path": "/v1/ping", "body": "pong", "folder": folder,
                     "headers": {"Content-Type": "text/plain"}}  # fmt: skip
        assert call_api("POST", url, in_folder)[0] == 201
        assert http(cli.url + "/v1/ping")[1] == b"pong"
        for bad, field in (
            ({"path": "no-slash"}, "path"),
            ({"path": "/x", "method": "G E T"}, "method"),
            ({"path": "/x", "folder": "no such folder"}, "folder"),
            ({"path": "/x", "folder": request_place}, "folder"),  # a request, not a folder
        ):
            status, said = call_api("POST", url, bad)
            assert (status, said["error"]["field"]) == (400, field)
    after = served.read_text()
    data = json.loads(after)
    assert data["item"][-1]["name"] == "POST /v1/carts"
    placed = next(i for i in data["item"] if i.get("name") == folder)
    assert placed["item"][-1]["name"] == "GET /v1/ping"
    original = json.loads(before)
    original["item"].append(data["item"][-1])
    next(i for i in original["item"] if i.get("name") == folder)["item"].append(placed["item"][-1])
    assert data == original  # the two requests, and nothing else


def test_an_example_duplicated_with_another_status_answers_beside_it(tmp_path: Path) -> None:
    from mockpost.matching.index import build_index

    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    target = build_index(load_collection(served)).examples[0]
    path = request_path(served, target.example.where.rsplit(".response", 1)[0])
    with running_cli(str(served), "--no-watch") as cli:
        status, shown = call_api("GET", f"{cli.url}/__mockpost/examples/{target.id}")
        assert status == 200
        assert (shown["name"], shown["code"], shown["in_file"]) == (target.name, target.code, True)
        fields = {"copy": target.id, "code": 404, "body": {"error": "not found"}}
        status, said = call_api("POST", cli.url + "/__mockpost/examples", fields)
        assert status == 201, said
        answer = http(cli.url + path, headers={"x-mock-response-code": "404"})
        assert (answer[0], json.loads(answer[1])) == (404, {"error": "not found"})
        assert http(cli.url + path)[0] == target.code  # the original still answers
        assert call_api("POST", cli.url + "/__mockpost/examples", {"copy": "nope"})[0] == 404
        status, listed = call_api("GET", cli.url + "/__mockpost/requests")
        assert status == 200
        assert listed["writable"]
        assert [f["name"] for f in listed["folders"]]
        assert {r["where"] for r in listed["requests"]} == {
            r.where for r in load_collection(served).requests
        }
    data = json.loads(served.read_text())
    holder: Any = data
    for key in target.example.where.replace("[", ".").replace("]", "").split(".")[1:-1]:
        holder = holder[int(key) if key.isdigit() else key]
    copy = holder[-1]
    assert copy["name"] == f"{target.name} (copy)"
    assert copy["id"] not in (target.id, holder[int(target.example.where[-2])].get("id"))
    assert copy["originalRequest"] == holder[int(target.example.where[-2])]["originalRequest"]


WRITER = """
import sys
from pathlib import Path
from mockpost.lifecycle.write import write_example
path, where = Path(sys.argv[1]), sys.argv[2]
for n in range(100000):
    example = {"name": f"Written {n}", "code": 200, "body": "x" * 200000}
    write_example(path, None, where, example)
    print(n, flush=True)
"""


def test_a_kill_9_during_writes_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    """A process writing examples one after the other, killed at once (SIGKILL) at moments
    that fall inside writes: the file is always whole, with every example written before."""
    import random
    import signal
    import subprocess
    import sys
    import time

    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    where = load_collection(served).requests[0].where
    mode = served.stat().st_mode
    chance = random.Random(9)
    written = 0
    for _ in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(served), where],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        writer.stdout.readline()  # one write done: the next ones are under way
        time.sleep(chance.uniform(0.0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        text = served.read_text(encoding="utf-8")
        collection = load_collection_from_text(text, "api.json")  # whole, and served as ever
        names = [e.name for e in collection.examples if e.name.startswith("Written")]
        assert len(names) >= written + 1
        written = len(names)
        assert served.stat().st_mode == mode


SCHEMA = CORPUS.parent / "schemas" / "collection-v2.1.0.json"


@pytest.mark.skipif(not SCHEMA.is_file(), reason=f"no schema at {SCHEMA}")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.json")), ids=lambda p: p.name[:30])
def test_an_example_saved_from_a_call_keeps_a_collection_valid(path: Path) -> None:
    """An example as the API saves it (from a call, with its original request) added to a
    real collection: the result is as valid against Postman's v2.1 schema as the original
    (the official schema refuses some real exports as they are), and the example itself is
    a valid v2.1 response."""
    import jsonschema

    from mockpost.lifecycle.changes import original_of

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    text = path.read_text(encoding="utf-8")
    example = dict(TEAPOT, originalRequest=original_of("GET", "/v1/tea/1", "sugar=2&milk"))
    example.update(_postman_previewlanguage="json", cookie=[])
    edited = add_example(text, load_collection(path).requests[-1].where, example)
    before = sorted(
        str([*e.absolute_path, e.validator]) for e in validator.iter_errors(json.loads(text))
    )
    after = sorted(
        str([*e.absolute_path, e.validator]) for e in validator.iter_errors(json.loads(edited))
    )
    assert after == before
    response = {"$ref": "#/definitions/response", "definitions": schema["definitions"]}
    jsonschema.validate(example, response, cls=jsonschema.Draft7Validator)


def test_a_post_saved_from_a_call_keeps_its_body_so_the_same_post_gets_it(tmp_path: Path) -> None:
    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    sent = b'{"name": "Grace Hopper"}'
    kind = {"Content-Type": "application/json"}
    with running_cli(str(served), "--no-watch") as cli:
        first = http(cli.url + "/v1/users", "POST", sent, kind)
        assert first[0] == 201
        call = json.loads(http(cli.url + "/__mockpost/calls")[1])["calls"][0]
        fields = {"call": call["id"], "name": "Taken", "code": 409, "body": {"error": "taken"}}
        status, said = call_api("POST", cli.url + "/__mockpost/examples", fields)
        assert status == 201, said
        original = said["example"]["originalRequest"]
        assert original["header"] == [{"key": "Content-Type", "value": "application/json"}]
        assert original["body"]["raw"] == sent.decode()
        again = http(cli.url + "/v1/users", "POST", sent, kind)  # the same body: the saved one
        assert (again[0], json.loads(again[1])) == (409, {"error": "taken"})
        other = http(cli.url + "/v1/users", "POST", b'{"name": "Ada"}', kind)
        assert other[0] == 201  # another body: the collection's own answer


def test_a_recorded_example_is_shown_but_never_written_into_the_collection(
    tmp_path: Path,
) -> None:
    from tests.target import running_target

    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    before = served.read_bytes()
    recorded = tmp_path / "recorded.json"
    with running_target(tmp_path) as target:
        args = (str(served), "--no-watch", "--proxy", target.url, "--record-to", str(recorded))
        with running_cli(*args) as cli:
            assert http(cli.url + "/api/count")[0] == 200  # proxied and recorded
            assert http(cli.url + "/api/count")[0] == 200  # answered by the recording
            call = json.loads(http(cli.url + "/__mockpost/calls")[1])["calls"][0]
            example = call["example"]["id"]
            status, shown = call_api("GET", f"{cli.url}/__mockpost/examples/{example}")
            assert (status, shown["in_file"]) == (200, False)
            url = f"{cli.url}/__mockpost/examples/{example}"
            assert call_api("PUT", url, {"name": "x"})[0] == 404
            assert call_api("POST", cli.url + "/__mockpost/examples", {"copy": example})[0] == 404
            listed = call_api("GET", cli.url + "/__mockpost/requests")[1]["requests"]
            assert all(r["where"].startswith("$.item") for r in listed)
            fields = {"request": call["example"]["request"], "code": 500}
            assert call_api("POST", cli.url + "/__mockpost/examples", fields)[0] == 400
    assert served.read_bytes() == before


async def test_writes_sent_at_once_all_land_in_the_file(tmp_path: Path) -> None:
    """Twenty examples saved at the same moment, and examples removed meanwhile: every
    saved one is in the file, and each removal took the example it named."""
    import asyncio

    import aiohttp

    from mockpost.matching.index import build_index

    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    index = build_index(load_collection(served))
    request = index.examples[0].example.where.rsplit(".response", 1)[0]
    doomed = [e for e in index.examples if e.example.where.startswith(request + ".")]
    with running_cli(str(served), "--no-watch") as cli:
        async with aiohttp.ClientSession() as session:

            async def save(n: int) -> int:
                fields = {"request": request, "name": f"At once {n}", "code": 200 + n}
                async with session.post(cli.url + "/__mockpost/examples", json=fields) as r:
                    return r.status

            async def remove(example_id: str) -> int:
                async with session.delete(f"{cli.url}/__mockpost/examples/{example_id}") as r:
                    return r.status

            statuses = await asyncio.gather(
                *(save(n) for n in range(20)), *(remove(e.id) for e in doomed)
            )
    assert statuses == [201] * 20 + [204] * len(doomed)
    names = [e.name for e in load_collection(served).examples]
    assert sorted(n for n in names if n.startswith("At once")) == sorted(
        f"At once {n}" for n in range(20)
    )
    assert not {e.name for e in doomed} & set(names)


def without_ids(path: Path) -> Path:
    """The bundled collection written at `path` with no example ids (as over half of the
    corpus's examples are): its examples are named by their place."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))

    def strip(items: list[Any]) -> None:
        for item in items:
            strip(item.get("item", []))
            for response in item.get("response", []):
                response.pop("id", None)

    strip(data["item"])
    path.write_text(json.dumps(data, indent=2))
    return path


def test_an_example_the_workbench_writes_keeps_its_id_when_a_sibling_goes(tmp_path: Path) -> None:
    """Examples saved without an id are named by their place; the workbench gives each one it
    writes an id, as Postman does, so removing an example beside it does not rename it."""
    from mockpost.matching.index import build_index

    served = without_ids(tmp_path / "api.json")
    first = build_index(load_collection(served)).examples[0]
    with running_cli(str(served), "--no-watch") as cli:
        fields = {"copy": first.id, "code": 418}
        assert call_api("POST", cli.url + "/__mockpost/examples", fields)[0] == 201
        copy = next(e for e in build_index(load_collection(served)).examples if e.code == 418)
        assert http(f"{cli.url}/__mockpost/examples/{first.id}", "DELETE")[0] == 204
        status, shown = call_api("GET", f"{cli.url}/__mockpost/examples/{copy.id}")
        assert (status, shown["code"]) == (200, 418)


def test_a_write_that_read_other_content_is_refused_412(tmp_path: Path) -> None:
    """An example without an id is named by its place: once an example before it is removed,
    its id names the next one. A write that says what it read (If-Match, the etag of GET) is
    refused then, and nothing is written; consecutive edits with the etag each returns land
    (with the file watcher on, which reloads after each write too)."""
    from mockpost.matching.index import build_index

    served = without_ids(tmp_path / "api.json")
    index = build_index(load_collection(served))
    request = next(
        r.where for r in load_collection(served).requests if r.example_count >= 3
    )  # a request with three examples or more
    first, second = [e for e in index.examples if e.example.where.startswith(request + ".")][:2]
    with running_cli(str(served)) as cli:
        url = f"{cli.url}/__mockpost/examples/{second.id}"
        read = call_api("GET", url)[1]
        headers = http(url)[2]
        assert headers["ETag"] == f'"{read["etag"]}"'
        tag = {"If-Match": f'"{read["etag"]}"', "Content-Type": "application/json"}
        for n in range(2):  # consecutive edits, each with the etag the last one returned
            edit = json.dumps({"name": f"Edited {n}"}).encode()
            status, answer, _ = http(url, "PUT", edit, tag)
            assert status == 200, answer
            tag["If-Match"] = f'"{json.loads(answer)["etag"]}"'
        stale = dict(tag)
        assert http(f"{cli.url}/__mockpost/examples/{first.id}", "DELETE")[0] == 204
        before = served.read_text()
        status, answer, _ = http(url, "PUT", b'{"name": "Wrong one"}', stale)  # names another
        assert status == 412, answer
        assert http(url, "DELETE", None, {"If-Match": stale["If-Match"]})[0] == 412
        assert served.read_text() == before
        assert call_api("PUT", url, {"name": "No If-Match: taken as it is"})[0] == 200
