"""Search entries cut from a generated page's HTML, in the format Material's index holds."""

from __future__ import annotations

import json

from account_playbooks.site.searchindex import add_to_index, entries

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
