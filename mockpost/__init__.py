"""mockpost: serve a Postman collection file as a local mock API.

The library behind the CLI: load a collection, build the index, match calls, and run a mock
(`Runtime`) that answers and records them. None of it imports click, aiohttp or rich: the
aiohttp application is `mockpost.web.app.create_app(runtime)`.

`mockpost.serving("api.json")` starts a mock in-process (`with` or `async with`) and gives a
`Mock`: its URL, its calls, assertions. It is loaded on first use, with aiohttp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockpost.calls.call import Call
from mockpost.calls.record import CallRecord, ExampleRef, How
from mockpost.calls.store import CallStore
from mockpost.errors import LoadError, MockpostError
from mockpost.matching.index import Index, build_index
from mockpost.matching.match import Decision, match
from mockpost.matching.options import MatchOptions
from mockpost.postman.model import Collection, Environment
from mockpost.postman.reader import load_collection, load_environment
from mockpost.responses.reply import Reply
from mockpost.runtime.runtime import Runtime
from mockpost.runtime.settings import ServerResponse, Settings
from mockpost.version import __version__

if TYPE_CHECKING:
    from mockpost.embedded.mock import Mock
    from mockpost.embedded.serving import Serving, serving


def __getattr__(name: str) -> Any:
    """`serving`, `Serving` and `Mock`, imported when first asked for (they need aiohttp)."""
    if name in ("serving", "Serving"):
        from mockpost.embedded import serving as module

        return getattr(module, name)
    if name == "Mock":
        from mockpost.embedded.mock import Mock

        return Mock
    raise AttributeError(f"module 'mockpost' has no attribute {name!r}")


__all__ = [
    "Call",
    "CallRecord",
    "CallStore",
    "Collection",
    "Decision",
    "Environment",
    "ExampleRef",
    "How",
    "Index",
    "LoadError",
    "MatchOptions",
    "Mock",
    "MockpostError",
    "Reply",
    "Runtime",
    "ServerResponse",
    "Serving",
    "Settings",
    "__version__",
    "build_index",
    "load_collection",
    "load_environment",
    "match",
    "serving",
]
