"""A test suite using mockpost's pytest plugin: copy it next to your collection and run pytest.

The `mockpost` fixture comes with mockpost (the distribution `mockpost-cli`, installed from a
clone or a wheel: `pip install mockpost` is another project); nothing to import for it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

COLLECTION = Path(__file__).with_name("bookshop.postman_collection.json")


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_user_is_served_from_its_example(mockpost: Any) -> None:
    mock = mockpost(COLLECTION, seed=1)
    status, user = get(mock.url + "/v1/users/1")
    assert status == 200
    assert user["id"] == 1
    mock.assert_called("GET", "/v1/users/1", times=1, status=200)
    mock.assert_all_matched()


def test_the_api_being_down(mockpost: Any) -> None:
    mock = mockpost(COLLECTION)
    mock.set(server_response=503)
    assert get(mock.url + "/v1/users/1")[0] == 503
    mock.set(server_response=None)
    assert get(mock.url + "/v1/users/1")[0] == 200
