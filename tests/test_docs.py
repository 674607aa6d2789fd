"""The documentation: a short README, and the guide published with the playbook, generated where it can be."""

from __future__ import annotations

import re

import yaml

from account_playbooks.validate.pagerules import raw_html

from .docs import CLI_REFERENCE, PROJECT, cli_reference, commands, help_text

README = PROJECT / "README.md"
GUIDE = PROJECT / "playbook" / "guide"
MAX_README_WORDS = 1500


def _words(markdown: str) -> int:
    return len(re.findall(r"\S+", markdown))


def test_the_command_line_page_is_what_the_commands_help_says_now():
    committed = CLI_REFERENCE.read_text(encoding="utf-8")
    assert committed == cli_reference(), "the CLI reference is stale: run `make docs` and commit the page"


def test_the_command_line_page_has_every_command_and_subcommand_with_its_options():
    page = CLI_REFERENCE.read_text(encoding="utf-8")
    paths = list(commands())
    assert ("import", "crm") in paths and ("new", "account") in paths and ("validate",) in paths
    for path in paths:
        assert f"\n## kam {' '.join(path)}\n" in page, path
    assert "--mapping" in help_text(("import", "crm")) and "--mapping" in page


def test_the_readme_is_short():
    assert _words(README.read_text(encoding="utf-8")) < MAX_README_WORDS


def test_the_readme_keeps_what_a_newcomer_needs():
    readme = README.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", readme, re.MULTILINE)
    for wanted in ("The two commands", "Adding an account", "The day-to-day loop", "Security", "Read more"):
        assert wanted in headings
    for fact in ("make site", "make test", "Python 3.11+", "Chromium", ".venv/bin/kam", "kam new account",
                 "playbook_html: true", "content.image_hosts", "- macros:", "tests/hostile.py"):
        assert fact in readme, fact


def _relative_links(markdown: str) -> list[str]:
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


def test_the_readme_links_to_files_that_exist():
    links = _relative_links(README.read_text(encoding="utf-8"))
    assert links
    missing = [link for link in links if not (PROJECT / link.split("#")[0]).exists()]
    assert missing == []


def _nav_pages(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [page for value in node.values() for page in _nav_pages(value)]
    return [page for item in node for page in _nav_pages(item)]


def test_every_guide_page_is_in_the_guide_section_of_the_nav():
    nav = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    guide = next(item["Guide"] for item in nav if isinstance(item, dict) and "Guide" in item)
    pages = sorted(f"playbook/guide/{p.name}" for p in GUIDE.glob("*.md"))
    assert len(pages) >= 8
    assert sorted(_nav_pages(guide)) == pages


def test_guide_pages_hold_no_raw_html_so_they_publish_under_the_playbook_rules():
    for page in GUIDE.glob("*.md"):
        assert list(raw_html(page.read_text(encoding="utf-8"))) == [], page.name


def test_the_benchmarks_readme_has_the_method_and_dated_figures():
    text = (PROJECT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    assert "make bench" in text and re.search(r"\b20\d\d-\d\d-\d\d\b", text)
    for part in ("validate", "score", "startup", "history", "preview", "engines", "site", "import"):
        assert f"| {part} |" in text, part


def test_the_design_notes_name_modules_that_exist():
    """The one-home table names files in the package; a module moved or renamed fails here."""
    notes = (GUIDE / "design-notes.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:core|validate|scoring|analysis|history|site|scaffold|crm|cli)/[a-z_]+\.py)`", notes))
    assert len(named) > 20
    assert sorted(n for n in named if not (PROJECT / "generator" / n).is_file()) == []
