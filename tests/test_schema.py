"""The fast structure walk says exactly what our JSON schema says, on any mutation."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockpost.postman.schema import COLLECTION_SCHEMA, collection_looks_valid
from tests.conftest import collection, example, item

VALIDATOR = jsonschema.Draft202012Validator(COLLECTION_SCHEMA)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "collections"


def base() -> dict[str, Any]:
    folder = {
        "name": "f",
        "item": [item("r", example("e", "x/a?q=1", request_body={"mode": "raw"}))],
        "variable": [{"key": "k", "value": "v"}],
    }
    data = collection(
        folder,
        {"name": "s", "request": "http://x/y", "response": []},
        variables={"baseUrl": "http://x"},
    )
    data["item"][0]["item"][0]["request"]["url"]["variable"] = [{"key": "id", "value": ""}]
    return data


def nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as a path of keys and indexes."""
    out = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            out += nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += nodes(child, (*path, index))
    return out


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=2)
        | st.dictionaries(
            st.sampled_from(["item", "request", "url", "name", "x"]), children, max_size=2
        )
    ),
    max_leaves=4,
)


@settings(max_examples=400, deadline=None)
@given(place=st.integers(min_value=0), replacement=JSON_VALUES, delete=st.booleans())
def test_fast_walk_agrees_with_the_schema_on_any_mutation(
    place: int, replacement: Any, delete: bool
) -> None:
    data = base()
    places = nodes(data)
    path = places[place % len(places)]
    if not path:
        data = replacement
    else:
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if delete and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(replacement)
    assert collection_looks_valid(data) == VALIDATOR.is_valid(data)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_fast_walk_accepts_every_real_collection() -> None:
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_bytes())
        assert collection_looks_valid(data) == VALIDATOR.is_valid(data), path.name
