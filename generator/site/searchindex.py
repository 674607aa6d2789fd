"""Search entries for generated pages, made from the HTML the generator already holds.

Material's search plugin reads every page back with a pure-Python HTML parser and then drops
what is marked `data-search-exclude`: at 1,000 accounts that was a seventh of a build. A
generated page's blocks already say whether they belong in search, so its entries are cut
from the searchable HTML by heading, in the index format Material writes (location, title,
text with a few tags kept), and added to Material's index after it is written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

# The tags Material keeps in an entry's text; everything else is reduced to its text.
KEPT_TAGS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.S)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_EMPTY = re.compile(r"<(p|li|ul|ol|code|pre|sub|sup)>\s*</\1>")
_SPACE = re.compile(r"\s+")
_LIST_SPACE = re.compile(r"(?<=<ul>|<ol>)\s+|\s+(?=</ul>|</ol>)|(?<=</li>)\s+(?=<li>)")
# Text in separate cells, items or paragraphs is separate words, whatever the markup's spacing.
_BLOCK_TAG = re.compile(r"(</?(?:td|th|tr|li|p|div|br|table|thead|tbody|ul|ol|dd|dt|pre)\b)")
_EXCLUDED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>")


def _drop_excluded(html: str) -> str:
    """Without the elements marked `data-search-exclude` (as Material's own reading leaves them
    out): templates a repository wrote itself may still mark them in Markdown."""
    while (start := _EXCLUDED.search(html)) is not None:
        tag = start.group(1)
        opening, closing = re.compile(rf"<{tag}\b"), re.compile(rf"</{tag}\s*>")
        depth, at = 1, start.end()
        while depth:
            next_open, next_close = opening.search(html, at), closing.search(html, at)
            if next_close is None:
                return html[:start.start()]
            if next_open is not None and next_open.start() < next_close.start():
                depth, at = depth + 1, next_open.end()
            else:
                depth, at = depth - 1, next_close.end()
        html = html[:start.start()] + html[at:]
    return html


def _clean(html: str, tags: set[str]) -> str:
    import nh3

    text = nh3.clean(_BLOCK_TAG.sub(r" \1", html), tags=tags, attributes={}, link_rel=None, strip_comments=True)
    text = _SPACE.sub(" ", text).replace(" </", "</")
    while True:  # an emptied list leaves an empty list around it
        shorter = _EMPTY.sub("", text)
        if shorter == text:
            return _LIST_SPACE.sub("", text).strip()
        text = shorter


def entries(html: str, url: str, title: str) -> list[dict[str, str]]:
    """One entry per heading with an id (the page's own title first, at the page's URL),
    holding the text up to the next heading: the sections Material would have made."""
    found: list[dict[str, str]] = []
    html = _drop_excluded(html)
    cuts = list(_HEADING.finditer(html))
    preface = html[:cuts[0].start()] if cuts else html
    if _clean(preface, KEPT_TAGS) or not cuts:
        found.append({"location": url, "title": title, "text": _clean(preface, KEPT_TAGS)})
    for i, heading in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(html)
        first = i == 0 and not found
        found.append({
            "location": url if first else f"{url}#{heading.group(2)}",
            "title": _clean(_PERMALINK.sub("", heading.group(3)), set()),
            "text": _clean(html[heading.end():end], KEPT_TAGS),
        })
    return found


def add_to_index(index_file: Path, added: list[dict[str, str]]) -> bool:
    """Append entries to a written search index; False when there is no index to add to."""
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(index, dict) or not isinstance(index.get("docs"), list):
        return False
    index["docs"].extend(added)
    index_file.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
    return True
