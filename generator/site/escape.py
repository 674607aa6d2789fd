"""Text for the generated Markdown: escaping that keeps account data inert.

Every value printed from an account file goes through `md_text` (the render environment's
finalize), so `<script>` or `{{ 7*7 }}` in a note is shown literally and never runs.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

from ..core.mdtext import WIKILINK, defuse_markup, lines_with_fences, split_code_spans

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#<>!])")
# Braces would open an attribute list (`{: onclick=... }`) to a Markdown engine reading the tree;
# as numeric references they show the same characters and mean nothing to Markdown.
BRACES_AS_ENTITIES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def md_text(value: Any) -> Markup:
    """Plain text made inert for Markdown and HTML."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    # Quotes stay quotes: this text is never an attribute value (templates use `h` there), and an
    # entity such as &#x27; would be escaped a second time in the table of contents.
    text = html.escape(str(value), quote=False)
    return Markup(_MD_SPECIAL.sub(r"\\\1", text).replace("{", "&#123;").replace("}", "&#125;"))


def cell(value: Any) -> Markup:
    return Markup(" ".join(md_text(value).split()))


# Inside inline HTML (a badge, an attribute) Markdown still reads backticks, emphasis and
# brackets; numeric references show the same characters and mean nothing to it.
_MD_INLINE_AS_ENTITY = str.maketrans({c: f"&#{ord(c)};" for c in "`*_[]\\{}"})


def html_text(value: Any) -> Markup:
    """Plain text for HTML the templates write themselves: escaped, and inert to Markdown."""
    return Markup(html.escape("" if value is None else str(value), quote=True).translate(_MD_INLINE_AS_ENTITY))


def markdown_body(text: str, link_for) -> Markup:
    """An authored Markdown body: raw HTML neutralised outside code, wiki-links resolved, and a
    paragraph the renderer would need quadratic time for shown as code instead (`defuse_markup`)."""
    out = []
    for _, line, in_code in lines_with_fences(defuse_markup(text)):
        if in_code:
            out.append(line)
            continue
        out.append("".join(piece if is_code else WIKILINK.sub(lambda m: link_for(m.group(1).strip()), _inert(piece))
                           for piece, is_code in split_code_spans(line)))
    return Markup("\n".join(out))


def _inert(prose: str) -> str:
    return prose.replace("&", "&amp;").replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")
