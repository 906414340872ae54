"""A call checked against its operation in the definition, by openapi-core: parameters (path,
query, header, cookie), the security requirement (a credential present, not its value) and
the request body against its schema.

openapi-core stops at a missing credential (it checks nothing else of such a call), so a call
without its credential is said to be unauthorized alone. A call that no operation takes is
not the checker's business: matching answers it (or not) as for any collection. Swagger 2.0
is not something openapi-core reads: such a definition is served unchecked (a note says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mockpost.calls.call import Call
from mockpost.runtime.validation import Violation

NOT_OURS = ("PathNotFound", "OperationNotFound", "ServerNotFound")


@dataclass
class _Request:
    """What openapi-core reads of a request (its `Request` protocol)."""

    host_url: str
    path: str
    method: str
    parameters: Any
    content_type: str
    body: bytes | None


class DefinitionChecker:
    """Checks calls against the definition at `path` (its root's data given, already read)."""

    def __init__(self, path: Path, data: dict[str, Any], base_url: str) -> None:
        from openapi_core import Config, OpenAPI

        # Not openapi-core's check of the whole definition (seconds for a large one, and a
        # refusal of what mockpost serves anyway): calls are what is checked.
        config = Config(spec_validator_cls=None)  # type: ignore[arg-type]
        self.api = OpenAPI.from_dict(data, config=config, base_uri=path.resolve().as_uri())
        parts = urlsplit(base_url)
        self.host_url = f"{parts.scheme}://{parts.netloc}"

    def check(self, call: Call) -> tuple[Violation, ...]:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        headers = call.headers
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header: as if none was sent
            cookies = SimpleCookie()
        parameters = RequestParameters(
            query=ImmutableMultiDict(list(call.query)),
            header=Headers(list(headers.items())),
            cookie=ImmutableMultiDict({k: m.value for k, m in cookies.items()}),
        )
        request = _Request(
            self.host_url,
            call.path,
            call.method.lower(),
            parameters,
            call.content_type.lower(),
            call.body or None,
        )
        try:
            errors = list(self.api.iter_request_errors(request))
        except Exception as exc:  # openapi-core failing on a call is not the call's fault
            return (Violation((), "unchecked", f"could not be checked: {exc}", "warning"),)
        return tuple(v for error in errors for v in _violations(error))


def _violations(error: BaseException) -> Iterable[Violation]:
    kind = type(error).__name__
    if kind in NOT_OURS:
        return ()
    cause = error.__cause__
    name = getattr(error, "name", None)
    where = getattr(error, "location", None)
    if kind == "SecurityValidationError" or kind.startswith("Security"):
        schemes = getattr(cause, "schemes", None)
        said = f"no credential of {schemes}" if schemes else "no credential"
        return (Violation(("security",), "unauthorized", said),)
    if kind.startswith("MissingRequired") and name is not None:
        return (Violation((str(where), str(name)), "required", "is required"),)
    if kind == "MissingRequiredRequestBody":
        return (Violation(("body",), "required", "a body is required"),)
    place: tuple[str, ...] = (str(where), str(name)) if name is not None else ("body",)
    schema_errors = getattr(cause, "schema_errors", None)
    if schema_errors:
        return tuple(
            Violation(place + tuple(str(p) for p in e.path), "invalid", e.message)
            for e in schema_errors
        )
    if "MediaType" in kind or "MediaType" in type(cause).__name__:
        return (Violation(("header", "content-type"), "unsupported", str(cause or error)),)
    message = str(cause or error) or kind
    return (Violation(place, "invalid", message),)
