"""Generated pages converted by one Markdown instance: each page is what mkdocs' own render makes
of it (HTML, table of contents, title, anchors), and the site is the same byte for byte."""

from __future__ import annotations

import re

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from account_playbooks.site import onemarkdown, plugin

from .corpus import BASE
from .hostile import TEXT_PAYLOADS
from .sitebuild import build, site_repo

STARTER_EXTENSIONS = """markdown_extensions:
  - tables
  - attr_list
  - md_in_html
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - footnotes
  - toc:
      permalink: true
"""

# What each extension keeps while converting a page: ids already used (toc), stashed HTML and code
# (md_in_html, fences), nested blocks (admonition, details), notes (footnotes: without a reset, a page's
# notes would follow it into the next page), links to other pages and to anchors.
PAGES = {
    "one.md": "# One\n\n## Same { #same }\n\n## Same\n\nA note.[^n]\n\n[^n]: Only on one.\n\n[two](two.md#same) [missing](two.md#nowhere)\n\n"
              "!!! note \"N\"\n    text\n\n??? tip \"T\"\n    more\n\n```python\nx = 1\n```\n\n"
              "<div markdown>\n**bold** <span id=\"raw-one\">r</span>\n</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "two.md": "# Two\n\n## Same\n\n## Same\n\n[one](one.md#same)\n\n~~~\ncode\n~~~\n\n<div markdown>\n*em*\n</div>\n",
    "three.md": "## No title\n\n" + "\n\n".join(f"### {h}\n\n{h}" for h in TEXT_PAYLOADS) + "\n",
}


def _site(tmp_path, extensions: str = STARTER_EXTENSIONS):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n" + extensions, encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in PAGES])
    return config, files


def _rendered(page: Page) -> tuple:
    links = {f.src_uri: anchors for f, anchors in (page.links_to_anchors or {}).items()}
    return page.content, str(page.toc), page.title, page.present_anchor_ids, links


def _pages(config, files, render) -> list[tuple]:
    out = []
    for file in files:
        page = Page(None, file, config)
        page.read_source(config)
        render(page)
        out.append(_rendered(page))
    return out


def test_pages_rendered_by_one_instance_are_what_mkdocs_renders_page_by_page(tmp_path):
    config, files = _site(tmp_path)
    assert onemarkdown.shareable(config["markdown_extensions"])
    mkdocs_own = _pages(config, files, lambda page: page.render(config, files))
    shared = onemarkdown.SharedMarkdown(config)
    # Twice over: the second round's pages follow pages that left ids, stashes and links behind.
    assert _pages(config, files, lambda page: shared.render(page, files)) == mkdocs_own
    assert _pages(config, files, lambda page: shared.render(page, files)) == mkdocs_own
    one, two = mkdocs_own[0], mkdocs_own[1]
    assert "Only on one." in one[0] and "Only on one." not in two[0]
    assert 'id="same_1"' in one[0] and "raw-one" in one[3] \
        and one[4]["two.md"] == {"same": "two.md#same", "nowhere": "two.md#nowhere"}


def test_only_extensions_known_to_reset_between_pages_share_an_instance():
    assert onemarkdown.shareable(["toc", "markdown.extensions.tables", "pymdownx.superfences"])
    assert not onemarkdown.shareable(["toc", "def_list"])  # not checked here: mkdocs renders every page
    assert not onemarkdown.shareable(["toc", object()])  # an extension object a plugin added


def _tree(site) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}  # gzip records when it was written


def _log(output: str) -> str:
    return re.sub(r"built in [\d.]+ seconds", "built", output)


@pytest.mark.slow
def test_a_site_whose_generated_pages_share_one_instance_is_the_same_byte_for_byte(tmp_path, monkeypatch):
    repo = site_repo(BASE, tmp_path / "repo")
    taken: list[str] = []
    take_over = onemarkdown.SharedMarkdown.take_over

    def counted(self, page):
        taken.append(page.file.src_uri)
        take_over(self, page)

    monkeypatch.setattr(onemarkdown.SharedMarkdown, "take_over", counted)
    shared = build(repo)
    assert shared.exit_code == 0, shared.output
    site = _tree(repo / "site")
    assert "accounts/acme-corporation/index.md" in taken and not any(p.startswith("playbook/") for p in taken)
    monkeypatch.setattr(plugin, "SHARE_MARKDOWN", False)
    own = build(repo)
    assert own.exit_code == 0
    assert _tree(repo / "site") == site
    assert _log(own.output) == _log(shared.output)  # the same warnings, about anchors too


@pytest.mark.slow
def test_a_site_with_an_extension_not_known_to_reset_is_rendered_by_mkdocs_page_by_page(tmp_path, monkeypatch):
    repo = site_repo(BASE, tmp_path / "repo")
    mkdocs_yml = repo / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n", "markdown_extensions:\n  - def_list\n"), encoding="utf-8")
    taken: list[str] = []
    monkeypatch.setattr(onemarkdown.SharedMarkdown, "take_over", lambda self, page: taken.append(page))
    assert build(repo).exit_code == 0
    assert taken == [] and (repo / "site" / "accounts" / "acme-corporation" / "index.html").exists()
