"""Authored Markdown from account files (plans, review notes), rendered by the generator itself.

A pull request can edit these bodies, so what they may become is decided here, not by the site
engine's Markdown settings: one fixed set of extensions (no attr_list, no md_in_html, nothing that
reads files), raw HTML shown as text, every id the text produces namespaced under `user-content-`
(as large hosts do for user content) with in-page links rewritten to match, classes limited to what
the extensions write, and images only from the repository or the hosts `criteria.yml` allows. The
result is HTML that is already inert when it reaches the docs tree, so it stays inert whichever
engine builds the site, with or without our plugin or a build hook.

Top-level headings are handed back separately, with their namespaced ids, so that the page can
write them as Markdown headings: the engine then lists them in the table of contents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from .escape import BRACES_AS_ENTITIES, markdown_body
from .safety import sanitize_authored

NAMESPACE = "user-content-"

# The Markdown an author may use in account files: what the site's own configuration offered
# them before (tables, admonitions, details, fenced code) and the common prose extensions.
EXTENSIONS = ("tables", "admonition", "pymdownx.details", "pymdownx.superfences", "footnotes", "def_list", "abbr",
              "sane_lists")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # plain text, as a reader sees it
    anchor: str  # namespaced id


@dataclass(frozen=True)
class Html:
    html: str  # sanitised


Piece = Heading | Html


class AuthoredRenderer:
    """One Python-Markdown instance, reset between bodies (building one costs more than a body)."""

    def __init__(self, image_hosts: Iterable[str] = ()) -> None:
        import markdown

        self._md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
        self.image_hosts = frozenset(h.lower() for h in image_hosts)

    def render(self, text: str, link_for: Callable[[str], str], taken: set[str]) -> list[Piece]:
        """`text` as pieces in reading order; `taken` holds the anchors already on the page and
        receives the new ones, so that two bodies on one page never share an id."""
        self._md.reset()
        html = self._md.convert(str(markdown_body(text, link_for)))
        pieces: list[Piece] = []
        position = 0
        for start, end, level, title in _top_level_headings(html):
            pieces += self._html(html[position:start])
            pieces.append(Heading(level, title, _unique(NAMESPACE + slug(title), taken)))
            position = end
        pieces += self._html(html[position:])
        return pieces

    def _html(self, fragment: str) -> list[Piece]:
        if not fragment.strip():
            return []
        # The sanitiser writes references back as characters: braces would stand in the tree as text
        # that only the engine's reading of raw HTML blocks keeps from being an attribute list.
        return [Html(sanitize_authored(fragment, NAMESPACE, self.image_hosts).translate(BRACES_AS_ENTITIES))]


_NOT_IN_SLUG = re.compile(r"[^\w\- ]", re.UNICODE)


def slug(title: str) -> str:
    """The anchor of a heading, as Python-Markdown's toc would make it (so an author's
    `[see](#customers-business)` keeps working); never empty."""
    words = _NOT_IN_SLUG.sub("", title).strip().lower()
    return re.sub(r"[-\s]+", "-", words) or "section"


def _unique(anchor: str, taken: set[str]) -> str:
    found, n = anchor, 1
    while found in taken:
        found = f"{anchor}_{n}"
        n += 1
    taken.add(found)
    return found


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _TopLevel(HTMLParser):
    """Finds the headings that are direct children of the body (not inside a list, a quote or an
    admonition), with their offsets in the HTML and their text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self._text = html  # rawdata is consumed while parsing; offsets are into the whole text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.depth = 0
        self.current: tuple[int, int, list[str]] | None = None  # start offset, level, text
        self.found: list[tuple[int, int, int, str]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if self.depth == 0 and tag in _HEADINGS:
            self.current = (self._offset(), _HEADINGS[tag], [])
        self.depth += 1

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        self.depth -= 1
        if self.depth == 0 and self.current is not None and tag in _HEADINGS:
            start, level, text = self.current
            end = self._text.index(">", self._offset()) + 1
            self.found.append((start, end, level, " ".join("".join(text).split())))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current[2].append(data)


def _top_level_headings(html: str) -> list[tuple[int, int, int, str]]:
    if "<h" not in html:
        return []
    parser = _TopLevel(html)
    parser.feed(html)
    parser.close()
    return parser.found
