"""Generated pages whose Markdown is plain enough to convert without running Python-Markdown.

A generated page reaches Markdown as a few headings, a few sentences of template prose and
placeholders for its blocks of HTML; Python-Markdown's fixed cost for such a page (the block
parser, inline patterns over every text node, the table of contents, serialising) was about a
fifth of a build at 1,000 accounts. `convert` writes what Python-Markdown writes for the one
narrow shape below, or returns None, and the page goes through Python-Markdown as before:

- blank lines;
- a placeholder for blocks (`<!--kam-block-N-->` or `<!--kam-block-N-M-->`) on a line of its own;
- an ATX heading of plain text, optionally ending in an attribute list that sets only its id;
- paragraphs of plain text: letters, digits, spaces and punctuation Markdown gives no meaning
  to, each line starting with a letter or digit and not a numbered list item.

Anything else (an escape, emphasis, a link, an entity, a list, a table, raw HTML other than a
placeholder, a setting of the toc extension other than mkdocs' and the starter's) is not this
shape. The headings' ids, permalinks and table-of-contents entries come from the same toc
extension instance that would have made them (its slugify, its unique-id rule), so a page is
the same byte for byte either way: tests/test_plainmarkdown.py compares every generated page of
the example portfolio, a synthetic one and hostile text with Python-Markdown's output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown.extensions.toc import nest_toc_tokens, unique

_PLACEHOLDER = re.compile(r"<!--kam-block-\d+(?:-\d+)?-->")
# Letters and digits (any script), spaces, and punctuation with no meaning to Markdown's inline
# patterns or to HTML: no backslash, backtick, asterisk, underscore, brackets, braces, angle
# brackets, ampersand, pipe, tilde, caret or hash.
_PLAIN = r"(?:[^\W_]|[ .,;:?!%()/'\"+=\-\u2013\u2014\u2019\u2026\u20ac$\u00a3])"
_TEXT = re.compile(rf"[^\W_]{_PLAIN}*")  # starts with a letter or digit, ends before trailing space
_NUMBERED = re.compile(r"\d+\.(?: |$)")  # `1. ` starts an ordered list
_HEADING = re.compile(rf"(#{{1,6}}) ({_TEXT.pattern}?)(?: \{{ ?#([A-Za-z0-9][A-Za-z0-9_-]*) ?\}})?")


@dataclass(frozen=True)
class Converted:
    html: str
    toc_tokens: list[Any]  # nested, as Python-Markdown's toc extension leaves them
    title: str | None  # the first element's text when it is an h1 (mkdocs' page title)
    anchor_ids: frozenset[str]


def _plain_line(line: str) -> bool:
    return _TEXT.fullmatch(line) is not None and line[-1] != " " and _NUMBERED.match(line) is None


def _blocks(markdown: str) -> list[tuple[str, list[str]]] | None:
    """The page as (kind, lines) blocks, or None when it is not the plain shape."""
    blocks: list[tuple[str, list[str]]] = []
    paragraph: list[str] = []
    after_raw, after_blank = False, True
    for line in markdown.split("\n"):
        if line == "" or line.isspace():
            if paragraph:
                blocks.append(("p", paragraph))
                paragraph = []
            after_raw, after_blank = False, True
            continue
        plain = _plain_line(line)
        if after_raw or paragraph and not plain:
            return None  # a line run on from raw HTML or into a paragraph: Markdown decides, not this
        if _PLACEHOLDER.fullmatch(line):
            if not after_blank:
                return None  # raw HTML straight after a heading: likewise
            blocks.append(("raw", [line]))
            after_raw = True
        elif line.startswith("#"):
            blocks.append(("h", [line]))
        elif plain:
            paragraph.append(line)
        else:
            return None
        after_blank = False
    if paragraph:
        blocks.append(("p", paragraph))
    return blocks


_ID = re.compile(r'[^&<>"\s]+')  # an id the serialiser writes as it is
_ATTRIBUTE = re.compile(r"[A-Za-z0-9 -]*")  # written into an attribute as it is: nothing to escape


def _toc_settings_supported(toc: Any) -> bool:
    """mkdocs' defaults and the starter's `permalink: true`; any other setting goes through Markdown."""
    return (toc.base_level == 0 and not toc.use_anchors and not toc.permalink_leading
            and toc.use_permalinks in (True, False, None)
            and _ATTRIBUTE.fullmatch(toc.permalink_class or "") is not None
            and _ATTRIBUTE.fullmatch(toc.permalink_title or "") is not None)


def convert(markdown: str, toc: Any) -> Converted | None:
    """What Python-Markdown (with mkdocs' processors) makes of `markdown`, given the page's toc
    treeprocessor `toc` (its settings are read, never changed); None when the page is not plain."""
    if toc is None or not _toc_settings_supported(toc):
        return None
    blocks = _blocks(markdown)
    if blocks is None:
        return None
    headings: list[tuple[int, str, str | None]] = []
    for kind, lines in blocks:
        if kind == "h":
            match = _HEADING.fullmatch(lines[0])
            if match is None or not match.group(2) or "  " in match.group(2):
                return None  # (a title and a toc entry have their spaces collapsed: not written here)
            headings.append((len(match.group(1)), match.group(2), match.group(3)))
    used = {explicit for _, _, explicit in headings if explicit is not None}
    counters: dict[str, int] = {}
    tokens: list[Any] = []
    out: list[str] = []
    ids: list[str] = []
    next_heading = iter(headings)
    for kind, lines in blocks:
        if kind == "raw":  # Markdown writes a stashed block with a newline of its own after it
            out.append(lines[0] + "\n")
        elif kind == "p":
            out.append("<p>" + "\n".join(lines) + "</p>")
        else:
            level, text, explicit = next(next_heading)
            anchor = explicit if explicit is not None else unique(toc.slugify(text, toc.sep), used, counters)
            if _ID.fullmatch(anchor) is None:
                return None
            ids.append(anchor)
            inner = escape(text, quote=False)
            if toc.toc_top <= level <= toc.toc_bottom:
                tokens.append({"level": level, "id": anchor, "name": inner, "html": inner, "data-toc-label": ""})
            permalink = ""
            if toc.use_permalinks is True:
                says = f' title="{toc.permalink_title}"' if toc.permalink_title else ""
                permalink = f'<a class="{toc.permalink_class}" href="#{anchor}"{says}>&para;</a>'
            out.append(f'<h{level} id="{anchor}">{inner}{permalink}</h{level}>')
    title = headings[0][1] if blocks and blocks[0][0] == "h" and headings[0][0] == 1 else None
    return Converted("\n".join(out).strip(), nest_toc_tokens(tokens), title, frozenset(ids))
