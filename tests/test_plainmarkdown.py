"""Plain generated pages converted without Python-Markdown: every page the fast path takes is what
mkdocs' own render makes of it (HTML, table of contents, title, anchors), byte for byte, and
anything outside the plain shape is left to Python-Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from account_playbooks.site.build import generate
from account_playbooks.site.onemarkdown import SharedMarkdown
from account_playbooks.site.plainmarkdown import convert

from .corpus import BASE
from .hostile import TEXT_PAYLOADS
from .sitebuild import site_repo

STARTER = "markdown_extensions:\n  - tables\n  - attr_list\n  - md_in_html\n  - admonition\n" \
          "  - pymdownx.details\n  - pymdownx.superfences\n  - toc:\n      permalink: true\n"


def _config(root: Path, extensions: str = STARTER):
    (root / "mkdocs.yml").write_text("site_name: t\n" + extensions, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    config = load_config(config_file=str(root / "mkdocs.yml"))
    config.plugins._current_plugin = None  # File.generated asks which plugin made the file
    return config


def _toc(config):
    md = SharedMarkdown(config)._instance()
    return md.treeprocessors["toc"]


def _mkdocs_own(config, markdown: str, name: str = "page.md") -> tuple:
    """What mkdocs' Page.render makes of `markdown`: the reference."""
    file = File.generated(config, name, content=markdown)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    return page.content, str(page.toc), page._title_from_render, page.present_anchor_ids, page.markdown


def _fast(config, toc, markdown: str, name: str = "page.md") -> tuple | None:
    file = File.generated(config, name, content=markdown)
    page = Page(None, file, config)
    page.read_source(config)  # front matter, if any, is mkdocs' to take off
    plain = convert(page.markdown, toc)
    if plain is None:
        return None
    from mkdocs.structure.toc import get_toc

    return plain.html, str(get_toc(plain.toc_tokens)), plain.title, set(plain.anchor_ids), page.markdown


def _compare_pages(config, pages) -> tuple[int, int]:
    toc = _toc(config)
    fast = 0
    for page in pages:
        got = _fast(config, toc, page.compact, page.path)
        if got is not None:
            fast += 1
            assert got == _mkdocs_own(config, page.compact, page.path), page.path
    return fast, len(pages)


def test_every_plain_page_of_the_example_portfolio_is_what_mkdocs_renders(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    pages = generate(repo, dt.date(2026, 11, 24)).pages
    fast, total = _compare_pages(_config(tmp_path), pages)
    assert total > 50 and fast > total // 2, (fast, total)  # the account pages but their overview take it


def test_every_plain_page_of_a_generated_portfolio_is_what_mkdocs_renders(tmp_path):
    from benchmarks.synth import write_portfolio

    repo = site_repo(write_portfolio(tmp_path / "synth", 40), tmp_path / "repo")
    pages = generate(repo, dt.date(2026, 11, 24)).pages
    fast, total = _compare_pages(_config(tmp_path), pages)
    assert fast >= 0.8 * total


PLAIN_LINES = ["# Account 1", "## Score", "### Person 0 of 1 { #person-0 }", "## Score", "## Score {#score_1}",
               "Health measures how well the account is looked after.", "0.90 points below Gold (6.50): raise it.",
               "<!--kam-block-0-->", "<!--kam-block-1-3-->", "", "", "# Ärger und Übermut", "## Ça va? 100%",
               "A line, then\nanother line", "## 2026", "## Same - same", "A paragraph with  two spaces"]
NOT_PLAIN = ["## **bold**", "Text with `code`", "A [link](x.md)", "R&D", "1. first", "- item", "> quote",
             "    indented", "Trailing  ", "A_b", "<div>raw</div>", "## Hash #", "## x {: .cls }", "| a | b |",
             "!!! note", "Text\n## Heading after text", "<!--kam-block-0-->\nrun on", "===", "Tab\there",
             "## { #only-id }", "#NoSpace", "A line \\", "* star", "[^1]: note", "## Two  spaces"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_LINES + NOT_PLAIN + list(TEXT_PAYLOADS)
                                + [f"## {t}" for t in TEXT_PAYLOADS]), max_size=12),
       st.sampled_from(["\n", "\n\n"]))
def test_whatever_the_fast_path_takes_it_writes_as_mkdocs_does(tmp_path_factory, lines, joiner):
    root = tmp_path_factory.mktemp("plain")
    config = _config(root)
    markdown = joiner.join(lines) + "\n"
    got = _fast(config, _toc(config), markdown)
    if got is not None:
        assert got == _mkdocs_own(config, markdown)


def test_plain_lines_take_the_fast_path_and_others_do_not(tmp_path):
    config = _config(tmp_path)
    toc = _toc(config)
    plain = "\n\n".join(PLAIN_LINES) + "\n"
    assert _fast(config, toc, plain) == _mkdocs_own(config, plain)
    for line in NOT_PLAIN + [f"## {t}" for t in TEXT_PAYLOADS]:
        text = f"# Title\n\n{line}\n"
        if _fast(config, toc, text) is not None:  # hostile text that happens to be plain is still exact
            assert _fast(config, toc, text) == _mkdocs_own(config, text), line
    assert all(_fast(config, toc, f"# T\n\n{line}\n") is None for line in NOT_PLAIN)


@pytest.mark.parametrize("toc_setting", [
    "      permalink: '#'\n", "      anchorlink: true\n", "      baselevel: 2\n", "      permalink_leading: true\n",
    "      permalink: true\n      permalink_title: 'Link \"here\"'\n",
])
def test_a_toc_setting_the_fast_path_does_not_write_leaves_pages_to_markdown(tmp_path, toc_setting):
    config = _config(tmp_path, "markdown_extensions:\n  - toc:\n" + toc_setting)
    assert convert("# Title\n\n## Section\n", _toc(config)) is None


def test_the_default_toc_without_permalinks_is_written_as_mkdocs_does(tmp_path):
    config = _config(tmp_path, "markdown_extensions:\n  - toc\n")
    text = "# Title\n\n## Section\n\n## Section\n\nSome text.\n"
    assert _fast(config, _toc(config), text) == _mkdocs_own(config, text)
