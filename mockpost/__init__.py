"""mockpost: serve a Postman collection file as a local mock API.

The library behind the CLI: load a collection, build the index, match calls, serve them.
"""

from __future__ import annotations

__version__ = "0.1.0"

from mockpost.calllog import CallLog, CallRecord
from mockpost.collection import Collection, Environment, load_collection, load_environment
from mockpost.config import ServerConfig
from mockpost.errors import LoadError, MockpostError
from mockpost.index import Index, build_index
from mockpost.matching import Call, Decision, MatchOptions, match

__all__ = [
    "Call",
    "CallLog",
    "CallRecord",
    "Collection",
    "Decision",
    "Environment",
    "Index",
    "LoadError",
    "MatchOptions",
    "MockpostError",
    "ServerConfig",
    "__version__",
    "build_index",
    "load_collection",
    "load_environment",
    "match",
]
