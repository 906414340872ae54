"""The call-log page in a real headless Chromium (Debian's chromium and chromium-driver).

`.ci/run` installs them; on a machine without them these tests skip and say why. With
MOCKPOST_SCREENSHOT=FILE, the page is saved as a PNG there (the README's picture).
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, RunningCli, call_api, http, http_get, running_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)
WAIT = 2  # seconds a call may take to appear on the page


@pytest.fixture(scope="module")
def cli() -> Iterator[RunningCli]:
    with running_cli(str(EXAMPLE), "--quiet") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def open_page(browser: Any, cli: RunningCli) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    http_get(f"{cli.url}/__mockpost/calls")  # nothing recorded: the API is not logged
    browser.get(f"{cli.url}/__mockpost/")
    WebDriverWait(browser, 10).until(ready.text_to_be_present_in_element((By.ID, "live"), "live"))


def rows(browser: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(browser.find_elements(By.CSS_SELECTOR, "#calls tr.call"))


def wait_for_row(browser: Any, text: str, seconds: float = WAIT) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    def found(driver: Any) -> Any:
        return next((row for row in rows(driver) if text in row.text), False)

    # A row read while the page redraws its list (or drops its oldest row) is gone: look again.
    wait = WebDriverWait(
        browser, seconds, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)
    )
    return wait.until(found)


def test_the_page_loads_without_a_console_error(browser: Any, cli: RunningCli) -> None:
    open_page(browser, cli)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    assert browser.title == "mockpost call log"


def test_a_call_appears_without_a_reload_and_a_click_shows_its_response(
    browser: Any, cli: RunningCli
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, cli)
    assert http_get(f"{cli.url}/v1/users/1?from=browser-test")[0] == 200
    row = wait_for_row(browser, "/v1/users/1?from=browser-test")
    assert "User 1" in row.text
    assert "200" in row.text
    row.click()
    detail = WebDriverWait(browser, 5).until(
        lambda d: (
            d.find_element(By.ID, "detail")
            if "Ada Lovelace" in d.find_element(By.ID, "detail").text
            else False
        )
    )
    assert '"name": "Ada Lovelace"' in detail.text  # JSON pretty-printed
    assert "Copy as curl" in detail.text
    assert "curl -X GET" in detail.text


def test_an_unmatched_call_shows_its_closest_example(browser: Any, cli: RunningCli) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, cli)
    assert http_get(f"{cli.url}/v1/users/1/friends")[0] == 404
    row = wait_for_row(browser, "/v1/users/1/friends")
    assert "No matching requests" in row.text
    row.click()
    closest = WebDriverWait(browser, 5).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#detail .closest li") or False
    )
    assert "/v1/users" in closest[0].text
    assert "does not match" in closest[0].text


def test_the_filter_narrows_the_list(browser: Any, cli: RunningCli) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, cli)
    http_get(f"{cli.url}/v1/users/2")
    http_get(f"{cli.url}/v1/nothing-here")
    wait_for_row(browser, "/v1/nothing-here")
    box = browser.find_element(By.ID, "filter")
    box.send_keys("status:4xx")
    shown = rows(browser)
    assert shown
    assert all(" 404 " in f" {row.text} " or "\n404\n" in row.text for row in shown)
    box.clear()
    box.send_keys("path:/v1/users/2")
    assert {row.find_element(By.CSS_SELECTOR, "td.path").text for row in rows(browser)} == {
        "/v1/users/2"
    }
    box.clear()
    box.send_keys("x")  # the input event of clear() alone is not always sent
    box.clear()


def test_data_from_a_call_is_shown_as_text_never_as_html(browser: Any, cli: RunningCli) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, cli)
    hostile = "/x/<img src=x onerror=alert(1)>"
    http_get(cli.url + urllib.parse.quote(hostile))
    row = wait_for_row(browser, "onerror")
    assert row.find_element(By.CSS_SELECTOR, "td.path").text == hostile
    assert browser.find_elements(By.CSS_SELECTOR, "#calls img") == []
    row.click()
    assert browser.find_elements(By.CSS_SELECTOR, "#detail img") == []
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_the_routes_view_lists_the_routes_with_their_examples(
    browser: Any, cli: RunningCli
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, cli)
    browser.find_element(By.ID, "tab-routes").click()
    table = WebDriverWait(browser, 5).until(
        lambda d: (
            d.find_element(By.ID, "routes")
            if "Any user" in d.find_element(By.ID, "routes").text
            else False
        )
    )
    assert "{{userId}}" in table.text
    browser.find_element(By.ID, "tab-calls").click()


def test_a_screenshot_of_the_page(browser: Any, cli: RunningCli, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, cli)
    for path in ("/v1/users/1", "/v1/users/42", "/v1/books?genre=poetry", "/v1/nowhere"):
        http_get(cli.url + path)
    http_get(f"{cli.url}/v1/users/7", {"x-mock-response-code": "404"})
    row = wait_for_row(browser, "/v1/nowhere")
    row.click()
    WebDriverWait(browser, 5).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#detail .closest li") or False
    )
    picture = tmp_path / "call-log.png"
    assert browser.save_screenshot(str(picture))
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wanted = os.environ.get("MOCKPOST_SCREENSHOT")
    if wanted:
        shutil.copyfile(picture, wanted)


def test_a_reload_shows_on_the_page_with_its_version(browser: Any, cli: RunningCli) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, cli)
    version = call_api("POST", f"{cli.url}/__mockpost/reload")[1]["version"]
    shown = f"reloaded, version {version} with"
    WebDriverWait(browser, WAIT).until(
        ready.text_to_be_present_in_element((By.ID, "reloaded"), shown)
    )
    assert f"version {version} · reloaded" in browser.find_element(By.ID, "version").text


def test_an_injected_fault_shows_in_the_list_and_the_details(browser: Any, cli: RunningCli) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, cli)
    http_get(f"{cli.url}/v1/users/2", {"x-mockpost-fault": "error:503"})
    row = wait_for_row(browser, "injected error 503")
    assert "instead of" in row.text
    row.click()
    WebDriverWait(browser, WAIT).until(
        lambda driver: (
            "Injected by mockpost: error 503 (x-mockpost-fault)"
            in driver.find_element(By.ID, "detail").text
        )
    )


# The filter box's words, as the page reads them: `key:value` for these keys, the rest text.
FILTER_KEYS = ("method", "path", "status", "example", "matched")
FILTERS = [
    "method:post",
    "method:GET path:/v1/users/*",
    "status:4xx",
    "status:404",
    "status:201",
    "matched:false",
    "matched:true status:2xx",
    "example:user",
    "path:*orders*",
    "users 1",
    "LOVELACE",
    "path:/v1/* example:order",
]


def test_the_pages_filter_shows_the_calls_the_apis_filter_lists(
    browser: Any, cli: RunningCli
) -> None:
    """The page filters the calls it holds itself, as they come: for each filter, the rows
    it shows are the calls that the API lists for the same filter."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, cli)
    for target in ("/v1/users/1", "/v1/users/2", "/v1/users", "/v1/orders/ord_1001", "/v1/nope"):
        http_get(cli.url + target + "?q=filter-test")
    http(cli.url + "/v1/users", "POST", b'{"name": "Ada"}', {"Content-Type": "application/json"})
    wait_for_row(browser, "/v1/users")
    everything = call_api("GET", f"{cli.url}/__mockpost/calls?limit=500")[1]["calls"]
    WebDriverWait(browser, WAIT).until(lambda d: len(rows(d)) == len(everything))
    box = browser.find_element(By.ID, "filter")
    sizes = set()
    for text in FILTERS:
        box.clear()
        box.send_keys(text)
        params: dict[str, str] = {}
        free = []
        for word in text.split():
            key, colon, value = word.partition(":")
            if colon and key.lower() in FILTER_KEYS and value:
                params[key.lower()] = value
            else:
                free.append(word)
        if free:
            params["q"] = " ".join(free)
        query = urllib.parse.urlencode({**params, "limit": "500"})
        listed = [
            c["id"] for c in call_api("GET", f"{cli.url}/__mockpost/calls?{query}")[1]["calls"]
        ]

        def shown(driver: Any, listed: list[int] = listed) -> bool:
            return [int(row.get_attribute("data-id")) for row in rows(driver)] == listed

        # Free text is searched by the server too (headers and bodies): a moment later.
        WebDriverWait(browser, WAIT).until(shown, text)
        sizes.add(len(listed))
    box.clear()
    assert 0 in sizes
    assert len(sizes) >= 5  # the filters tell the calls apart


