"""`validate` and `routes` as tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mockpost.matching.compile import IndexedExample
from mockpost.matching.report import Report, Route, emptied_lines
from mockpost.postman.variables import TOKEN
from mockpost.terminal.console import status_style
from mockpost.text import plural, printable

if TYPE_CHECKING:
    from mockpost.openapi.drift import Drift


def _example_label(example: IndexedExample) -> Text:
    label = Text(f"{example.code} ", style=status_style(example.code))
    label.append(printable(example.name) or "(no name)")
    query = "&".join(f"{k}={v}" for k, v in example.query.elements())
    if query:
        label.append(printable(f" ?{query}"), style="dim")
    return label


def _path_text(path: str) -> Text:
    """A path with its wildcards highlighted (built as Text: no markup is read)."""
    text = Text()
    last = 0
    for found in TOKEN.finditer(path):
        text.append(printable(path[last : found.start()]))
        text.append(printable(found.group(0)), style="magenta")
        last = found.end()
    text.append(printable(path[last:]))
    return text


def routes_table(routes: tuple[Route, ...]) -> Table:
    table = Table(title="Routes", title_justify="left", show_lines=False)
    table.add_column("method", style="bold")
    table.add_column("path")
    table.add_column("examples (code, name, query)")
    for route in routes:
        labels = Text("\n").join(_example_label(e) for e in route.examples)
        table.add_row(printable(route.method), _path_text(route.path), labels)
    return table


def _counts(
    title: str, columns: tuple[str, str], counts: Mapping[str, int], style: str = ""
) -> Table:
    """A table of names (from the file: escaped) and how many times each is used."""
    table = Table(title=title, title_justify="left")
    table.add_column(columns[0], style=style)
    table.add_column(columns[1], justify="right")
    for name, count in counts.items():
        table.add_row(Text(printable(name)), str(count))
    return table


def print_report(console: Console, report: Report, strict: bool = False) -> None:
    """`mockpost validate`: what the collection holds and what may surprise a user; with
    `strict`, why it fails --strict when it does."""
    index = report.index
    collection = index.collection
    summary = Table(title=printable(collection.name), title_justify="left", show_header=False)
    summary.add_column("what", style="bold")
    summary.add_column("count", justify="right")
    summary.add_row("requests", str(len(collection.requests)))
    summary.add_row(
        "requests with examples", str(sum(1 for r in collection.requests if r.example_count))
    )
    summary.add_row("examples served", str(len(index.examples)))
    summary.add_row("examples dropped", str(len(collection.dropped)))
    summary.add_row("endpoints (method + path)", str(len(report.routes)))
    summary.add_row("wildcard variables", str(len(report.unresolved)))
    summary.add_row("examples never chosen by path", str(len(report.shadowed)))
    summary.add_row("duplicate example names", str(len(report.duplicate_names)))
    summary.add_row("unknown {{$…}} variables", str(len(report.unknown_dynamic)))
    console.print(summary)

    for note in collection.notes:
        console.print(Text(printable(f"note: {note}"), style="yellow"))
    if collection.dropped:
        table = Table(title="Dropped examples (or files)", title_justify="left")
        for column in ("where", "name", "why"):
            table.add_column(column)
        for dropped in collection.dropped:
            table.add_row(
                Text(printable(dropped.where)),
                Text(printable(dropped.name)),
                Text(printable(dropped.reason)),
            )
        console.print(table)
    if report.unresolved:
        console.print(
            _counts(
                "Variables left unresolved in paths (each matches any one segment)",
                ("variable", "example paths"),
                {"{{" + name + "}}": n for name, n in report.unresolved.items()},
                style="magenta",
            )
        )
    for line in emptied_lines(report.emptied):
        console.print(Text(printable(line), style="yellow"))
    for scenario in report.scenarios:
        _print_scenario(console, scenario)
    if report.shadowed:
        table = Table(
            title="Examples never chosen by path (reach them with x-mock-response-"
            "code, -name or -id)",
            title_justify="left",
        )
        table.add_column("method", style="bold")
        table.add_column("path")
        table.add_column("example")
        table.add_column("answered instead by")
        for shadowed in report.shadowed:
            by = shadowed.by
            table.add_row(
                printable(shadowed.example.method),
                _path_text(shadowed.example.path.text),
                _example_label(shadowed.example),
                _example_label(by) if by is not None else Text("nothing", "red"),
            )
        console.print(table)
    if report.duplicate_names:
        console.print(
            _counts(
                "Example names used more than once (x-mock-response-name picks the one whose "
                "path matches best, then the first with code 200)",
                ("name", "examples"),
                report.duplicate_names,
            )
        )
    if report.unknown_dynamic:
        console.print(
            _counts(
                "Unknown {{$…}} variables (served as written)",
                ("variable", "examples"),
                {"{{" + name + "}}": n for name, n in report.unknown_dynamic.items()},
                style="magenta",
            )
        )
    if not report.servable:
        console.print(
            Text("Nothing to serve: this collection has no saved examples.", style="bold red")
        )
    elif strict and not report.strict_ok:
        reasons = []
        if collection.dropped:
            reasons.append(f"{plural(len(collection.dropped), 'example')} dropped")
        if report.shadowed:
            reasons.append(
                f"{plural(len(report.shadowed), 'example')} never chosen by a plain call "
                "to their path"
            )
        console.print(
            Text(
                f"Fails --strict: {' and '.join(reasons)} (listed above); "
                f"{len(index.examples)} examples can be served.",
                style="bold red",
            )
        )
    else:
        console.print(
            Text(f"OK: {len(index.examples)} examples can be served.", style="bold green")
        )


def print_drift(console: Console, drift: Sequence[Drift], spec: str) -> None:
    """`validate --spec`: each example the definition does not allow, and why."""
    if not drift:
        console.print(Text(printable(f"No drift from {spec}: every example keeps to it."), "green"))
        return
    console.print(Text(printable(f"{len(drift)} ways the examples drift from {spec}:"), "bold red"))
    for found in drift:
        console.print(
            Text.assemble(
                ("  ", ""),
                (printable(f"{found.request} / {found.example!r}"), "cyan"),
                (printable(f" ({found.where}): "), "dim"),
                (printable(found.reason), ""),
            )
        )


def _print_scenario(console: Console, scenario: Mapping[str, Any]) -> None:
    """A scenario of the collection's tags: its states, what moves it, what may be amiss."""
    states = ", ".join(scenario["states"])
    console.print(
        Text(printable(f"Scenario {scenario['scenario']}: starts {scenario['first']!r}"), "bold")
        + Text(printable(f"; states: {states}"))
    )
    for move in scenario["transitions"]:
        said = f"  {move['from']} -> {move['to']}: {move['example']!r} of {move['request']!r}"
        console.print(Text(printable(said)))
    for warning in scenario["warnings"]:
        console.print(Text(printable(f"  warning: {warning}"), "yellow"))
