"""What the command line's options take, checked as click reads them, and where each can come
from: the command line, or an environment variable `MOCKPOST_<OPTION>`."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mockpost.errors import MockpostError
from mockpost.matching.directives import MAX_DELAY_MS, parse_delay
from mockpost.postman.jsonfile import read_bytes
from mockpost.runtime.settings import DELAY_PRESETS, ServerResponse

F = TypeVar("F", bound=Callable[..., Any])
ENV_PREFIX = "MOCKPOST_"


def env_name(long_option: str) -> str:
    """`--api-key` -> `MOCKPOST_API_KEY`: named after the option, not the command."""
    return ENV_PREFIX + long_option.lstrip("-").upper().replace("-", "_")


def option(*declarations: str, **kwargs: Any) -> Callable[[F], F]:
    """A click option that may also come from `MOCKPOST_<OPTION>`, said in `--help`."""
    long = next(d for d in declarations if d.startswith("--"))
    return click.option(*declarations, envvar=env_name(long), show_envvar=True, **kwargs)


def delay(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A delay: ms (0..180000), or Postman's presets 2g (300 ms) and 3g (100 ms)."""
    text = value.strip().lower()
    if text in DELAY_PRESETS:
        return DELAY_PRESETS[text]
    if text == "0":
        return 0
    found = parse_delay(text)
    if found is None:
        raise click.BadParameter(f"{value!r} is not 2g, 3g or a number of ms 0..{MAX_DELAY_MS}")
    return found


def locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A locale Faker knows."""
    if value is None:
        return None
    from faker.config import AVAILABLE_LOCALES

    if value not in AVAILABLE_LOCALES:
        close = sorted(loc for loc in AVAILABLE_LOCALES if loc.split("_")[0] == value.split("_")[0])
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise click.BadParameter(f"{value!r} is not a locale Faker knows{hint}")
    return value


def names(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """Comma-separated header names, in lower case."""
    return tuple(n.strip().lower() for n in value.split(",") if n.strip())


def server_response(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> ServerResponse | None:
    """`CODE` or `CODE:BODY_FILE`: a 5xx answering every call, with the file as its body
    (its Content-Type guessed from the file's name)."""
    if value is None or not value.strip():
        return None
    code_text, _, body_file = value.strip().partition(":")
    if not code_text.isdigit() or not 500 <= int(code_text) <= 599:
        raise click.BadParameter(f"{value!r}: the code must be a 5xx, as in 503 or 503:body.json")
    if not body_file:
        return ServerResponse(int(code_text))
    path = Path(body_file)
    try:
        body = read_bytes(path, "a body file")
    except MockpostError as exc:
        raise click.BadParameter(str(exc)) from None
    content_type = mimetypes.guess_type(path.name)[0]
    headers = (("Content-Type", content_type),) if content_type else ()
    return ServerResponse(int(code_text), body, headers)
