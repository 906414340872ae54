"""Who may use mockpost's API and page: other web pages and other machines are kept away from
the call log and the settings, while curl, scripts and the page itself keep working."""

from __future__ import annotations

import re
import socket
from typing import Any

import aiohttp
import pytest

from mockpost.calls.store import CallStore
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import Settings
from mockpost.web.app import create_app
from mockpost.web.guard import Access, host_allowed
from tests.conftest import (
    EXAMPLE,
    Serve,
    collection,
    example,
    http_get,
    item,
    running_cli,
    runtime_of,
)

SHOP = collection(item("User", example("User 1", "x/v1/users/1", body='{"id": 1}')))


async def logged_one_call(client: Any) -> None:
    await client.get("/v1/users/1", headers={"Authorization": "Bearer real-token"})
    assert runtime_of(client).store.last_id == 1


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:6625", "127.0.0.1.evil.example", "localhost.evil.example"],
)
async def test_a_foreign_host_cannot_read_the_call_log_or_change_the_settings(
    serve: Serve, host: str
) -> None:
    client = await serve(SHOP)
    await logged_one_call(client)
    for method, path in (("GET", "calls"), ("GET", "calls/1"), ("GET", "calls.har"), ("GET", "")):
        response = await client.request(method, "/__mockpost/" + path, headers={"Host": host})
        assert response.status == 403, path
        assert "real-token" not in await response.text()
    response = await client.patch(
        "/__mockpost/settings", json={"delay": 5000}, headers={"Host": host}
    )
    assert response.status == 403
    assert "--allow-host" in (await response.json())["error"]["message"]
    assert runtime_of(client).state.settings.delay.json() == 0


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost:6625", "[::1]:6625", "app.localhost", "127.0.0.5:80"]
)
async def test_loopback_names_reach_the_api(serve: Serve, host: str) -> None:
    client = await serve(SHOP)
    response = await client.get("/__mockpost/calls", headers={"Host": host})
    assert response.status == 200


@pytest.mark.parametrize(
    ("host", "access", "allowed"),
    [
        ("mock.test:6625", Access(hosts=("mock.test",)), True),
        ("MOCK.TEST.", Access(hosts=("mock.test",)), True),
        ("other.test", Access(hosts=("mock.test",)), False),
        ("192.168.1.20:6625", Access(bound="192.168.1.20"), True),
        ("192.168.1.21:6625", Access(bound="192.168.1.20"), False),
        ("10.1.2.3", Access(bound="0.0.0.0"), True),
        ("[fe80::1]:6625", Access(bound="::"), True),
        ("rebinding.example", Access(bound="0.0.0.0"), False),
        ("bad host\x00", Access(), False),
    ],
)
def test_the_bound_address_and_named_hosts_are_allowed(
    host: str, access: Access, allowed: bool
) -> None:
    assert host_allowed(host, access) is allowed


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b""),
        ("application/x-www-form-urlencoded", b"a=1"),
        ("multipart/form-data; boundary=x", b"--x--\r\n"),
        ("text/plain", b'{"delay": null}'),
        ("TEXT/PLAIN;charset=utf-8", b"x"),
        (None, b"x"),
    ],
)
async def test_a_plain_form_or_simple_fetch_cannot_reset_reload_or_clear(
    serve: Serve, content_type: str | None, body: bytes
) -> None:
    client = await serve(SHOP)
    await logged_one_call(client)
    headers = {"Content-Type": content_type} if content_type else {}
    for method, path in (("POST", "reset"), ("DELETE", "calls"), ("PATCH", "settings")):
        skip_auto = None if content_type else {"Content-Type"}
        response = await client.request(
            method,
            "/__mockpost/" + path,
            data=body,
            headers=headers,
            skip_auto_headers=skip_auto,
        )
        assert response.status == 415, (method, path)
        assert "JSON" in (await response.json())["error"]["message"]
    assert runtime_of(client).store.last_id == 1  # the log kept its call


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:3000"},
    ],
)
async def test_changes_from_another_page_are_refused(serve: Serve, headers: dict[str, str]) -> None:
    client = await serve(SHOP)
    await logged_one_call(client)
    response = await client.post("/__mockpost/reset", json={}, headers=headers)
    assert response.status == 403
    response = await client.delete("/__mockpost/calls", headers=headers)
    assert response.status == 403
    assert runtime_of(client).store.last_id == 1


async def test_another_page_cannot_load_the_call_log_as_a_script(serve: Serve) -> None:
    client = await serve(SHOP)
    response = await client.get(
        "/__mockpost/calls", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
    )
    assert response.status == 403
    # ...while a link from elsewhere still opens the page
    response = await client.get(
        "/__mockpost/", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    )
    assert response.status == 200


