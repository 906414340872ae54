"""The page as a workbench, in a real headless Chromium: examples edited, copied and deleted,
a request added from nothing, a conflict shown with nothing lost, and the list used with the
keyboard, bounded, and kept on one line per call."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, RunningCli, http, running_cli
from tests.test_browser import CHROMIUM, DRIVER, open_page, rows, wait_for_row
from tests.test_browser import browser as browser

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, RunningCli]]:
    """A copy of the bundled collection, served without watching (a write reloads it)."""
    path = tmp_path / "api.json"
    path.write_bytes(EXAMPLE.read_bytes())
    with running_cli(str(path), "--quiet", "--no-watch") as cli:
        yield path, cli


def wait_text(browser: Any, element: Any, text: str, seconds: float = 5) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, seconds, poll_frequency=0.05).until(lambda d: text in element.text)


def by_id(browser: Any, name: str, seconds: float = 5) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(lambda d: d.find_element(By.ID, name))


def typed(form: Any, name: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = form.find_element(By.NAME, name)
    box.clear()
    box.send_keys(text)


def test_an_example_is_edited_copied_and_deleted_from_the_page(
    browser: Any, served: tuple[Path, RunningCli]
) -> None:
    from selenium.webdriver.common.by import By

    path, cli = served
    open_page(browser, cli)
    assert http(cli.url + "/v1/users/1")[0] == 200
    wait_for_row(browser, "/v1/users/1").click()
    by_id(browser, "edit-answering").click()
    form = by_id(browser, "edit-example")
    typed(form, "body", '{"edited": "on the page"}')
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(browser, form, "Saved into the collection")
    answer = http(cli.url + "/v1/users/1")
    assert (answer[0], json.loads(answer[1])) == (200, {"edited": "on the page"})
    assert "on the page" in path.read_text()

    typed(form, "copy-code", "503")
    form.find_element(By.CSS_SELECTOR, "button.duplicate").click()
    wait_text(browser, form, "Copied with status 503")
    answer = http(cli.url + "/v1/users/1", headers={"x-mock-response-code": "503"})
    assert (answer[0], json.loads(answer[1])) == (503, {"edited": "on the page"})

    delete = form.find_element(By.CSS_SELECTOR, "button.delete")
    delete.click()
    assert "Really delete?" in delete.text  # asks once: nothing is deleted yet
    assert "on the page" in json.loads(http(cli.url + "/v1/users/1")[1]).get("edited", "")
    delete.click()
    wait_text(browser, form, "Deleted from the collection")
    answer = http(cli.url + "/v1/users/1")
    assert json.loads(answer[1]).get("edited") is None or answer[0] == 503
    data = path.read_text()
    assert data.count("on the page") == 1  # the copy is left; the edited original is gone


def test_an_example_is_edited_from_the_routes_view(
    browser: Any, served: tuple[Path, RunningCli]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    path, cli = served
    open_page(browser, cli)
    browser.find_element(By.ID, "tab-routes").click()
    edit = WebDriverWait(browser, 5).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#routes button.edit") or False
    )[0]
    edit.click()
    form = by_id(browser, "edit-example")
    typed(form, "name", "Renamed on the page")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(browser, form, "Saved into the collection")
    WebDriverWait(browser, 5).until(
        lambda d: "Renamed on the page" in d.find_element(By.ID, "routes").text
    )
    assert "Renamed on the page" in path.read_text()
    browser.find_element(By.ID, "tab-calls").click()


def test_a_request_is_added_from_nothing_on_the_page(
    browser: Any, served: tuple[Path, RunningCli]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    path, cli = served
    open_page(browser, cli)
    by_id(browser, "new-mock").click()
    form = by_id(browser, "new-mock-form")
    Select(form.find_element(By.NAME, "method")).select_by_value("POST")
    typed(form, "path", "/v1/carts")
    typed(form, "code", "201")
    typed(form, "body", '{"cart": ')
    assert "Not JSON" in form.text  # checked as typed
    form.find_element(By.NAME, "body").send_keys("1}")
    assert "Not JSON" not in form.text
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(browser, form, "Created 'POST /v1/carts'")
    answer = http(cli.url + "/v1/carts", "POST")
    assert (answer[0], json.loads(answer[1])) == (201, {"cart": 1})
    assert json.loads(path.read_text())["item"][-1]["name"] == "POST /v1/carts"


def test_a_call_saved_into_a_new_request_takes_ids_as_variables(
    browser: Any, served: tuple[Path, RunningCli]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _, cli = served
    open_page(browser, cli)
    assert http(cli.url + "/v1/carts/123/items")[0] == 404
    wait_for_row(browser, "/v1/carts/123/items").click()
    form = by_id(browser, "save-example")
    Select(form.find_element(By.NAME, "request")).select_by_value("")  # a new request
    assert form.find_element(By.NAME, "path").get_attribute("value") == "/v1/carts/{{id}}/items"
    typed(form, "body", "[]")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(browser, form, "Saved into the collection")
    by_id(browser, "send-again").click()  # the call sent again from the page
    from selenium.common.exceptions import StaleElementReferenceException

    WebDriverWait(browser, 5, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: any("/v1/carts/123/items" in r.text and "200" in r.text for r in rows(d))
    )
    other = http(cli.url + "/v1/carts/9/items")  # the id is a variable: any cart
    assert (other[0], json.loads(other[1])) == (200, [])


def test_a_conflict_is_shown_and_nothing_is_lost(
    browser: Any, served: tuple[Path, RunningCli]
) -> None:
    from selenium.webdriver.common.by import By

    path, cli = served
    open_page(browser, cli)
    assert http(cli.url + "/v1/users/1")[0] == 200
    wait_for_row(browser, "/v1/users/1").click()
    form = by_id(browser, "save-example")
    typed(form, "name", "Typed before the conflict")
    path.write_text(path.read_text().replace("Ada", "Edited in an editor"))  # meanwhile
    on_disk = path.read_text()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(browser, form, "changed on disk")
    assert path.read_text() == on_disk  # the editor's change wins: nothing written
    assert form.find_element(By.NAME, "name").get_attribute("value") == (
        "Typed before the conflict"
    )  # what was typed is kept
    form.find_element(By.CSS_SELECTOR, "button.reload").click()
    wait_text(browser, form, "save again")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_text(browser, form, "Saved into the collection")
    text = path.read_text()
    assert "Edited in an editor" in text
    assert "Typed before the conflict" in text


def test_the_list_is_used_with_the_keyboard_and_clear_asks_once(
    browser: Any, served: tuple[Path, RunningCli]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _, cli = served
    open_page(browser, cli)
    for target in ("/v1/users/1", "/v1/users/2", "/v1/books"):
        http(cli.url + target)
    wait_for_row(browser, "/v1/books")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")  # the newest call, shown
    detail = browser.find_element(By.ID, "detail")
    wait_text(browser, detail, "GET /v1/books")
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    wait_text(browser, detail, "GET /v1/users/2")
    browser.switch_to.active_element.send_keys(Keys.END)
    wait_text(browser, detail, "GET /v1/users/1")
    browser.switch_to.active_element.send_keys("k")
    wait_text(browser, detail, "GET /v1/users/2")
    assert browser.switch_to.active_element.get_attribute("data-id") == rows(browser)[
        1
    ].get_attribute("data-id")
    browser.switch_to.active_element.send_keys("/")
    assert browser.switch_to.active_element.get_attribute("id") == "filter"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)

    shown = rows(browser)[1].find_element(By.CSS_SELECTOR, "td.time").text
    assert shown in detail.text  # one way of showing times: the list's is the details'

    split = browser.find_element(By.ID, "split")  # the list and the details resized
    before = browser.find_element(By.ID, "list").size["width"]
    split.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert browser.find_element(By.ID, "list").size["width"] == before + 80
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).drag_and_drop_by_offset(split, -200, 0).perform()
    assert abs(browser.find_element(By.ID, "list").size["width"] - (before - 120)) <= 8

    clear = browser.find_element(By.ID, "clear")
    clear.click()
    assert "Clear 3 calls?" in clear.text
    assert len(rows(browser)) == 3  # asked, not done
    clear.click()
    wait_text(browser, browser.find_element(By.ID, "empty"), "No calls yet")
    assert rows(browser) == []


def test_a_long_path_stays_on_one_line_and_the_list_is_bounded(
    browser: Any, served: tuple[Path, RunningCli]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _, cli = served
    open_page(browser, cli)
    long = "/v1/" + "/".join(f"segment-{i}" for i in range(60))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: http(f"{cli.url}/v1/users/{i}"), range(1200)))
    http(cli.url + long)
    row = wait_for_row(browser, "segment-59", seconds=10)
    short = rows(browser)[1]
    assert row.size["height"] == short.size["height"]  # one line, the rest in its tooltip
    assert row.find_element(By.CSS_SELECTOR, "td.path").get_attribute("title") == long
    count = browser.find_element(By.ID, "count")
    WebDriverWait(browser, 10).until(lambda d: count.text == "500 of 1201 calls")
    assert len(rows(browser)) == 500  # bounded: the page draws the newest 500
    more = browser.find_element(By.ID, "more")
    assert "Show 500 more" in more.text
    more.click()
    WebDriverWait(browser, 5).until(lambda d: len(rows(d)) == 1000)
    browser.find_element(By.ID, "clear").click()
    browser.find_element(By.ID, "clear").click()


def test_a_read_only_mock_offers_no_writes(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with running_cli(str(EXAMPLE), "--quiet", "--read-only") as cli:
        open_page(browser, cli)
        assert not browser.find_element(By.ID, "new-mock").is_displayed()
        http(cli.url + "/v1/users/1")
        wait_for_row(browser, "/v1/users/1").click()
        WebDriverWait(browser, 5).until(
            lambda d: "Copy as curl" in d.find_element(By.ID, "detail").text
        )
        assert browser.find_elements(By.ID, "edit-answering") == []
        assert browser.find_elements(By.ID, "save-example") == []
        browser.find_element(By.ID, "tab-routes").click()
        WebDriverWait(browser, 5).until(
            lambda d: "Any user" in d.find_element(By.ID, "routes").text
        )
        assert browser.find_elements(By.CSS_SELECTOR, "#routes button.edit") == []
        browser.find_element(By.ID, "tab-calls").click()
    from tests.test_openapi import SMALL

    definition = tmp_path / "openapi.yaml"
    definition.write_text(SMALL)
    with running_cli(str(definition), "--quiet") as cli:  # an API definition: nothing to write
        open_page(browser, cli)
        assert http(cli.url + "/nowhere")[0] == 404
        wait_for_row(browser, "/nowhere").click()
        WebDriverWait(browser, 5).until(
            lambda d: "Copy as curl" in d.find_element(By.ID, "detail").text
        )
        assert browser.find_elements(By.ID, "save-example") == []
        assert not browser.find_element(By.ID, "new-mock").is_displayed()


def test_a_screenshot_of_the_workbench(
    browser: Any, served: tuple[Path, RunningCli], tmp_path: Path
) -> None:
    """A 404 call's details with its save form (docs/workbench.png, written where
    MOCKPOST_WORKBENCH_SCREENSHOT says)."""
    import os
    import shutil

    _, cli = served
    open_page(browser, cli)
    for target in ("/v1/users/1", "/v1/books?genre=poetry", "/v1/orders/ord_1001"):
        http(cli.url + target)
    http(cli.url + "/v1/carts/42/items")
    wait_for_row(browser, "/v1/carts/42/items").click()
    form = by_id(browser, "save-example")
    typed(form, "body", '{"items": [{"sku": "BK-1", "qty": 2}]}')
    picture = tmp_path / "workbench.png"
    assert browser.save_screenshot(str(picture))
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wanted = os.environ.get("MOCKPOST_WORKBENCH_SCREENSHOT")
    if wanted:
        shutil.copyfile(picture, wanted)


def test_an_editor_open_on_an_example_whose_place_changed_says_so(
    browser: Any, tmp_path: Path
) -> None:
    """Examples saved without ids are named by their place: when one before the example open
    in the editor is removed (another page, a script), saving says the example changed since
    it was read, writes nothing, and offers to open it again."""
    from selenium.webdriver.common.by import By

    from mockpost.matching.index import build_index
    from mockpost.postman.reader import load_collection
    from tests.test_workbench import without_ids

    path = without_ids(tmp_path / "api.json")
    collection = load_collection(path)
    request = next(r.where for r in collection.requests if r.example_count >= 2)
    first, second = [
        e for e in build_index(collection).examples if e.example.where.startswith(request + ".")
    ][:2]
    with running_cli(str(path), "--quiet", "--no-watch") as cli:
        open_page(browser, cli)
        http(cli.url + "/__mockpost/calls")  # (not logged)
        browser.find_element(By.ID, "tab-routes").click()
        from selenium.webdriver.support.ui import WebDriverWait

        edit = WebDriverWait(browser, 5).until(
            lambda d: d.find_element(By.CSS_SELECTOR, f'#routes button.edit[data-id="{second.id}"]')
        )
        edit.click()
        form = by_id(browser, "edit-example")
        assert form.find_element(By.NAME, "name").get_attribute("value") == second.name
        http(f"{cli.url}/__mockpost/examples/{first.id}", "DELETE")  # meanwhile, elsewhere
        before = path.read_text()
        typed(form, "name", "Meant for the second")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_text(browser, form, "changed since it was read")
        assert path.read_text() == before
        form.find_element(By.CSS_SELECTOR, "button.reopen").click()
        browser.find_element(By.ID, "tab-calls").click()
