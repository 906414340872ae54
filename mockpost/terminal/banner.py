"""Start-up messages: what is served, from which files, in which modes, and where."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from mockpost.postman.model import Collection, Environment
from mockpost.runtime.settings import Settings
from mockpost.text import plural, printable


def modes(settings: Settings) -> list[str]:
    """Every mode in force that changes what a call gets, in words."""
    found: list[str] = []
    if settings.api_key is not None:
        found.append("private: calls must send the API key in x-api-key")
    if settings.delay.fixed_ms != 0:
        found.append(f"delay: every answer waits {settings.delay.describe()}")
    if settings.server_response is not None:
        found.append(f"server response: every call gets {settings.server_response.code}")
    match = settings.match
    if match.match_body:
        found.append("request bodies must match")
    if match.match_headers:
        found.append(f"request headers must match: {', '.join(match.match_headers)}")
    if not match.fuzzy:
        found.append("no document-distance path step")
    if settings.keep_cors_headers:
        found.append("the examples' own CORS headers are served")
    if settings.seed is not None:
        found.append(
            f"seed {settings.seed}: dynamic values, delays and faults are the same from run to run"
        )
    if settings.locale is not None:
        found.append(f"locale {settings.locale}")
    found += settings.faults.describe()
    return found


class Banner:
    """Start-up messages."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def loaded(self, collection: Collection, environment: Environment | None, version: str) -> None:
        line = Text()
        line.append(f"mockpost {version} ", style="bold")
        line.append("serving ")
        line.append(printable(collection.name), style="bold cyan")
        version = collection.schema_version
        schema = f" (collection v{version})" if version[:1].isdigit() else f" ({version})"
        schema = schema if version else ""
        line.append(schema)
        self.console.print(line)
        served = sum(1 for r in collection.requests if r.example_count)
        self.console.print(
            Text(
                f"  {plural(len(collection.requests), 'request')}, {served:,} with examples; "
                f"{plural(len(collection.examples), 'example')}"
            )
        )
        if environment is not None:
            name = printable(repr(environment.name))
            self.console.print(
                Text(f"  environment {name}: {plural(len(environment.values), 'value')}")
            )
        for dropped in collection.dropped:
            warning = Text("  dropped ", style="yellow")
            warning.append(printable(f"{dropped.where} {dropped.name!r}: {dropped.reason}"))
            self.console.print(warning)
        if not collection.examples:
            self.warn(
                "  this collection has no saved examples: every call will get the "
                "not-found response (save examples in Postman first)"
            )

    def settings(self, settings: Settings) -> None:
        for mode in modes(settings):
            self.console.print(Text(f"  {mode}", style="magenta"))

    def reloaded(
        self, ok: bool, version: int, examples: int, error: str | None, cause: str = ""
    ) -> None:
        """What a reload did: the new version, or why the last good one keeps serving."""
        by = f" (by {cause})" if cause else ""
        if ok:
            said = f"reloaded{by}: version {version}, {plural(examples, 'example')}"
            self.console.print(Text(printable(said), style="cyan"))
        else:
            self.warn(f"not reloaded{by}: {error}; version {version} keeps serving")

    def note(self, message: str) -> None:
        self.console.print(Text(printable(message), style="cyan"))

    def warn(self, message: str) -> None:
        self.console.print(Text(printable(message), style="yellow"))

    def listening(self, url: str, page: str | None = None, private: bool = False) -> None:
        """Where mockpost answers (the last line of the banner) and its call-log page (in
        private mode, with the place where the key goes: it is never printed)."""
        if page is not None:
            line = Text("Call log: ")
            line.append(page + ("?api_key=KEY" if private else ""), style="underline")
            if private:
                line.append("  (private: put the --api-key value in place of KEY)")
            self.console.print(line)
        line = Text("Listening on ")
        line.append(url, style="bold underline")
        line.append("  (Ctrl+C to stop)")
        self.console.print(line)