async def test_curl_scripts_and_the_page_itself_still_change_the_mock(serve: Serve) -> None:
    client = await serve(SHOP)
    await logged_one_call(client)
    # curl -X POST (no body, no type); aiohttp and requests with no data
    response = await client.post("/__mockpost/reset", skip_auto_headers={"Content-Type"})
    assert response.status == 200
    response = await client.post("/__mockpost/reset")  # application/octet-stream, empty
    assert response.status == 200
    response = await client.patch("/__mockpost/settings", json={"delay": 10})
    assert response.status == 200
    # the page: same origin, as a browser says it
    origin = f"http://{client.host}:{client.port}"
    response = await client.delete(
        "/__mockpost/calls", headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"}
    )
    assert response.status == 204
    # a form's type with mockpost's own header is no form
    response = await client.post(
        "/__mockpost/reset", data=b"", headers={"Content-Type": "text/plain", "x-mockpost": "1"}
    )
    assert response.status == 200


async def test_the_page_runs_only_its_own_script_and_style_and_is_never_framed(
    serve: Serve,
) -> None:
    client = await serve(SHOP, settings=Settings(api_key="sesame"))
    response = await client.get("/__mockpost/?api_key=sesame")
    assert response.status == 200
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    html = await response.text()
    assert "<script>" not in html
    assert "<style>" not in html
    assert " style=" not in html
    for asset, kind in (("page.js", "text/javascript"), ("page.css", "text/css")):
        assert f'"/__mockpost/{asset}"' in html
        # loaded by the page without the key in its address: it holds nothing of the mock's
        response = await client.get("/__mockpost/" + asset)
        assert response.status == 200
        assert response.content_type == kind
    response = await client.get("/__mockpost/")
    assert response.status == 401
    assert "?api_key=" in (await response.json())["error"]["message"]


def own_address() -> str | None:
    """An address of this machine that is not loopback (the one its default route uses)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for target in ("192.0.2.1", "10.255.255.255", "203.0.113.1"):
            try:
                probe.connect((target, 9))  # UDP: nothing is sent
            except OSError:
                continue
            address: str = probe.getsockname()[0]
            if not address.startswith("127."):
                return address
    return None


@pytest.mark.parametrize("allow_remote", [False, True])
async def test_bound_beyond_loopback_changes_come_from_this_machine_only(
    make_index: Any, aiohttp_server: Any, allow_remote: bool
) -> None:
    address = own_address()
    if address is None:
        pytest.skip("this machine has no address but loopback")
    store = CallStore()
    runtime = Runtime(make_index(SHOP), store=store)
    access = Access(bound="0.0.0.0", remote_changes=allow_remote)
    server = await aiohttp_server(create_app(runtime, access=access), host="0.0.0.0")
    async with aiohttp.ClientSession() as session:
        await session.get(f"http://{address}:{server.port}/v1/users/1")
        remote = f"http://{address}:{server.port}/__mockpost/"
        async with session.get(remote + "calls") as response:
            assert response.status == 200  # reading is open, as start-up says
        async with session.post(remote + "reset") as response:
            assert response.status == (200 if allow_remote else 403)
        async with session.patch(remote + "settings", json={"delay": 10}) as response:
            assert response.status == (200 if allow_remote else 403)
        local = f"http://127.0.0.1:{server.port}/__mockpost/"
        async with session.post(local + "reset") as response:
            assert response.status == 200
    # with a key, the key decides
    runtime.swap(settings=Settings(api_key="k"))
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"http://{address}:{server.port}/__mockpost/reset", headers={"x-api-key": "k"}
        ) as response,
    ):
        assert response.status == 200


def test_start_up_says_who_can_reach_a_mock_bound_beyond_loopback() -> None:
    with running_cli(str(EXAMPLE), "--host", "0.0.0.0", "--quiet", "--no-watch") as cli:
        banner = " ".join(cli.banner.split())
        assert "listening on 0.0.0.0 without --api-key: anyone who can reach it" in banner
        assert "changes to the mock are taken from this machine only" in banner
        status, _ = http_get(cli.url.replace("0.0.0.0", "127.0.0.1") + "/__mockpost/health")
        assert status == 200
    with running_cli(str(EXAMPLE), "--quiet", "--no-watch") as cli:
        assert "without --api-key" not in cli.banner


def test_private_mode_prints_a_page_address_that_opens_once_the_key_is_put_in() -> None:
    with running_cli(
        str(EXAMPLE), "--quiet", "--no-watch", env={"MOCKPOST_API_KEY": "sesame"}
    ) as cli:
        found = re.search(r"Call log: (\S+)\?api_key=KEY", cli.banner)
        assert found is not None, cli.banner
        assert "sesame" not in cli.banner
        assert "in place of KEY" in cli.banner
        status, _ = http_get(found.group(1) + "?api_key=sesame")
        assert status == 200
        status, body = http_get(found.group(1))
        assert status == 401
        assert b"?api_key=" in body
