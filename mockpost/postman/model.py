"""What a Postman collection or environment file holds, as read-only dataclasses (`@readonly`).

The text is kept as the file wrote it: variables are resolved later, by the index, because the
environment takes part in that.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import field

from mockpost.readonly import readonly

Pairs = tuple[tuple[str, str], ...]  # key/value entries in file order (headers, query, fields)


def stable_id(name: str) -> str:
    """The uuid5 of `name` in the URL namespace: an id the same from run to run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


@readonly(eq=False)
class Scope:
    """One `variable` list (collection, folder or request): compared and hashed by identity.

    The items of one folder share its scope object, so a chain of scopes names the variables
    that apply to an example and can key what is resolved with them.
    """

    values: Mapping[str, str]


@readonly
class Url:
    """A URL as the file gives it: `raw`, or host and path lists (either may be missing)."""

    raw: str
    host: tuple[str, ...] | None
    path: tuple[str, ...] | None
    query: Pairs | None  # enabled params; None when the file lists none (then raw's query)
    variables: Pairs  # path variables `:name` -> value


@readonly
class Body:
    """A request body: mode is raw, urlencoded, formdata, graphql, file or none."""

    mode: str
    raw: str = ""
    language: str = ""
    fields: Pairs = ()  # urlencoded pairs, or formdata text fields
    files: tuple[str, ...] = ()  # formdata file field keys
    graphql_query: str = ""
    graphql_variables: str = ""


NO_BODY = Body(mode="none")


@readonly
class Request:
    method: str
    url: Url
    headers: Pairs  # enabled headers
    body: Body


@readonly
class Example:
    """A saved example (a `response[]` entry), with the request it answers."""

    saved_id: str  # the file's id; "" when it gives none
    name: str
    code: int
    status: str
    headers: Pairs
    body: str
    language: str  # _postman_previewlanguage, lower case, "" when absent
    request: Request  # originalRequest, or the parent request where it is missing
    request_name: str
    folders: tuple[str, ...]
    scopes: tuple[Scope, ...]  # variable lists, narrowest first
    position: int  # collection order
    where: str  # JSON path in the file
    raw_body: bytes | None = None  # mockpost's `_mockpost_body_base64`: bytes served as they are
    id_base: str = ""  # the collection's id: with `where`, names an example saved without one
    _id: str = field(default="", compare=False, repr=False)
    # mockpost's own `_mockpost_dynamic_body`: the body `--dynamic` (or `Prefer:
    # dynamic=true`) answers instead, its values drawn on every call (an API definition's).
    dynamic_body: str | None = None
    marks: str = ""  # state tags of its and its request's descriptions (state/tags.py)

    @property
    def id(self) -> str:
        """The file's id, else one made from the collection's id and the example's place: the
        same from run to run (Postman gives every example an id on import). Made when first
        asked for: most are never needed, and start-up would make one for every example."""
        if not self._id:
            made = self.saved_id or stable_id(f"{self.id_base}/{self.where}")
            object.__setattr__(self, "_id", made)
        return self._id


@readonly
class RequestItem:
    """A request of the collection, with its saved examples (possibly none)."""

    name: str
    folders: tuple[str, ...]
    request: Request
    example_count: int
    where: str


@readonly
class Dropped:
    """An example that could not be served, and why."""

    where: str
    name: str
    reason: str


@readonly
class Collection:
    source: str
    name: str
    schema_version: str  # "2.1.0", "2.0.0" or "" when info.schema says nothing
    requests: tuple[RequestItem, ...]
    examples: tuple[Example, ...]
    dropped: tuple[Dropped, ...]
    variables: Mapping[str, str]
    id_base: str = ""  # what names its examples saved without an id (with their place)
    scope: Scope | None = None  # its variables, as its examples' scopes hold them
    notes: tuple[str, ...] = ()  # what was read differently or skipped (a v3 tree's files)
    # What checks each call against an API definition (runtime/validation.py's Checker), for
    # a collection served from one; None for a collection file.
    checker: object | None = None


@readonly
class Environment:
    source: str
    name: str
    values: Mapping[str, str]
