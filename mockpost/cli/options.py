"""What the command line's options take, checked as click reads them, and where each can come
from: the command line, or an environment variable `MOCKPOST_<OPTION>`."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mockpost.errors import MockpostError
from mockpost.faults.latency import Latency, LatencyError, parse_latency
from mockpost.faults.plan import (
    ConnectionFault,
    ErrorRate,
    FaultError,
    RateLimit,
    check_connection,
    parse_by,
    parse_error_rate,
    parse_fault,
    parse_rate_limit,
)
from mockpost.postman.jsonfile import read_bytes
from mockpost.record.exchange import split_target
from mockpost.runtime.settings import ServerResponse

F = TypeVar("F", bound=Callable[..., Any])
A = TypeVar("A")
R = TypeVar("R")
ENV_PREFIX = "MOCKPOST_"


def env_name(long_option: str) -> str:
    """`--api-key` -> `MOCKPOST_API_KEY`: named after the option, not the command."""
    return ENV_PREFIX + long_option.lstrip("-").upper().replace("-", "_")


class EnvOption(click.Option):
    """An option whose error names its environment variable only when the value came from
    it (click names it whenever `--help` shows it)."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        hint = super().get_error_hint(ctx)
        source = ctx.get_parameter_source(self.name) if ctx is not None and self.name else None
        if source is not click.core.ParameterSource.ENVIRONMENT:
            hint = hint.split(" (env var: ", 1)[0]
        return hint


def option(*declarations: str, **kwargs: Any) -> Callable[[F], F]:
    """A click option that may also come from `MOCKPOST_<OPTION>`, said in `--help`."""
    long = next(d for d in declarations if d.startswith("--"))
    return click.option(
        *declarations, cls=EnvOption, envvar=env_name(long), show_envvar=True, **kwargs
    )


def delay(ctx: click.Context, param: click.Parameter, value: str) -> Latency:
    """A delay: ms, 2g (300 ms), 3g (100 ms), MIN-MAX or lognormal:MEDIAN:SIGMA."""
    try:
        return parse_latency(value)
    except LatencyError as error:
        raise click.BadParameter(str(error)) from None


def error_rate(ctx: click.Context, param: click.Parameter, value: str | None) -> ErrorRate | None:
    """`PERCENT[:CODE,CODE...]`."""
    return _fault(parse_error_rate, value) if value else None


def rate_limit(ctx: click.Context, param: click.Parameter, value: str | None) -> RateLimit | None:
    """`N/s` or `N/m` (by whom comes from --rate-limit-by)."""
    return _fault(parse_rate_limit, value) if value else None


def rate_limit_by(ctx: click.Context, param: click.Parameter, value: str) -> str:
    return _fault(parse_by, value)


def faults(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[ConnectionFault, ...]:
    """`PERCENT:KIND`, as often as wanted; together at most 100 %."""
    return _fault(check_connection, tuple(_fault(parse_fault, text) for text in value))


def _fault(parse: Callable[[A], R], value: A) -> R:
    try:
        return parse(value)
    except FaultError as error:
        raise click.BadParameter(error.message) from None


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


def target(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An http:// or https:// URL."""
    if value is None:
        return None
    try:
        split_target(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return value


def definitions(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--spec`, `--validate`, `--dynamic` (what an API definition does for a mock) and
    `--crud` (a store for a resource)."""
    spec = option(
        "--spec",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Check the collection's calls against this OpenAPI 3 definition (see "
        "--validate); saving it reloads.",
    )
    validate = option(
        "--validate",
        type=click.Choice(["off", "warn", "enforce"]),
        default="warn",
        help="Check calls against the API definition (OpenAPI 3) being served or given with "
        "--spec: warn lists what a call breaks in the call log and an x-mockpost-violations "
        "header; enforce answers such a call with the operation's 401/422/400 example, else "
        "a problem+json (docs/openapi.md).",
    )
    dynamic = option(
        "--dynamic",
        is_flag=True,
        help="A served API definition's answers made from its schemas are drawn afresh on "
        "every call, with Faker (seeded by --seed); a call's Prefer: dynamic=true|false wins.",
    )
    crud = option(
        "--crud",
        multiple=True,
        metavar="PREFIX",
        callback=_crud,
        help="Keep a store for the calls under PREFIX, as json-server does: POST adds, GET "
        "lists (filters, _page, _limit), GET|PUT|PATCH|DELETE PREFIX/ID (repeatable; "
        "/todos:uuid for UUID ids, /todos:id=key to name the id; docs/state.md).",
    )
    read_only = option(
        "--read-only",
        is_flag=True,
        help="Write nothing into the collection: the page offers no writes, the API's answer 403.",
    )
    return spec(validate(dynamic(crud(read_only(command)))))


def _crud(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    from mockpost.state.crud import CrudError, parse_crud

    for value in values:
        try:
            parse_crud(value)
        except CrudError as error:
            raise click.BadParameter(str(error)) from None
    return values
