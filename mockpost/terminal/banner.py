"""Start-up messages: what is served, from which files, and where it listens."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from mockpost.postman.model import Collection, Environment


class Banner:
    """Start-up messages."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def loaded(self, collection: Collection, environment: Environment | None, version: str) -> None:
        line = Text()
        line.append(f"mockpost {version} ", style="bold")
        line.append("serving ")
        line.append(collection.name, style="bold cyan")
        schema = f" (collection v{collection.schema_version})" if collection.schema_version else ""
        line.append(schema)
        self.console.print(line)
        served = sum(1 for r in collection.requests if r.example_count)
        self.console.print(
            Text(
                f"  {len(collection.requests)} requests, {served} with examples; "
                f"{len(collection.examples)} examples"
            )
        )
        if environment is not None:
            self.console.print(
                Text(f"  environment {environment.name!r}: {len(environment.values)} values")
            )
        for dropped in collection.dropped:
            warning = Text("  dropped ", style="yellow")
            warning.append(f"{dropped.where} {dropped.name!r}: {dropped.reason}")
            self.console.print(warning)
        if not collection.examples:
            self.console.print(
                Text(
                    "  this collection has no saved examples: every call will get the "
                    "not-found response (save examples in Postman first)",
                    style="yellow",
                )
            )

    def warn(self, message: str) -> None:
        self.console.print(Text(message, style="yellow"))

    def listening(self, url: str) -> None:
        line = Text("Listening on ")
        line.append(url, style="bold underline")
        line.append("  (Ctrl+C to stop)")
        self.console.print(line)
