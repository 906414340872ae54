"""The command line (click only): options -> settings -> load -> runtime -> serve."""

from __future__ import annotations

import importlib

import click

from mockpost.version import __version__

# Each command's module, imported when the command is run or listed: `serve` does not wait
# for what `validate` or `record` import (rich's tables, the recorder).
_COMMANDS = {
    "convert": ("mockpost.cli.convert", "convert"),
    "import": ("mockpost.cli.record", "import_har"),
    "record": ("mockpost.cli.record", "record"),
    "routes": ("mockpost.cli.inspect", "routes"),
    "serve": ("mockpost.cli.serve", "serve"),
    "validate": ("mockpost.cli.inspect", "validate"),
}


class _Commands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, name = _COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mockpost")
def main() -> None:
    """Serve a Postman collection's saved examples as a local mock API."""
