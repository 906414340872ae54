"""The version of mockpost: one place, read by the package, its commands and pyproject.toml."""

__version__ = "0.1.0"
