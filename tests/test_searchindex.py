"""Search entries cut from a generated page's HTML, in the format Material's index holds."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import nh3
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from account_playbooks.site.searchindex import _PLAIN, add_to_index, entries

from .hostile import TEXT_PAYLOADS
from .sitebuild import PROJECT, build, site_repo

PAGE = (
    '<h1 id="acme">Acme<a class="headerlink" href="#acme" title="Permanent link">¶</a></h1>'
    "<p>Customer since 2017 &amp; counting.</p>"
    '<div class="kam-tabs" data-search-exclude=""><p><a href="x">Overview</a></p><div><p>nested</p></div></div>'
    '<h2 id="score">Score<a class="headerlink" href="#score">¶</a></h2>'
    "<table><tr><td>Revenue</td><td>8</td></tr></table><ul><li>one</li><li></li></ul>"
    '<h3 id="helen"><code>Helen</code> &lt;Okoro&gt;</h3><p>Signs <strong>every</strong> deal.</p>'
)


def test_one_entry_per_heading_with_the_text_up_to_the_next():
    found = entries(PAGE, "accounts/acme/", "Acme")
    assert [e["location"] for e in found] == ["accounts/acme/", "accounts/acme/#score", "accounts/acme/#helen"]
    assert [e["title"] for e in found] == ["Acme", "Score", "Helen &lt;Okoro&gt;"]
    assert found[0]["text"] == "<p>Customer since 2017 &amp; counting.</p>"  # the excluded menu is gone
    assert found[1]["text"] == "Revenue 8 <ul><li>one</li></ul>"  # cells are separate words
    assert found[2]["text"] == "<p>Signs every deal.</p>"


def test_text_before_the_first_heading_is_the_page_itself():
    found = entries("<p>Preface</p><h2 id=\"a\">A</h2><p>x</p>", "p/", "Page")
    assert found == [{"location": "p/", "title": "Page", "text": "<p>Preface</p>"},
                     {"location": "p/#a", "title": "A", "text": "<p>x</p>"}]


def test_entries_join_an_index_mkdocs_wrote_and_nothing_is_made_up_without_one(tmp_path):
    index = tmp_path / "search_index.json"
    assert not add_to_index(index, [{"location": "a/", "title": "A", "text": ""}])
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": [{"location": "", "title": "Home", "text": ""}]}))
    assert add_to_index(index, [{"location": "a/", "title": "A", "text": ""}])
    assert [d["location"] for d in json.loads(index.read_text())["docs"]] == ["", "a/"]


# --- The entries are the ones the first implementation cut, for less work ---------------------------------
# `reference_entries` is searchindex.entries as it was before it was made cheaper (one nh3.clean per section
# and per heading, the regexes as first written): the new one must give the same dicts, in the same order,
# with the same strings, for any HTML.

_REF_KEPT = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
_REF_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.S)
_REF_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_REF_EMPTY = re.compile(r"<(p|li|ul|ol|code|pre|sub|sup)>\s*</\1>")
_REF_SPACE = re.compile(r"\s+")
_REF_LIST_SPACE = re.compile(r"(?<=<ul>|<ol>)\s+|\s+(?=</ul>|</ol>)|(?<=</li>)\s+(?=<li>)")
_REF_BLOCK_TAG = re.compile(r"(</?(?:td|th|tr|li|p|div|br|table|thead|tbody|ul|ol|dd|dt|pre)\b)")
_REF_EXCLUDED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>")


def _reference_drop_excluded(html: str) -> str:
    while (start := _REF_EXCLUDED.search(html)) is not None:
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


def _reference_clean(html: str, tags: set[str]) -> str:
    text = nh3.clean(_REF_BLOCK_TAG.sub(r" \1", html), tags=tags, attributes={}, link_rel=None, strip_comments=True)
    text = _REF_SPACE.sub(" ", text).replace(" </", "</")
    while True:
        shorter = _REF_EMPTY.sub("", text)
        if shorter == text:
            return _REF_LIST_SPACE.sub("", text).strip()
        text = shorter


def reference_entries(html: str, url: str, title: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    html = _reference_drop_excluded(html)
    cuts = list(_REF_HEADING.finditer(html))
    preface = html[:cuts[0].start()] if cuts else html
    if _reference_clean(preface, _REF_KEPT) or not cuts:
        found.append({"location": url, "title": title, "text": _reference_clean(preface, _REF_KEPT)})
    for i, heading in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(html)
        first = i == 0 and not found
        found.append({
            "location": url if first else f"{url}#{heading.group(2)}",
            "title": _reference_clean(_REF_PERMALINK.sub("", heading.group(3)), set()),
            "text": _reference_clean(html[heading.end():end], _REF_KEPT),
        })
    return found


def test_text_the_sanitiser_would_give_back_unchanged_skips_it():
    """Every character but the few the plain-text shortcut refuses comes back from nh3 as it went in
    (one call over all of Unicode): a section of such text needs no sanitiser."""
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF and chr(c) not in "<>&"]
    plain = [c for c in chars if _PLAIN.fullmatch(c)]
    assert set(chars) - set(plain) == {"\r", "\xa0", "\ufeff"}
    assert nh3.clean("x".join(plain), tags=set(), attributes={}, link_rel=None, strip_comments=True) == "x".join(plain)
    for refused in ("\r", "\xa0", "\ufeff", "\x00", "<", ">", "&"):  # each is changed by nh3, one way or another
        assert nh3.clean(f"{refused}a{refused}", tags=set()) != f"{refused}a{refused}"



def test_a_lone_surrogate_is_refused_as_nh3_refused_it():
    for page in ("a\ud800b", '<h2 id="x">T\udfff</h2>x'):
        with pytest.raises(UnicodeEncodeError):
            reference_entries(page, "p/", "P")
        with pytest.raises(UnicodeEncodeError):
            entries(page, "p/", "P")

def test_sections_of_plain_text_never_reach_the_sanitiser(monkeypatch):
    from account_playbooks.site import searchindex

    def refuse(tags):
        raise AssertionError("a plain section was sanitised")

    monkeypatch.setattr(searchindex, "_cleaner", refuse)
    page = '<h1 id="a">Acme\t plc</h1>No open actions.\n\n<h2 id="b">Goals</h2>  None  yet. '
    assert entries(page, "a/", "Acme") == reference_entries(page, "a/", "Acme")


_WORDS = ["Acme", "plan", "Revenue 8", "  ", "\n", "\t", "\u2003", "\xa0", "&amp;", "&nbsp;", "&lt;b&gt;", "&para;",
          "&#39;", "&quot;", "&amp", "\r\n", "\x00", "\ufeff", "é", "日本", "data-search-exclude", "\x1c"]
_TEXT = st.one_of(st.sampled_from(_WORDS), st.sampled_from(TEXT_PAYLOADS), st.sampled_from(TEXT_PAYLOADS).map(escape),
                  st.text(max_size=12))
_INLINE = st.one_of(
    _TEXT, _TEXT.map(lambda t: f"<strong>{t}</strong>"), _TEXT.map(lambda t: f'<a href="../people/x/">{t}</a>'),
    _TEXT.map(lambda t: f"<code>{t}</code>"), _TEXT.map(lambda t: f'<span class="kam-flag kam-flag-late">{t}</span>'),
    _TEXT.map(lambda t: f"<em>{t}</em>"), _TEXT.map(lambda t: f"<sub>{t}</sub>"), st.just("<br>"), st.just("<br />"))
_ID = st.one_of(st.sampled_from(["score", "helen", "2026-05-08-review-0", "a&amp;b", "x<p", ""]), st.text(max_size=6))
_PERMALINK_HTML = '<a class="headerlink" href="#{0}" title="Permanent link">&para;</a>'
_HEADING_HTML = st.builds(
    lambda level, ident, words, link, extra: f'<h{level} id="{ident}"{extra}>{words}'
                                             f'{_PERMALINK_HTML.format(ident) if link else ""}</h{level}>',
    st.integers(1, 6), _ID, st.lists(_INLINE, max_size=3).map("".join), st.booleans(),
    st.sampled_from(["", ' class="x"', ' data-x=">"']))
_UNBALANCED = st.sampled_from(["<div>", "</div>", "<ul>", "</ul>", "<li>", "</li>", "<p>", "</p>", "<table><tr><td>",
                               "</td></tr></table>", "<h2>", '<h3 id="open">', "</h2>", "<!-- ", " -->", "<pre>",
                               "<textarea>", "<script>", "</script>", "<div data-search-exclude>", "<svg>", "<math>",
                               "<a href=\"", "\">", "<tr>", "<td>", "<li></li>", "<ul><li> </li></ul>"])


def _blocks(children):
    many = st.lists(children, max_size=4).map("\n".join)
    cells = st.lists(st.one_of(_INLINE, children), min_size=1, max_size=3)
    return st.one_of(
        many.map(lambda c: f'<div class="kam-cards">\n{c}\n</div>'),
        many.map(lambda c: f'<div class="kam-tabs" data-search-exclude="">{c}</div>'),
        many.map(lambda c: f'<p data-search-exclude>{c}</p>'),
        st.lists(cells.map(lambda cs: "<tr>" + "".join(f"<td>{c}</td>" for c in cs) + "</tr>"), max_size=3).map(
            lambda rows: "<table>\n<thead>\n<tr><th>Kind</th><th>Who</th></tr>\n</thead>\n<tbody>\n"
                         + "\n".join(rows) + "\n</tbody>\n</table>"),
        st.lists(st.one_of(_INLINE, children), max_size=4).map(
            lambda items: "<ul>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>"),
        st.lists(_INLINE, max_size=3).map(lambda items: "<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>"),
        _TEXT.map(lambda t: f"<pre><code>{t}</code></pre>"),
        st.tuples(_HEADING_HTML, many).map(lambda h: f'<div class="kam-profile">{h[0]}{h[1]}</div>'),
    )


_BLOCK = st.recursive(st.one_of(st.lists(_INLINE, max_size=4).map(lambda i: f"<p>{''.join(i)}</p>"), _INLINE),
                      _blocks, max_leaves=12)
_PAGE = st.lists(st.one_of(_BLOCK, _HEADING_HTML, _UNBALANCED), max_size=10).flatmap(
    lambda parts: st.sampled_from(["", "\n", "\n\n"]).map(lambda gap: gap.join(parts)))


@settings(max_examples=400, deadline=None)
@given(_PAGE, st.sampled_from(["Acme", "O&#x27;Brien &amp; Sons", ""]))
@example("<li>a</li>\n<li>b</li>", "Acme")  # items outside a list: the spaces between them go all the same
@example("<ul>\n<li><p> <code> </code> </p></li>\n</ul> x", "Acme")  # emptied in turn from the inside out
@example('<h2 id="a">A<br>B <a class="headerlink" href="#a">&para;</a></h2>&nbsp;<ol> <li>1</li> </ol>', "")
def test_entries_are_those_of_the_first_implementation_for_any_page_of_our_shapes(page, title):
    assert entries(page, "accounts/acme/", title) == reference_entries(page, "accounts/acme/", title)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/&;#\"' =\n\t\r\xa0\x00pulidvtrhc1235ab"), max_size=80))
def test_entries_are_those_of_the_first_implementation_for_markup_soup(page):
    assert entries(page, "p/", "P") == reference_entries(page, "p/", "P")


def _recorded_entries(repo: Path, monkeypatch) -> list[tuple[str, str, str, list[dict[str, str]]]]:
    """Every generated page's searchable HTML (and the entries cut from it) in a build of `repo`."""
    from account_playbooks.site import searchindex

    calls = []
    cut = searchindex.entries

    def recording(html: str, url: str, title: str) -> list[dict[str, str]]:
        found = cut(html, url, title)
        calls.append((html, url, title, found))
        return found

    monkeypatch.setattr(searchindex, "entries", recording)
    result = build(repo)
    assert result.exit_code == 0, result.output
    return calls


@pytest.mark.slow
@pytest.mark.parametrize("portfolio", ["example", "generated"])
def test_entries_of_every_generated_page_are_those_of_the_first_implementation(tmp_path, monkeypatch, portfolio):
    from benchmarks.synth import write_portfolio

    source = PROJECT if portfolio == "example" else write_portfolio(tmp_path / "synthetic", 100)
    calls = _recorded_entries(site_repo(source, tmp_path / "repo"), monkeypatch)
    assert len(calls) > (50 if portfolio == "example" else 500)
    different = [url for html, url, title, found in calls if found != reference_entries(html, url, title)]
    assert not different
