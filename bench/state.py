"""The cost of state on one answer, in-process (no HTTP): a stateless request, a request of a
scenario, a CRUD resource's list.

    .venv/bin/python bench/state.py

Each figure is the median of five runs of 20,000 answers of `Runtime.answer`, after 200 to
warm up; read them beside `run.py`'s per-call figures, which include HTTP.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from mockpost.calls.call import Call
from mockpost.matching.index import build_index
from mockpost.postman.reader import parse_collection
from mockpost.runtime.runtime import Runtime

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _example(name: str, path: str, code: int = 200, body: str = "", method: str = "GET") -> Any:
    url = {"raw": "{{baseUrl}}" + path, "host": ["{{baseUrl}}"], "path": path.strip("/").split("/")}
    return {"name": name, "originalRequest": {"method": method, "url": url}, "code": code,
            "body": body}  # fmt: skip


def _collection(*items: Any) -> Any:
    return {"info": {"name": "state", "schema": SCHEMA}, "item": list(items)}


def _item(name: str, *examples: Any) -> Any:
    return {"name": name, "request": examples[0]["originalRequest"], "response": list(examples)}


PLAIN = _collection(_item("Login", _example("Up", "/login", body="up"),
                          _example("Down", "/login", 500, "down")))  # fmt: skip
SCENARIO = _collection(_item("Login", _example("Down [login: Started -> up]", "/login", 500),
                             _example("Up [login: up]", "/login", body="up")))  # fmt: skip
LISTED = json.dumps({"data": [{"id": 1, "title": "milk"}], "total": 1})
TODOS = _collection(
    {"name": "Todos [crud]", "item": [_item("List", _example("Todos", "/todos", body=LISTED))]}
)


def per_answer(data: Any, path: str, count: int = 20_000) -> float:
    runtime = Runtime(build_index(parse_collection(data)))
    call = Call("GET", path, (), {}, b"", target=path)
    for _ in range(200):
        runtime.answer(call)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(count):
            runtime.answer(call)
        runs.append((time.perf_counter() - started) / count * 1e6)
    return statistics.median(runs)


def main() -> None:
    for label, data, path in (
        ("stateless request, two examples", PLAIN, "/login"),
        ("request of a two-state scenario", SCENARIO, "/login"),
        ("CRUD resource's list", TODOS, "/todos"),
    ):
        print(f"{label}: {per_answer(data, path):.1f} µs per answer")


if __name__ == "__main__":
    main()
