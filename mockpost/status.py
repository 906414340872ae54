"""HTTP status codes as text."""

from __future__ import annotations

from http import HTTPStatus


def phrase(code: int) -> str:
    """The reason phrase HTTP gives a status code ("" for one it does not name)."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""
