"""Mocks that remember: scenarios written as tags in example names, requests that answer in
turn or at random, and a session per caller, through the real aiohttp app."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from mockpost.matching.index import build_index
from mockpost.postman.reader import parse_collection
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.web.app import create_app
from tests.conftest import collection, example, item


def served(data: dict[str, Any], settings: Settings | None = None) -> TestClient[Any, Any]:
    runtime = Runtime(build_index(parse_collection(data)), settings)
    return TestClient(TestServer(create_app(runtime)))


async def bodies(
    client: TestClient[Any, Any], calls: list[tuple[str, str, dict[str, str]]]
) -> list[str]:
    said = []
    for method, path, headers in calls:
        async with client.request(method, path, headers=headers) as response:
            said.append(f"{response.status} {await response.text()}")
    return said


RETRY = collection(
    item(
        "Login",
        example("Down [login: Started -> up]", "{{baseUrl}}/login", code=500, body="down"),
        example("Up [login: up]", "{{baseUrl}}/login", body="up"),
    )
)


async def test_the_first_call_fails_and_the_retry_succeeds() -> None:
    async with served(RETRY) as client:
        said = await bodies(client, [("GET", "/login", {})] * 3)
        call = await (await client.get("/__mockpost/calls/1")).json()
    assert said == ["500 down", "200 up", "200 up"]
    assert call["session"] == "default"
    assert call["state"] == {"login": ["Started", "up"]}
    assert "scenario login: Started -> up" in call["notes"]


CART = collection(
    item(
        "Cart",
        example("Empty cart [cart: empty]", "{{baseUrl}}/cart", body="[]"),
        example("Cart with items [cart: has-items]", "{{baseUrl}}/cart", body='["apple"]'),
    ),
    item(
        "Add",
        example("Item added [cart: * -> has-items]", "{{baseUrl}}/cart", method="POST", code=201),
    ),
    item(
        "Empty",
        example("Cart emptied [cart: * -> empty]", "{{baseUrl}}/cart", method="DELETE", code=204),
    ),
)


async def test_a_cart_is_empty_until_something_is_added_and_again_once_emptied() -> None:
    async with served(CART) as client:
        said = await bodies(
            client,
            [
                ("GET", "/cart", {}),  # no example requires Started: the first tag's state
                ("POST", "/cart", {}),
                ("GET", "/cart", {}),
                ("POST", "/cart", {}),  # `*`: from any state
                ("DELETE", "/cart", {}),
                ("GET", "/cart", {}),
            ],
        )
    assert said == ["200 []", "201 ", '200 ["apple"]', "201 ", "204 ", "200 []"]


async def test_two_sessions_keep_their_own_state() -> None:
    alice = {"x-mockpost-session": "alice"}
    bob = {"Cookie": "mockpost_session=bob"}
    async with served(RETRY) as client:
        said = await bodies(
            client,
            [("GET", "/login", alice), ("GET", "/login", alice), ("GET", "/login", bob)],
        )
        default = await bodies(client, [("GET", "/login", {})])
    assert said == ["500 down", "200 up", "500 down"]  # bob starts fresh
    assert default == ["500 down"]  # and so does the default session


async def test_a_tag_is_not_part_of_the_name_for_x_mock_response_name() -> None:
    async with served(RETRY) as client:
        said = await bodies(
            client,
            [
                ("GET", "/login", {"x-mock-response-name": "Up"}),
                ("GET", "/login", {"x-mock-response-name": "Up [login: up]"}),
                ("GET", "/login", {"x-mock-response-name": "Down"}),
            ],
        )
    assert said == ["200 up", "200 up", "500 down"]


TURNS = collection(
    item(
        "Flaky [in-turn]",
        example("Error", "{{baseUrl}}/flaky", code=500, body="error"),
        example("Fine", "{{baseUrl}}/flaky", body="fine"),
    ),
    item(
        "Any [random]",
        *(example(f"Pick {n}", "{{baseUrl}}/any", body=str(n)) for n in range(5)),
    ),
    item(
        "Plain",
        example("First", "{{baseUrl}}/plain", body="first"),
        example("Second", "{{baseUrl}}/plain", body="second"),
    ),
)


async def test_a_request_tagged_in_turn_answers_its_examples_one_after_another() -> None:
    async with served(TURNS) as client:
        said = await bodies(client, [("GET", "/flaky", {})] * 5)
        plain = await bodies(client, [("GET", "/plain", {})] * 2)
        asked = await bodies(client, [("GET", "/plain", {"x-mockpost-mode": "in-turn"})] * 3)
    assert said == ["500 error", "200 fine", "500 error", "200 fine", "500 error"]
    assert plain == ["200 first", "200 first"]  # untagged: Postman's rule, always the first
    assert asked == ["200 first", "200 second", "200 first"]  # per call, with the header


async def test_random_answers_come_from_the_seeded_stream() -> None:
    async def draws(seed: int) -> list[str]:
        async with served(TURNS, Settings(seed=seed)) as client:
            return await bodies(client, [("GET", "/any", {})] * 12)

    first, again, other = await draws(1), await draws(1), await draws(2)
    assert first == again  # the same seed: the same answers, run after run
    assert first != other
    assert len(set(first)) > 2  # not always the same one


async def test_concurrent_calls_of_one_session_all_move_their_scenario() -> None:
    async with served(TURNS) as client:
        said = await asyncio.gather(*(client.get("/flaky") for _ in range(200)))
        statuses = sorted(r.status for r in said)
    assert statuses.count(500) == 100
    assert statuses.count(200) == 100  # in turn, none lost or repeated


async def test_a_collection_without_tags_keeps_its_replies_for_repeats() -> None:
    plain = collection(item("Plain", example("First", "{{baseUrl}}/plain", body="first")))
    runtime = Runtime(build_index(parse_collection(plain)))
    assert not runtime.state.stateful
    assert runtime.state.keeps_replies
    stateful = Runtime(build_index(parse_collection(RETRY)))
    assert stateful.state.stateful
    assert not stateful.state.keeps_decisions  # state decides: nothing kept by path alone
    assert json.dumps(stateful.states.snapshot()) == '{"default": {"login": "Started"}}'


async def test_the_state_api_shows_sets_and_resets_each_sessions_scenarios() -> None:
    async with served(CART) as client:
        state = await (await client.get("/__mockpost/state")).json()
        assert state["scenarios"] == {"cart": "empty"}
        assert state["sessions"] == {"default": {"cart": "empty"}}
        put = await client.put("/__mockpost/scenarios/cart", json={"state": "has-items"})
        assert put.status == 200
        assert (await bodies(client, [("GET", "/cart", {})])) == ['200 ["apple"]']
        bob = await client.put(
            "/__mockpost/scenarios/cart?session=bob", json={"state": "has-items"}
        )
        assert (await bob.json())["sessions"]["bob"] == {"cart": "has-items"}
        unknown = await client.put("/__mockpost/scenarios/nope", json={"state": "x"})
        assert unknown.status == 404
        assert "the collection's: cart" in (await unknown.json())["error"]["message"]
        bad = await client.put("/__mockpost/scenarios/cart", json={"state": ""})
        assert bad.status == 400
        form = await client.put(
            "/__mockpost/scenarios/cart",
            data="state=empty",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status == 415  # no state change from a plain form
        reset = await client.post("/__mockpost/state/reset?session=bob")
        assert "bob" not in (await reset.json())["sessions"]
        assert (await bodies(client, [("GET", "/cart", {})])) == ['200 ["apple"]']
        await client.post("/__mockpost/reset")  # the whole mock's reset: state too
        assert (await bodies(client, [("GET", "/cart", {})])) == ["200 []"]


def test_a_reload_keeps_the_state_of_scenarios_still_there_and_drops_the_rest() -> None:
    both = collection(*CART["item"], *RETRY["item"])
    runtime = Runtime(build_index(parse_collection(both)))
    runtime.states.move("alice", "cart", "has-items")
    runtime.states.move("alice", "login", "up")
    runtime.swap(index=build_index(parse_collection(CART)))  # login's tags are gone
    assert runtime.states.snapshot()["alice"] == {"cart": "has-items"}


def test_validate_lists_scenarios_and_warns_of_states_nothing_reaches(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from mockpost.cli import main

    odd = collection(
        *CART["item"],
        item("Lost", example("Lost [cart: lost]", "{{baseUrl}}/lost", body="?")),
    )
    path = tmp_path / "cart.json"
    path.write_text(json.dumps(odd))
    result = CliRunner().invoke(main, ["validate", str(path), "--json", "--strict"])
    assert result.exit_code == 0, result.output  # examples reached by state are not "never chosen"
    [scenario] = json.loads(result.output)["scenarios"]
    assert scenario["first"] == "empty"
    assert scenario["states"] == ["empty", "has-items", "lost"]
    assert [(t["from"], t["to"]) for t in scenario["transitions"]] == [
        ("*", "has-items"),
        ("*", "empty"),
    ]
    assert scenario["warnings"] == ["state 'lost' is required, but no example sets it"]
    said = " ".join(CliRunner().invoke(main, ["validate", str(path)]).output.split())
    assert "Scenario cart: starts 'empty'; states: empty, has-items, lost" in said


TODOS = collection(
    {
        "name": "Todos [crud]",
        "item": [
            item(
                "List",
                example(
                    "Todos",
                    "{{baseUrl}}/todos",
                    body=json.dumps({"data": [{"id": 1, "title": "milk", "done": False}],
                                     "total": 1}),
                ),
            ),
            item("Add", example("Added", "{{baseUrl}}/todos", method="POST", code=201,
                                body='{"id": 9, "title": "x"}')),
            item("Get", example("One", "{{baseUrl}}/todos/{{id}}", body='{"id": 9}')),
        ],
    }
)  # fmt: skip


async def call_json(client: TestClient[Any, Any], method: str, path: str, **kw: Any) -> Any:
    async with client.request(method, path, **kw) as response:
        text = await response.text()
        data = json.loads(text) if text else None
        return response.status, data, response.headers


async def test_a_crud_folder_stores_lists_reads_changes_and_deletes() -> None:
    async with served(TODOS) as client:
        status, listed, headers = await call_json(client, "GET", "/todos")
        assert (status, listed, headers["X-Total-Count"]) == (
            200,
            {"data": [{"id": 1, "title": "milk", "done": False}], "total": 1},  # its wrapper
            "1",
        )
        status, made, _ = await call_json(client, "POST", "/todos", json={"title": "eggs"})
        assert (status, made) == (201, {"title": "eggs", "id": 2})  # the next integer
        status, one, _ = await call_json(client, "GET", "/todos/2")
        assert (status, one) == (200, {"title": "eggs", "id": 2})
        patched = await call_json(client, "PATCH", "/todos/2", json={"done": True})
        assert patched[1] == {"title": "eggs", "id": 2, "done": True}
        put = await call_json(client, "PUT", "/todos/2", json={"title": "ham", "id": 99})
        assert put[1] == {"title": "ham", "id": 2}  # the id stays its own
        status, listed, _ = await call_json(client, "GET", "/todos?title=ham")
        assert listed["data"] == [{"title": "ham", "id": 2}]
        assert listed["total"] == 1
        page = await call_json(client, "GET", "/todos?_limit=1&_page=2")
        assert (page[1]["data"], page[2]["X-Total-Count"]) == ([{"title": "ham", "id": 2}], "2")
        assert (await call_json(client, "DELETE", "/todos/2"))[0] == 204
        status, missing, _ = await call_json(client, "GET", "/todos/2")
        assert (status, missing["error"]["name"]) == (404, "mockRequestNotFoundError")
        other = await call_json(client, "GET", "/todos", headers={"x-mockpost-session": "b"})
        assert other[1]["total"] == 1  # another session: the saved list, untouched


async def test_crud_from_the_command_line_with_uuid_ids_and_no_example() -> None:
    empty = collection(item("Other", example("Other", "{{baseUrl}}/other", body="{}")))
    async with served(empty, Settings(crud=("/v1/notes:uuid:id=key",))) as client:
        status, made, _ = await call_json(client, "POST", "/v1/notes", json={"text": "hi"})
        assert status == 201
        assert len(made["key"]) == 36  # a UUID
        status, listed, headers = await call_json(client, "GET", "/v1/notes")
        assert (status, listed, headers["X-Total-Count"]) == (200, [made], "1")
        status, _, _ = await call_json(client, "GET", "/v1/notes/nope")
        assert status == 404


async def test_two_hundred_concurrent_posts_get_two_hundred_distinct_ids() -> None:
    async with served(TODOS) as client:
        answers = await asyncio.gather(*(client.post("/todos", json={"n": n}) for n in range(200)))
        ids = [(await a.json())["id"] for a in answers]
    assert len(set(ids)) == 200


async def test_the_crud_api_shows_and_replaces_a_resources_items() -> None:
    async with served(TODOS) as client:
        await client.post("/todos", json={"title": "eggs"})
        state = await (await client.get("/__mockpost/state")).json()
        assert state["resources"] == {"/todos": {"id": "id", "uuid": False}}
        assert state["items"] == {"default": {"/todos": 2}}
        held = await (await client.get("/__mockpost/crud/todos")).json()
        assert [i["title"] for i in held] == ["milk", "eggs"]
        put = await client.put("/__mockpost/crud/todos", json=[{"id": 5, "title": "tea"}])
        assert put.status == 200
        made = (await call_json(client, "POST", "/todos", json={"title": "jam"}))[1]
        assert made["id"] == 6  # after the highest id it was given
        missing = await client.get("/__mockpost/crud/nope")
        assert missing.status == 404
        bad = await client.put("/__mockpost/crud/todos", json={"not": "a list"})
        assert bad.status == 400


async def test_tags_in_a_descriptions_fenced_block_work_as_in_names(tmp_path: Any) -> None:
    from mockpost.postman.reader import load_collection

    tree = tmp_path / "shop"
    examples = tree / ".resources" / "Login.resources" / "examples"
    examples.mkdir(parents=True)
    (tree / "Login.request.yaml").write_text(
        "$kind: http-request\nurl: /login\nmethod: GET\n"
        "examples: ./.resources/Login.resources/examples\n"
    )
    for name, tag, code, order in (
        ("Down", "login: Started -> up", 500, 1),
        ("Up", "login: up", 200, 2),
    ):
        (examples / f"{name}.example.yaml").write_text(
            "$kind: http-example\n"
            f"description: |\n  Retried.\n  ```mockpost\n  [{tag}]\n  ```\n"
            f"response:\n  statusCode: {code}\n  body: {{type: text, content: {name}}}\n"
            f"order: {order}\n"
        )
    runtime = Runtime(build_index(load_collection(tree)))
    async with TestClient(TestServer(create_app(runtime))) as client:
        said = await bodies(client, [("GET", "/login", {})] * 2)
        named = await bodies(client, [("GET", "/login", {"x-mock-response-name": "Up"})])
    assert said == ["500 Down", "200 Up"]
    assert named == ["200 Up"]