def test_a_calls_state_and_every_sessions_state_show_on_the_page(
    browser: Any, tmp_path: Path
) -> None:
    import json

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.test_state import RETRY

    path = tmp_path / "retry.json"
    path.write_text(json.dumps(RETRY))
    with running_cli(str(path), "--quiet") as stateful:
        open_page(browser, stateful)
        assert http(f"{stateful.url}/login", headers={"x-mockpost-session": "alice"})[0] == 500
        wait_for_row(browser, "/login").click()
        detail = WebDriverWait(browser, 5).until(
            lambda d: (
                d.find_element(By.ID, "detail")
                if "Session" in d.find_element(By.ID, "detail").text
                else False
            )
        )
        assert "Session 'alice' · login: Started → up" in detail.text
        browser.find_element(By.ID, "tab-routes").click()
        state = WebDriverWait(browser, 5).until(lambda d: d.find_element(By.ID, "state"))
        lines = state.text.splitlines()
        assert lines[0] == "session login"
        assert "alice up" in lines
        assert "default Started" in lines
        browser.find_element(By.ID, "tab-calls").click()


def test_a_404_call_saved_as_an_example_from_the_page_answers_the_replay(
    browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    served = tmp_path / "api.json"
    served.write_bytes(EXAMPLE.read_bytes())
    from mockpost.postman.reader import load_collection

    request = load_collection(served).requests[0].where
    with running_cli(str(served), "--quiet", "--no-watch") as cli:
        open_page(browser, cli)
        assert http(f"{cli.url}/v1/nothing/here")[0] == 404
        wait_for_row(browser, "/v1/nothing/here").click()
        form = WebDriverWait(browser, 5).until(lambda d: d.find_element(By.ID, "save-example"))
        Select(form.find_element(By.NAME, "request")).select_by_value(request)
        body = form.find_element(By.NAME, "body")
        body.clear()
        body.send_keys('{"made": "on the page"}')
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 5).until(lambda d: "Saved into the collection" in form.text)
        replay = http(f"{cli.url}/v1/nothing/here")  # the same call again, plainly
        assert (replay[0], json.loads(replay[1])) == (200, {"made": "on the page"})
    with running_cli(str(served), "--quiet", "--read-only") as cli:
        open_page(browser, cli)
        http(f"{cli.url}/v1/users/1")
        wait_for_row(browser, "/v1/users/1").click()
        WebDriverWait(browser, 5).until(
            lambda d: "Copy as curl" in d.find_element(By.ID, "detail").text
        )
        assert browser.find_elements(By.ID, "save-example") == []  # read-only: no form
