"""The tree audit: is the docs tree `kam render --out` wrote safe for an engine that runs no hook?

The safety of the site must not depend on our plugin or a build hook (Zensical runs neither): the
Markdown the generator writes is already inert. This module checks that claim on the written
tree, before any engine reads it, and names every place where it does not hold: a raw HTML tag or
attribute the generator never writes (an event handler above all), a `javascript:` or other
unsafe URL in HTML or in a Markdown link, an attribute list that sets more than an id, and an id
in the theme's namespace (Material keeps its own ids, `__config`, `__drawer`..., there), be it an
HTML id, an attribute list's or the one a heading would take from its text.

Code (fenced blocks and code spans) is text on the page and is not read. Playbook pages are the
repository's own when mkdocs.yml allows raw HTML in them (`playbook_html`): `trusted` leaves them out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from ..core.codes import emits
from ..core.diagnostics import Diagnostic, diagnostic
from ..core.mdtext import find_link_destinations, lines_with_fences, split_code_spans
from ..core.urls import unsafe_scheme
from .authored import slug
from .safety import generated_markup, style_allowed

EMITS = emits("E425")

_URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background"})
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*((?:[#.][^\s{}]+|[A-Za-z_][\w:-]*=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+))"
                             r"(?:[ \t]+[^{}\n]*)?)[ \t]*\}")
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_ID_LIST = re.compile(r"\{:?[ \t]*#[^\s{}]+[ \t]*\}[ \t]*$")
# An HTML tag is handed to the page whole (attribute values included): Markdown reads no attribute list in it.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def theme_id(value: str) -> bool:
    """Material's ids, and any the theme may add, start with an underscore; ours never do."""
    return value.startswith("_")


def prose(text: str) -> str:
    """`text` with its code blocks and code spans blanked (same lines and columns): what Markdown
    and the browser read as markup."""
    out = []
    for _, line, in_code in lines_with_fences(text):
        if in_code:
            out.append(" " * len(line))
        else:
            out.append("".join(" " * len(piece) if is_code else piece for piece, is_code in split_code_spans(line)))
    return "\n".join(out)


class _Markup(HTMLParser):
    """Every start tag with its attributes and position."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # text is not read: references need not be decoded
        self.tags: list[tuple[int, int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        line, column = self.getpos()
        self.tags.append((line, column + 1, tag, attrs))

    handle_startendtag = handle_starttag


def _tag_problems(tag: str, attrs: list[tuple[str, str | None]]) -> Iterable[str]:
    if ":" in tag or "@" in tag:  # an autolink (<https://...>, <a@b.c>), not a tag
        url = tag + "".join(f" {name}" for name, _ in attrs)
        if scheme := unsafe_scheme(url):
            yield f"an autolink with the unsafe scheme `{scheme}:`"
        return
    if not generated_markup(tag):
        yield f"raw HTML <{tag}>, which the generator never writes"
        return
    for name, value in attrs:
        value = value or ""
        if name.startswith("on"):
            yield f"an event handler `{name}` on <{tag}>"
        elif not generated_markup(tag, name):
            yield f"the attribute `{name}` on <{tag}>, which the generator never writes"
        elif name in _URL_ATTRIBUTES and (scheme := unsafe_scheme(value)):
            yield f"a `{scheme}:` URL in `{name}` on <{tag}>"
        elif name == "id" and theme_id(value):
            yield f"the id `{value}` on <{tag}>, in the theme's namespace (ids from account text start with `user-content-`)"
        elif name == "style" and not style_allowed(value):
            yield f"a style on <{tag}> that sets more than alignment and width"


def _attribute_list_problems(content: str) -> Iterable[str]:
    tokens = content.split()
    if len(tokens) != 1 or not tokens[0].startswith("#"):
        yield f"an attribute list `{{ {content} }}` that sets more than an id"
    elif theme_id(tokens[0][1:]):
        yield f"the id `{tokens[0][1:]}` from an attribute list, in the theme's namespace"


def audit_page(path: str, text: str) -> list[Diagnostic]:
    """What in one Markdown page of the tree is not inert, each at its line and column."""
    readable = prose(text)
    found: list[tuple[int, int, str]] = []
    if "<" in readable:
        parser = _Markup()
        parser.feed(readable)
        parser.close()
        found += [(line, column, problem) for line, column, tag, attrs in parser.tags
                  for problem in _tag_problems(tag, attrs)]
    for number, line in enumerate(readable.split("\n"), start=1):
        if "{" in line:
            outside_tags = _TAG.sub(lambda m: " " * len(m.group()), line)
            found += [(number, m.start() + 1, problem) for m in _ATTRIBUTE_LIST.finditer(outside_tags)
                      for problem in _attribute_list_problems(m.group(1))]
        heading = _ATX.match(line)
        if heading and not _ID_LIST.search(line) and theme_id(slug(heading.group(1))):
            found.append((number, 1, f"a heading whose anchor `{slug(heading.group(1))}` is in the theme's "
                                     "namespace (it needs an id `user-content-...`)"))
    found += [(link.line, link.column, f"a link with the unsafe scheme `{scheme}:`")
              for link in find_link_destinations(readable, 1) if (scheme := unsafe_scheme(link.url))]
    return [diagnostic(path, (line, column), "E425", problem) for line, column, problem in sorted(found)]


def audit_tree(tree: Path, trusted: Iterable[str] = ()) -> list[Diagnostic]:
    """Every problem `audit_page` finds in the Markdown pages under `tree`/docs, paths relative to
    `tree`; pages under a `trusted` folder of docs/ (the playbook, when it may hold raw HTML) are left out."""
    docs = tree / "docs"
    trusted = tuple(trusted)
    found: list[Diagnostic] = []
    for page in sorted(docs.rglob("*.md")):
        relative = page.relative_to(docs).as_posix()
        if relative.startswith(trusted):
            continue
        found += audit_page(page.relative_to(tree).as_posix(), page.read_text(encoding="utf-8"))
    return found
