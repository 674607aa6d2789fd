"""One Python-Markdown instance for all of a build's generated pages, instead of one per page.

mkdocs makes a new Markdown instance, with every extension set up again, for each page it renders;
for the thousands of short generated pages of a large portfolio that setup is about a quarter of
their Markdown time. Here a generated page is converted by one instance, reset between pages (as
Python-Markdown documents it), with mkdocs' own per-page processors registered anew for each page,
so its HTML, table of contents, title and anchors are what mkdocs' render makes of it.

An extension that keeps something between pages without resetting it would carry it into the next
page: the instance is shared only when every extension in mkdocs.yml is one of KNOWN_RESETTING (the
starter's, each checked to reset what it keeps); with any other, mkdocs renders every page as before.
Playbook pages are always mkdocs' own.
"""

from __future__ import annotations

import logging
from typing import Any

import markdown
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

from .plainmarkdown import convert

# mkdocs' default extensions, the starter mkdocs.yml's and footnotes (tests/test_onemarkdown.py
# converts pages with all of them twice over one instance, and page by page as mkdocs does).
KNOWN_RESETTING = frozenset({"toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition",
                             "pymdownx.details", "pymdownx.superfences", "footnotes"})
_MKDOCS_LOG = logging.getLogger(mkdocs_pages.__name__)  # mkdocs records links to anchors unless it logs at debug


def _short(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


def shareable(extensions: list[Any]) -> bool:
    """Whether pages may share one instance made with these extensions (names, as mkdocs.yml lists them)."""
    return all(isinstance(e, str) and _short(e) in KNOWN_RESETTING for e in extensions)


class SharedMarkdown:
    """Renders mkdocs pages with one Markdown instance, made on first use."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self._md: markdown.Markdown | None = None

    def _instance(self) -> markdown.Markdown:
        if self._md is None:
            self._md = markdown.Markdown(extensions=self.config["markdown_extensions"],
                                         extension_configs=self.config["mdx_configs"] or {})
        return self._md

    def render(self, page: Any, files: Any) -> None:
        """What mkdocs' Page.render sets on `page`, from the shared instance (or, for a page of
        only headings, plain prose and placeholders, from plainmarkdown: the same, byte for byte)."""
        md = self._instance()
        toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
        if (plain := convert(page.markdown, toc)) is not None:
            page.content = plain.html
            page.toc = get_toc(plain.toc_tokens)
            page._title_from_render = plain.title
            page.present_anchor_ids = set(plain.anchor_ids)
            if _MKDOCS_LOG.getEffectiveLevel() > logging.DEBUG:
                page.links_to_anchors = {}  # a plain page links nowhere
            return
        md.reset()  # a plain page never touched it: only a conversion needs a clean instance
        # Registered under the names mkdocs uses, each replaces the previous page's (they hold its file).
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, self.config)
        anchors._register(md)
        relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, self.config)
        relative._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if _MKDOCS_LOG.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors

    def take_over(self, page: Any) -> None:
        """Make `page` render through the shared instance when mkdocs next renders it."""
        page.render = lambda config, files: self.render(page, files)
