"""The README stays a newcomer's page, and every link in it and in docs/ leads somewhere."""

from __future__ import annotations

import re

from tests.conftest import ROOT

LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_is_short_and_leads_to_every_page_of_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in readme, f"the README does not link docs/{page.name}"
    assert "(CONTRIBUTING.md)" in readme


def test_every_relative_link_of_the_docs_names_a_file_that_exists() -> None:
    broken = []
    for page in [*PAGES, ROOT / "bench" / "RESULTS.md"]:
        for target, _ in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []


def test_the_docs_name_only_modules_that_exist() -> None:
    named = set()
    for page in PAGES:
        named |= set(
            re.findall(
                r"`((?:mockpost|web|cli|server|runtime|lifecycle|calls|"
                r"matching|responses)/[\w/]+\.py)`",
                page.read_text("utf-8"),
            )
        )
    missing = [
        name
        for name in sorted(named)
        if not (ROOT / name).exists() and not (ROOT / "mockpost" / name).exists()
    ]
    assert missing == []
