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
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mockpost.calls.call import Call, cookies_of
from mockpost.calls.record import Headers
from mockpost.calls.violation import Violation

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
        from jsonschema_path import SchemaPath
        from jsonschema_path.handlers import default_handlers
        from openapi_core import Config, OpenAPI

        # Not openapi-core's check of the whole definition (seconds for a large one, and a
        # refusal of what mockpost serves anyway): calls are what is checked. Only files are
        # read for its `$ref`s: mockpost works offline, and never fetches a URL a definition
        # names (a call to such an operation is said to be unchecked).
        offline = {"file": default_handlers["file"]}
        spec = SchemaPath.from_dict(data, base_uri=path.resolve().as_uri(), handlers=offline)
        config = Config(spec_validator_cls=None)  # type: ignore[arg-type]
        self.api = OpenAPI(spec, config=config)
        parts = urlsplit(base_url)
        self.host_url = f"{parts.scheme}://{parts.netloc}"
        components = data.get("components") if isinstance(data.get("components"), dict) else {}
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        self.schemes: dict[str, Any] = schemes if isinstance(schemes, dict) else {}

    def credentialed(self, call: Call) -> Call:
        """The call with a stand-in credential for each security scheme of the definition
        (a collection's requests seldom carry theirs: Postman adds them when it sends)."""
        from dataclasses import replace

        headers = dict(call.headers)
        query = list(call.query)
        cookies = []
        for scheme in self.schemes.values():
            if not isinstance(scheme, dict):
                continue
            kind, name, where = scheme.get("type"), str(scheme.get("name", "")), scheme.get("in")
            if kind == "apiKey" and where == "header":
                headers.setdefault(name.lower(), "credential")
            elif kind == "apiKey" and where == "query":
                query.append((name, "credential"))
            elif kind == "apiKey" and where == "cookie":
                cookies.append(f"{name}=credential")
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                headers.setdefault("authorization", "Basic Y3JlZGVudGlhbDpjcmVkZW50aWFs")
            elif kind in ("http", "oauth2", "openIdConnect"):
                headers.setdefault("authorization", "Bearer credential")
        if cookies:
            sent = headers.get("cookie")
            headers["cookie"] = "; ".join(([sent] if sent else []) + cookies)
        return replace(call, headers=headers, query=tuple(query))

    def check(self, call: Call) -> tuple[Violation, ...]:
        try:
            errors = list(self.api.iter_request_errors(self.request(call)))
        except Exception as exc:  # openapi-core failing on a call is not the call's fault
            return (Violation((), "unchecked", f"could not be checked: {exc}", "warning"),)
        return tuple(v for error in errors for v in _violations(error))

    def answer_errors(self, call: Call, status: int, headers: Headers, body: bytes) -> list[str]:
        """What an answer to `call` does that its operation does not allow (a status it does
        not define, a body against its schema, a missing header); that no operation takes
        the call, first of all."""
        request = self.request(call)
        try:
            found = [type(e).__name__ for e in self.api.iter_request_errors(request)]
            if any(kind in NOT_OURS for kind in found):
                return [f"no operation {call.method} {call.path} in the definition"]
            content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
            answer = _Response(status, content_type.lower(), dict(headers), body)
            errors = list(self.api.iter_response_errors(request, answer))
        except Exception as exc:
            return [f"could not be checked: {exc}"]
        return [_said(error) for error in errors]

    def request(self, call: Call) -> _Request:
        """The call as openapi-core reads a request."""
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers as Multi
        from werkzeug.datastructures import ImmutableMultiDict

        headers = call.headers
        parameters = RequestParameters(
            query=ImmutableMultiDict(list(call.query)),
            header=Multi(list(headers.items())),
            cookie=ImmutableMultiDict(cookies_of(headers)),
        )
        return _Request(
            self.host_url,
            call.path,
            call.method.lower(),
            parameters,
            call.content_type.lower(),
            call.body or None,
        )


@dataclass
class _Response:
    """What openapi-core reads of an answer (its `Response` protocol)."""

    status_code: int
    content_type: str
    headers: dict[str, str]
    data: bytes | None


def _said(error: BaseException) -> str:
    """A response error in one line: the status not defined, or where the body is wrong."""
    kind = type(error).__name__
    cause = error.__cause__
    schema_errors = getattr(cause, "schema_errors", None)
    if schema_errors:
        first = schema_errors[0]
        place = "/".join(str(p) for p in first.path) or "(the whole body)"
        more = f" (and {len(schema_errors) - 1} more)" if len(schema_errors) > 1 else ""
        return f"answer body at {place}: {first.message}{more}"
    if kind == "ResponseNotFound":
        return f"status not defined by the operation ({error})"
    return f"answer: {cause or error}"


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
