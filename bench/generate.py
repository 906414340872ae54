"""Generate benchmark collections: N requests, two examples each, half with a wildcard segment.

    python bench/generate.py 10000 > /tmp/big.postman_collection.json

The matching paths to call are written to stderr's companion file with --paths FILE.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _url(path: str) -> dict[str, Any]:
    return {
        "raw": "{{baseUrl}}" + path,
        "host": ["{{baseUrl}}"],
        "path": path.strip("/").split("/"),
    }


def _example(name: str, method: str, path: str, code: int, body: str) -> dict[str, Any]:
    return {
        "name": name,
        "originalRequest": {"method": method, "header": [], "url": _url(path)},
        "status": "OK" if code == 200 else "Not Found",
        "code": code,
        "_postman_previewlanguage": "json",
        "header": [{"key": "Content-Type", "value": "application/json"}],
        "cookie": [],
        "body": body,
    }


def generate(requests: int) -> tuple[dict[str, Any], list[str]]:
    """The collection and one concrete path per request, in collection order."""
    items: list[dict[str, Any]] = []
    calls: list[str] = []
    for i in range(requests):
        resource = f"resource{i}"
        if i % 2:
            path = f"/{resource}/items/{{{{itemId}}}}"
            call = f"/{resource}/items/{i * 7}"
            ok = f'{{"resource": "{resource}", "item": "{{{{itemId}}}}", "ok": true}}'
        else:
            path = f"/{resource}/items"
            call = path
            ok = f'{{"resource": "{resource}", "items": [1, 2, 3], "ok": true}}'
        missing = f'{{"error": "not found", "resource": "{resource}"}}'
        items.append(
            {
                "name": f"Request {i}",
                "request": {"method": "GET", "header": [], "url": _url(path)},
                "response": [
                    _example(f"OK {i}", "GET", path, 200, ok),
                    _example(f"Missing {i}", "GET", path, 404, missing),
                ],
            }
        )
        calls.append(call)
    collection = {
        "info": {"name": f"Benchmark {requests} requests", "schema": SCHEMA},
        "item": items,
        "variable": [{"key": "baseUrl", "value": "http://localhost"}],
    }
    return collection, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requests", type=int)
    parser.add_argument("--paths", help="write the paths to call, one a line, to this file")
    args = parser.parse_args()
    collection, calls = generate(args.requests)
    json.dump(collection, sys.stdout)
    if args.paths:
        with open(args.paths, "w", encoding="utf-8") as out:
            out.write("\n".join(calls) + "\n")


if __name__ == "__main__":
    main()
