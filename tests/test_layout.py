"""The package's shape: the core imports neither click, aiohttp nor rich; modules stay small."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mockpost"
FRONTS = {"click": "cli", "aiohttp": "web", "rich": "terminal"}


def test_the_core_imports_neither_click_aiohttp_nor_rich() -> None:
    modules = [
        "mockpost." + str(p.relative_to(PACKAGE).with_suffix("")).replace("/", ".")
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.parts[len(PACKAGE.parts)]
        in ("postman", "openapi", "matching", "responses", "calls", "runtime", "lifecycle")
        or (p.parent == PACKAGE and p.name != "__main__.py")
    ]
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "loaded = sorted(m for m in ('click', 'aiohttp', 'rich') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"the core imported {result.stdout.strip()}"
    assert "mockpost.runtime.runtime" in modules
    assert "mockpost.matching.match" in modules


def test_only_the_front_ends_import_their_library() -> None:
    for library, home in FRONTS.items():
        for path in PACKAGE.rglob("*.py"):
            relative = path.relative_to(PACKAGE)
            if str(relative) == home or relative.parts[0] == home:
                continue
            text = path.read_text(encoding="utf-8")
            assert f"import {library}" not in text, f"{relative} imports {library}"
            assert f"from {library}" not in text, f"{relative} imports {library}"


# What only the `mockpost` command may do to the process it owns, and where.
ONLY_IN = {"gc": "cli/collector.py", "sys.setswitchinterval": "lifecycle/reload.py"}
NEVER = {"pickle", "marshal", "shelve", "multiprocessing", "os.fork", "os.forkpty", "os.setsid"}


def _uses(tree: ast.AST) -> set[str]:
    """The modules imported, and the dotted names called (`os.fork`, `setattr`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call):
            name = node.func
            parts = []
            while isinstance(name, ast.Attribute):
                parts.append(name.attr)
                name = name.value
            if isinstance(name, ast.Name):
                found.add(".".join([name.id, *reversed(parts)]))
    return found


def test_no_pickle_no_fork_no_patched_library_and_process_state_in_one_place_each() -> None:
    wrong: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = str(path.relative_to(PACKAGE))
        uses = _uses(ast.parse(path.read_text(encoding="utf-8")))
        wrong += [f"{relative}: {name}" for name in sorted(uses & NEVER)]
        if "setattr" in uses:  # a library's object patched (object.__setattr__ is our own)
            wrong.append(f"{relative}: setattr")
        for name, home in ONLY_IN.items():
            if relative != home and any(u == name or u.startswith(name + ".") for u in uses):
                wrong.append(f"{relative}: {name} (only {home} may)")
    assert wrong == []


def test_no_module_is_much_over_300_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 320
    }
    assert long == {}


def test_the_package_says_it_is_typed() -> None:
    assert (PACKAGE / "py.typed").exists()


def test_serve_starts_without_what_only_other_commands_or_unmatched_calls_need() -> None:
    # Start-up is timed to listening: `serve` imports neither the other commands (rich's
    # tables, the recorder's command line) nor rapidfuzz, which the distance step and a 404's
    # explanation import when a call first needs them.
    code = (
        "import sys, click\n"
        "from mockpost.cli import main\n"
        "with click.Context(main) as ctx:\n"
        "    names = main.list_commands(ctx)\n"
        "    serve = main.get_command(ctx, 'serve')\n"
        "import mockpost.server.run\n"
        "print(names, serve.name)\n"
        "print(sorted(m for m in ('mockpost.cli.inspect', 'mockpost.cli.record', 'rich.table',\n"
        "    'rapidfuzz', 'yaml', 'mockpost.postman.v3') if m in sys.modules))\n"
        "from mockpost.matching.distance import levenshtein\n"
        "print(levenshtein('kitten', 'sitting'), 'rapidfuzz' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == [
        "['convert', 'import', 'record', 'routes', 'serve', 'validate'] serve",
        "[]",
        "3 True",
    ]


def test_every_command_is_found_under_its_own_name() -> None:
    from click import Context

    from mockpost.cli import main

    with Context(main) as ctx:
        for name in main.list_commands(ctx):
            command = main.get_command(ctx, name)
            assert command is not None
            assert command.name == name
        assert main.get_command(ctx, "nope") is None
