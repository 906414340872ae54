"""Mock from history: `mockpost record` (a recording proxy), `serve --proxy [--record-to]`
and `mockpost import` (HAR), against real local servers over HTTP and HTTPS."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import mockpost
from mockpost.cli import main
from tests.conftest import EXAMPLE, ROOT, http, running_cli
from tests.target import PNG, running_target

SCHEMA = ROOT.parent / "shared" / "corpus" / "schemas" / "collection-v2.1.0.json"


CALLS: list[tuple[str, str, bytes | None, dict[str, str]]] = [
    ("GET", "/api/users/1", None, {}),
    ("GET", "/api/users/2?full=yes", None, {}),
    ("GET", "/api/users/404", None, {}),
    ("GET", "/api/users?page=2", None, {}),
    ("GET", "/api/users?page=3", None, {}),
    ("POST", "/api/users", b'{"name": "Ada"}', {"Content-Type": "application/json"}),
    ("PUT", "/api/users/7", b"name=Ada&role=admin", {
        "Content-Type": "application/x-www-form-urlencoded"
    }),
    ("DELETE", "/api/users/7", None, {}),
    ("POST", "/api/upload", bytes(range(200)), {"Content-Type": "application/octet-stream"}),
    ("GET", "/logo.png", None, {}),
    ("GET", "/api/zipped", None, {"Accept-Encoding": "gzip"}),
]  # fmt: skip


def collection_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def items_by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in data["item"]:
        if "item" in item:
            found.update(items_by_name(item))
        else:
            found[item["name"]] = item
    return found


def valid_collection(data: dict[str, Any]) -> None:
    if SCHEMA.exists():
        import jsonschema

        jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_recording_saves_every_call_and_serving_it_answers_the_same(tmp_path: Path) -> None:
    out = tmp_path / "recorded.postman_collection.json"
    with (
        running_target(tmp_path) as target,
        running_cli(target.url, "-o", str(out), command="record") as cli,
    ):
        answers = [
            http(cli.url + path, method, body, headers)[:2] for method, path, body, headers in CALLS
        ]
        direct = [
            http(target.url + path, method, body, headers)[:2]
            for method, path, body, headers in CALLS
        ]
        assert answers[:-1] == direct[:-1]
        assert answers[-1] == (200, b'{"zipped": true}')  # decoded on the way: gzip is dropped
        said = cli.stop()
    assert "GET     /api/users/1  200  saved as '200 OK' of 'GET /api/users/1'" in said
    data = collection_of(out)
    valid_collection(data)
    items = items_by_name(data)
    assert sorted(items) == sorted({f"{m} {p.split('?')[0]}" for m, p, _, _ in CALLS})
    pages = items["GET /api/users"]["response"]
    assert [e["name"] for e in pages] == ["200 OK", "200 OK 2"]
    assert [q["value"] for e in pages for q in e["originalRequest"]["url"]["query"]] == ["2", "3"]
    created = items["POST /api/users"]["response"][0]
    assert created["code"] == 201
    assert created["originalRequest"]["body"]["raw"] == '{"name": "Ada"}'
    form = items["PUT /api/users/7"]["response"][0]["originalRequest"]["body"]
    assert form["mode"] == "urlencoded"
    assert items["GET /logo.png"]["response"][0]["_mockpost_body_base64"]
    assert "Content-Encoding" not in json.dumps(items["GET /api/zipped"]["response"][0]["header"])
    with mockpost.serving(out) as mock:
        replayed = [
            http(mock.url + path, method, body, headers)[:2]
            for method, path, body, headers in CALLS
        ]
        mock.assert_all_matched()
    assert replayed == answers
    assert replayed[CALLS.index(("GET", "/logo.png", None, {}))][1] == PNG


def test_repeated_answers_are_saved_once_and_different_ones_numbered(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with (
        running_target(tmp_path) as target,
        running_cli(target.url, "-o", str(out), command="record") as cli,
    ):
        for _ in range(3):
            http(cli.url + "/api/count")
        for _ in range(2):
            http(cli.url + "/api/users/1")
        said = cli.stop()
    items = items_by_name(collection_of(out))
    assert [e["name"] for e in items["GET /api/count"]["response"]] == [
        "200 OK",
        "200 OK 2",
        "200 OK 3",
    ]
    assert len(items["GET /api/users/1"]["response"]) == 1
    assert "the same answer is saved already" in said
    assert f"recording stopped: 4 new examples saved in {out}" in " ".join(said.split())


def test_secrets_are_placeholders_unless_kept(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    secrets = {
        "Authorization": "Bearer eyJ-secret-token",
        "Cookie": "session=abc-secret",
        "X-Api-Key": "key-secret-123",
        "X-Auth-Token": "token-secret-456",
        "X-Client-Secret": "cs-secret-789",
    }
    with running_target(tmp_path) as target:
        args = (target.url, "-o", str(out), "--keep-header", "X-Client-Secret")
        with running_cli(*args, command="record") as cli:
            status, body, headers = http(cli.url + "/api/secret", headers=secrets)
            said = cli.stop()
    assert (status, json.loads(body)) == (200, {"authorized": True})  # sent on as they came
    assert "session=s3cr3t-session" in headers["Set-Cookie"]
    text = out.read_text(encoding="utf-8")
    for name in ("Bearer eyJ-secret-token", "abc-secret", "key-secret-123", "token-secret-456"):
        assert name not in text
    assert "s3cr3t-session" not in text
    assert "cs-secret-789" in text  # kept by name
    example = items_by_name(json.loads(text))["GET /api/secret"]["response"][0]
    sent = {h["key"]: h["value"] for h in example["originalRequest"]["header"]}
    assert sent["Authorization"] == "{{authorization}}"
    assert sent["X-Api-Key"] == "{{x_api_key}}"
    assert "Set-Cookie" not in {h["key"] for h in example["header"]}  # never served empty
    assert "redacted: Authorization, Cookie, X-Api-Key, X-Auth-Token, Set-Cookie" in said


def test_https_targets_need_their_certificate_trusted_or_insecure(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with running_target(tmp_path, https=True) as target:
        with running_cli(target.url, "-o", str(out), command="record") as cli:
            status, body, _ = http(cli.url + "/api/users/1")
            said = cli.stop()
        assert status == 502
        assert "CERTIFICATE_VERIFY_FAILED" in json.loads(body)["error"]["message"]
        assert "not recorded" in said
        with running_cli(target.url, "-o", str(out), "--insecure", command="record") as cli:
            assert http(cli.url + "/api/users/1")[0] == 200
        trusted = {"SSL_CERT_FILE": str(target.ca_file)}
        with running_cli(target.url, "-o", str(out), env=trusted, command="record") as cli:
            assert http(cli.url + "/api/users/2")[0] == 200
    assert {"GET /api/users/1", "GET /api/users/2"} <= set(items_by_name(collection_of(out)))


def test_a_recorder_killed_mid_session_loses_no_answered_call(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with (
        running_target(tmp_path) as target,
        running_cli(target.url, "-o", str(out), command="record") as cli,
    ):
        for user in range(20):
            assert http(f"{cli.url}/api/users/{user}")[0] == 200
        cli.process.send_signal(signal.SIGKILL)
        cli.process.wait(timeout=10)
    items = items_by_name(collection_of(out))
    assert {f"GET /api/users/{user}" for user in range(20)} <= set(items)


def test_an_existing_collection_keeps_every_item_and_gains_a_recorded_folder(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.json"
    before = EXAMPLE.read_bytes()
    with running_target(tmp_path) as target:
        args = (target.url, "-o", str(out), "--collection", str(EXAMPLE), "--name", "Shop + API")
        with running_cli(*args, command="record") as cli:
            http(cli.url + "/api/users/1")
    assert EXAMPLE.read_bytes() == before
    data = collection_of(out)
    original = json.loads(before)
    assert data["item"][: len(original["item"])] == original["item"]
    assert data["item"][-1]["name"] == "Recorded"
    assert [i["name"] for i in data["item"][-1]["item"]] == ["GET /api/users/1"]
    assert data["info"]["name"] == "Shop + API"
    valid_collection(data)


def test_recording_into_an_existing_file_adds_to_it(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with running_target(tmp_path) as target:
        for user in ("1", "2"):
            with running_cli(target.url, "-o", str(out), command="record") as cli:
                http(f"{cli.url}/api/users/{user}")
    assert set(items_by_name(collection_of(out))) == {"GET /api/users/1", "GET /api/users/2"}


def test_postmans_own_library_loads_a_recording(tmp_path: Path) -> None:
    library = ROOT / ".venv" / "node" / "node_modules" / "postman-collection"
    node = shutil.which("node")
    if node is None or not library.exists():
        pytest.skip("needs node and postman-collection (scripts/check installs newman with it)")
    out = tmp_path / "out.json"
    with (
        running_target(tmp_path) as target,
        running_cli(target.url, "-o", str(out), command="record") as cli,
    ):
        for method, path, body, headers in CALLS:
            http(cli.url + path, method, body, headers)
    script = (
        "const {Collection} = require(process.argv[1]);"
        "const c = new Collection(JSON.parse(require('fs').readFileSync(process.argv[2])));"
        "let n = 0; c.forEachItem((i) => { n += i.responses.count(); });"
        "console.log(c.items.count() + ' ' + n);"
    )
    result = subprocess.run(
        [node, "-e", script, str(library), str(out)], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        str(len({(m, p.split("?")[0]) for m, p, _, _ in CALLS})),
        str(len(CALLS)),
    ]


def test_bad_record_arguments_are_one_line_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2")
    for args, message in (
        (
            ["ftp://x", "-o", str(tmp_path / "o.json")],
            "'ftp://x' is not an http:// or https:// URL",
        ),
        (
            ["http://x", "-o", str(tmp_path / "o.json"), "--collection", str(broken)],
            "is not valid JSON",
        ),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "mockpost", "record", *args, "--port", "0"],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ},
        )
        assert result.returncode != 0
        assert message in result.stderr
        assert "Traceback" not in result.stderr


# -- fall-through while serving ----------------------------------------------------------


def test_calls_no_example_answers_go_to_the_target(tmp_path: Path) -> None:
    with (
        running_target(tmp_path) as target,
        running_cli(str(EXAMPLE), "--proxy", target.url) as cli,
    ):
        assert http(cli.url + "/v1/users/1")[0] == 200  # an example answers
        status, body, _ = http(cli.url + "/api/users/5")
        assert (status, json.loads(body)) == (200, {"id": "5", "seen": {}})
        listed = json.loads(http(cli.url + "/__mockpost/calls")[1])["calls"]
        said = cli.stop()
    assert [c["how"] for c in listed] == ["proxied", "score"]
    assert f"proxy: calls no example answers go to {target.url}" in cli.banner
    assert "GET     /api/users/5  200  proxied" in said


def test_fall_through_records_and_the_mock_answers_the_next_identical_call(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded.json"
    with running_target(tmp_path) as target:
        args = (str(EXAMPLE), "--proxy", target.url, "--record-to", str(recorded))
        with running_cli(*args) as cli:
            first = http(cli.url + "/api/count")[1]
            assert http(cli.url + "/api/count")[1] == first  # the mock's, not the next count
            hows = [c["how"] for c in json.loads(http(cli.url + "/__mockpost/calls")[1])["calls"]]
            assert hows == ["score", "proxied"]
            assert http(cli.url + "/v1/users/1")[0] == 200  # the collection still answers
            said = " ".join(cli.stop().split())
    assert f"recording stopped: 1 new example saved in {recorded}" in said
    assert "reloaded" not in said  # the recording's own rebuilds go unsaid
    items = items_by_name(collection_of(recorded))
    assert [e["name"] for e in items["GET /api/count"]["response"]] == ["200 OK"]
    with running_target(tmp_path) as target:  # a new run serves what was recorded before
        args = (str(EXAMPLE), "--proxy", target.url, "--record-to", str(recorded))
        with running_cli(*args) as cli:
            assert http(cli.url + "/api/count")[1] == first


def test_record_to_needs_proxy_and_another_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mockpost.cli import main

    result = CliRunner().invoke(
        main, ["serve", str(EXAMPLE), "--record-to", str(tmp_path / "r.json")]
    )
    assert (result.exit_code, "give --proxy too" in result.output) == (2, True)
    copy = tmp_path / "api.json"
    copy.write_bytes(EXAMPLE.read_bytes())
    args = ["serve", str(copy), "--proxy", "http://127.0.0.1:9", "--record-to", str(copy)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "--record-to needs another file than the collection" in result.output


def test_an_unreachable_target_is_a_502_saying_why(tmp_path: Path) -> None:
    with running_cli(str(EXAMPLE), "--proxy", "http://127.0.0.1:9") as cli:
        status, body, _ = http(cli.url + "/api/users/5")
    assert status == 502
    assert "the target failed" in json.loads(body)["error"]["message"]


# -- HAR import --------------------------------------------------------------------------

HAR_FIXTURE = Path(__file__).with_name("data") / "browser.har"


def import_har(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockpost", "import", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_browsers_har_becomes_a_collection_of_its_api_calls(tmp_path: Path) -> None:
    out = tmp_path / "from-har.json"
    result = import_har(
        HAR_FIXTURE, "-o", out, "--include", "https://shop.example.com/api/", "--exclude-static"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"wrote {out}: 3 requests, 4 examples from 9 entries "
        "(4 left out by --include or --exclude-static; 1 with no answer)"
    )
    data = collection_of(out)
    valid_collection(data)
    items = items_by_name(data)
    assert sorted(items) == ["GET /api/cart", "GET /api/products", "POST /api/cart/items"]
    with mockpost.serving(out) as mock:
        status, body, _ = http(mock.url + "/api/products?category=books")
        assert (status, json.loads(body)["products"][0]["title"]) == (200, "Dune")
        status, body, _ = http(mock.url + "/api/products?category=games")
        assert json.loads(body)["products"] == []
        assert http(mock.url + "/api/cart/items", "POST", b'{"sku": "B-1"}')[0] == 201
        mock.assert_all_matched()


def test_a_har_keeps_static_files_unless_told_and_serves_their_bytes(tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    assert import_har(HAR_FIXTURE, "-o", out).returncode == 0
    with mockpost.serving(out) as mock:
        status, body, headers = http(mock.url + "/static/logo.png")
    assert (status, headers["Content-Type"], body[:4]) == (200, "image/png", b"\x89PNG")


def test_mockposts_own_calls_har_imports_and_serves_the_same(tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    paths = ["/v1/users/1", "/v1/users", "/v1/orders/ord_1001", "/v1/health"]
    with mockpost.serving(EXAMPLE, seed=1) as mock:
        first = [http(mock.url + path)[:2] for path in paths]
        har = tmp_path / "calls.har"
        har.write_bytes(http(mock.url + "/__mockpost/calls.har")[1])
    assert import_har(har, "-o", out).returncode == 0
    with mockpost.serving(out) as mock:
        assert [http(mock.url + path)[:2] for path in paths] == first


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"log": {"entries": {}}}', "expected an array, found an object (at $.log.entries)"),
        ('{"log": {"entries": [{"request": {"url": 5}}]}}', "(at $.log.entries[0].request.url)"),
        ("{", "is not valid JSON"),
        ('{"entries": []}', "expected an object, found nothing (at $.log)"),
    ],
)
def test_a_bad_har_is_one_line_naming_the_place(tmp_path: Path, content: str, message: str) -> None:
    har = tmp_path / "bad.har"
    har.write_text(content)
    result = import_har(har, "-o", tmp_path / "out.json")
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.json").exists()


def test_a_har_status_written_as_200_0_is_read_and_a_text_status_is_refused(tmp_path: Path) -> None:
    har = tmp_path / "odd.har"
    entry = {
        "request": {"method": "GET", "url": "https://x.example/a", "headers": []},
        "response": {"status": 200.0, "headers": [], "content": {"text": "ok"}},
    }
    har.write_text(json.dumps({"log": {"entries": [entry]}}))
    assert import_har(har, "-o", tmp_path / "out.json").returncode == 0
    entry["response"]["status"] = "200"  # type: ignore[index]
    har.write_text(json.dumps({"log": {"entries": [entry]}}))
    result = import_har(har, "-o", tmp_path / "out2.json")
    assert "expected a status code, found a string (at $.log.entries[0].response.status)" in (
        result.stderr
    )


async def test_an_answer_over_the_limit_is_refused_not_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from multidict import CIMultiDict, CIMultiDictProxy

    from mockpost.web import proxy

    monkeypatch.setattr(proxy, "MAX_ANSWER", 10)
    with running_target(tmp_path) as target:
        forwarder = proxy.Forwarder(target.url)
        await forwarder.start()
        try:
            with pytest.raises(proxy.ProxyError, match="an answer over 10 bytes"):
                await forwarder.forward(
                    "GET", "/api/users", "", CIMultiDictProxy(CIMultiDict()), b""
                )
        finally:
            await forwarder.close()


def test_a_redirect_to_the_target_is_followed_through_the_proxy(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with (
        running_target(tmp_path) as target,
        running_cli(target.url, "-o", str(out), command="record") as cli,
    ):
        status, body, _ = http(cli.url + "/api/moved")  # urllib follows the redirect
        assert (status, json.loads(body)["id"]) == (200, "1")
    items = items_by_name(collection_of(out))
    moved = items["GET /api/moved"]["response"][0]
    assert moved["code"] == 302
    assert {h["key"]: h["value"] for h in moved["header"]}["Location"] == "/api/users/1"
    assert "GET /api/users/1" in items  # the redirect was followed through the recorder


def test_any_har_shaped_json_imports_or_says_what_is_wrong_in_one_line(tmp_path: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from mockpost.errors import LoadError
    from mockpost.record.har import import_har as build

    scalars = st.none() | st.booleans() | st.integers(-5, 1000) | st.floats() | st.text(max_size=8)
    values = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=10,
    )
    urls = st.sampled_from(["https://a.example/x?y=1", "http://b/", "ftp://c", "nope", ""])
    entry = st.fixed_dictionaries(
        {
            "request": st.fixed_dictionaries(
                {"method": st.sampled_from(["GET", "POST", 5]), "url": urls},
                optional={"headers": values, "postData": values},
            )
            | values,
            "response": st.fixed_dictionaries(
                {"status": st.sampled_from([200, 0, 404.0, "200", None, True])},
                optional={"headers": values, "content": values, "statusText": values},
            )
            | values,
        }
    )
    har = tmp_path / "fuzz.har"

    @settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(entry | values, max_size=4))
    def imports(entries: list[Any]) -> None:
        har.write_text(json.dumps({"log": {"entries": entries}}, allow_nan=True))
        refused = None
        try:
            build(har, tmp_path / "out.json")
        except LoadError as error:
            refused = str(error)
        assert refused is None or "\n" not in refused

    imports()


def har_of(**change: Any) -> dict[str, Any]:
    """A HAR of one well-formed entry, with `request_*`/`response_*` fields changed."""
    entry: dict[str, Any] = {
        "request": {"method": "GET", "url": "https://x.example/a", "headers": []},
        "response": {"status": 200, "headers": [], "content": {"text": "ok"}},
    }
    for key, value in change.items():
        side, _, name = key.partition("_")
        entry[side][name] = value
    return {"log": {"entries": [entry]}}


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            {"request_url": "http://x.example:99999/a"},
            "Port out of range 0-65535 (at $.log.entries[0].request.url)",
        ),
        ({"request_url": "http://x.example:port/a"}, "is not a valid URL"),
        ({"request_url": "http://[::1/a"}, "Invalid IPv6 URL"),
        ({"request_url": "http://[zz::1]/a"}, "does not appear to be an IPv4 or IPv6"),
        ({"request_url": "http://x example/a"}, "a space or a control character"),
        ({"request_url": "http://x.example/a\u0000"}, "a space or a control character"),
        ({"request_method": ""}, "'' is not a method"),
        ({"request_method": "GE T"}, "'GE T' is not a method"),
        ({"request_headers": [{"name": "A", "value": 5}]}, "expected text, found a number"),
        ({"request_headers": [{"name": "A\nB", "value": "1"}]}, "is not a header name"),
        ({"response_headers": [{"name": "A", "value": "1\r\n2"}]}, "control character"),
        ({"request_postData": "a=1"}, "expected an object, found a string"),
        ({"request_postData": {"text": ["a"]}}, "(at $.log.entries[0].request.postData.text)"),
        ({"response_content": [1]}, "(at $.log.entries[0].response.content)"),
        ({"response_content": {"text": 5}}, "(at $.log.entries[0].response.content.text)"),
        ({"response_content": {"text": "", "mimeType": 1}}, "content.mimeType)"),
        ({"response_statusText": 200}, "(at $.log.entries[0].response.statusText)"),
    ],
)
def test_a_malformed_har_entry_is_one_line_naming_it(
    runner: CliRunner, tmp_path: Path, change: dict[str, Any], said: str
) -> None:
    har = tmp_path / "bad.har"
    har.write_text(json.dumps(har_of(**change)))
    result = runner.invoke(main, ["import", str(har), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 1
    assert said in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out.json").exists()


def test_include_that_matches_no_entry_is_an_error_not_an_empty_collection(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(
        main, ["import", str(HAR_FIXTURE), "-o", str(out), "--include", "https://typo.example/"]
    )
    assert result.exit_code == 1
    assert "no entry's URL starts with 'https://typo.example/' (of 9 entries)" in result.output
    assert not out.exists()


def test_mockposts_own_not_found_and_injected_answers_are_not_imported(tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    with mockpost.serving(EXAMPLE) as mock:
        http(mock.url + "/v1/users/1")
        http(mock.url + "/no/such/thing")
        http(mock.url + "/v1/users/1", headers={"x-mockpost-fault": "error:503"})
        har = tmp_path / "calls.har"
        har.write_bytes(http(mock.url + "/__mockpost/calls.har")[1])
    result = import_har(har, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "2 answered by mockpost itself" in result.stdout
    items = items_by_name(collection_of(out))
    assert list(items) == ["GET /v1/users/1"]
    assert [e["code"] for e in items["GET /v1/users/1"]["response"]] == [200]
