"""What the README says of installing mockpost into another project holds: the wheel's name,
what it carries, and the bundled test suite run from a folder of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_wheel_is_mockpost_cli_and_carries_the_page_and_the_plugin(tmp_path: Path) -> None:
    source = tmp_path / "clone"  # built from a copy: a build leaves its files in the tree
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "node_modules"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("*.whl")
    assert wheel.name.startswith("mockpost_cli-")
    assert wheel.name in README or "mockpost_cli-0.1.0-py3-none-any.whl" in README
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for static in ("index.html", "page.js", "page.css"):
            assert f"mockpost/web/static/{static}" in names
        [entry_points] = [n for n in names if n.endswith("entry_points.txt")]
        said = archive.read(entry_points).decode()
    assert "mockpost = mockpost.cli:main" in said
    assert "mockpost = mockpost.embedded.plugin" in said
    assert "`pip install mockpost` fetches an unrelated project" in README


def test_the_bundled_test_suite_runs_from_a_folder_of_its_own(tmp_path: Path) -> None:
    for name in (
        "bookshop.postman_collection.json",
        "bookshop.postman_environment.json",
        "test_bookshop_mock.py",
    ):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_bookshop_mock.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
