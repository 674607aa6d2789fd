"""Search entries for generated pages, made from the HTML the generator already holds.

Material's search plugin reads every page back with a pure-Python HTML parser and then drops
what is marked `data-search-exclude`: at 1,000 accounts that was a seventh of a build. A
generated page's blocks already say whether they belong in search, so its entries are cut
from the searchable HTML by heading, in the index format Material writes (location, title,
text with a few tags kept), and added to Material's index after it is written.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nh3

# The tags Material keeps in an entry's text; everything else is reduced to its text.
KEPT_TAGS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.S)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_EMPTY = re.compile(r"<(p|li|ul|ol|code|pre|sub|sup)>\s*</\1>")
# Whitespace after <ul>/<ol>, before </ul>/</ol> and between items; written to start at the
# whitespace itself (a lookbehind first is tried at every character of every entry).
_LIST_SPACE = re.compile(r"\s(?:(?<=<[uo]l>\s)\s*|\s*(?=</[uo]l>)|(?<=</li>\s)\s*(?=<li>))")
# Text in separate cells, items or paragraphs is separate words, whatever the markup's spacing.
_BLOCK_TAG = re.compile(r"<(?=/?(?:td|th|tr|li|p|div|br|table|thead|tbody|ul|ol|dd|dt|pre)\b)")
_EXCLUDED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>")
# Text that the sanitiser gives back unchanged: no markup, no character reference, nothing it
# escapes (<, >, &, no-break space) or rewrites (carriage return, NUL, a leading byte order mark),
# and no lone surrogate (which it refuses). Half the sections of a generated page are such text.
_PLAIN = re.compile(r"[^<>&\r\x00\xa0\ufeff\ud800-\udfff]*")


def _drop_excluded(html: str) -> str:
    """Without the elements marked `data-search-exclude` (as Material's own reading leaves them
    out): templates a repository wrote itself may still mark them in Markdown."""
    if "data-search-exclude" not in html:  # a few pages have any: the search below reads every tag
        return html
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


@functools.cache
def _cleaner(tags: frozenset[str]) -> nh3.Cleaner:
    """One sanitiser per set of kept tags: `nh3.clean` builds its sanitiser again on every call,
    which cost as much as the cleaning over a page's many small sections."""
    import nh3

    return nh3.Cleaner(tags=set(tags), attributes={}, link_rel=None, strip_comments=True)


def _clean(html: str, tags: frozenset[str]) -> str:
    """The section's text with only `tags` kept, its whitespace squeezed and empty elements gone. The
    checks before each step skip it only where it could change nothing (tests/test_searchindex.py holds
    the version without them, and proves the two the same)."""
    if _PLAIN.fullmatch(html):
        text = " ".join(html.split())
    else:
        text = " ".join(_cleaner(tags).clean(_BLOCK_TAG.sub(" <", html)).split()).replace(" </", "</")
    if "></" in text:  # an emptied list leaves an empty list around it
        while (shorter := _EMPTY.sub("", text)) != text:
            text = shorter
    if "l>" in text or "i>" in text:  # <ul>, <ol>, </ul>, </ol>, </li> and <li>: the only places _LIST_SPACE cuts
        text = _LIST_SPACE.sub("", text)
    return text.strip()


_KEPT = frozenset(KEPT_TAGS)
_NONE: frozenset[str] = frozenset()


def entries(html: str, url: str, title: str) -> list[dict[str, str]]:
    """One entry per heading with an id (the page's own title first, at the page's URL),
    holding the text up to the next heading: the sections Material would have made."""
    found: list[dict[str, str]] = []
    html = _drop_excluded(html)
    cuts = list(_HEADING.finditer(html))
    preface = _clean(html[:cuts[0].start()] if cuts else html, _KEPT)
    if preface or not cuts:
        found.append({"location": url, "title": title, "text": preface})
    for i, heading in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(html)
        first = i == 0 and not found
        words = heading.group(3)
        found.append({
            "location": url if first else f"{url}#{heading.group(2)}",
            "title": _clean(_PERMALINK.sub("", words) if "headerlink" in words else words, _NONE),
            "text": _clean(html[heading.end():end], _KEPT),
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
