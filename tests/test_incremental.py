"""A save in a preview without --focus renders again only the pages the edit reaches, and the
result is the same as rendering everything."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from account_playbooks.site.build import generate
from account_playbooks.site.incremental import (
    Earlier,
    affected,
    by_account,
    changed,
    edited_accounts,
    people_affected,
    snapshot,
    white_space_moved,
)
from account_playbooks.site.render import Block, RenderedPage

from .corpus import BASE
from .sitebuild import site_repo

TODAY = dt.date(2026, 11, 24)


def test_only_files_inside_an_account_folder_leave_other_pages_alone():
    assert edited_accounts(["accounts/kan-code/account.yml", "accounts/codehow/reviews/2026-q3.md"]) == {
        "kan-code", "codehow"}
    assert edited_accounts([]) == frozenset()
    for everything in ("criteria.yml", "team.yml", "site_templates/account.md.j2", "mkdocs.yml", "accounts/README.md"):
        assert edited_accounts(["accounts/kan-code/account.yml", everything]) is None, everything


def test_without_the_last_build_s_footprint_every_account_counts_as_moved():
    assert white_space_moved(None, None, ["a", "b"]) == {"a", "b"}


def test_a_snapshot_sees_files_added_removed_and_rewritten(tmp_path):
    (tmp_path / "accounts" / "a").mkdir(parents=True)
    (tmp_path / "accounts" / "a" / "account.yml").write_text("name: A\n", encoding="utf-8")
    (tmp_path / "criteria.yml").write_text("x: 1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert set(before) == {"accounts/a/account.yml", "criteria.yml"}
    assert changed(before, snapshot(tmp_path)) == frozenset()
    (tmp_path / "accounts" / "a" / "account.yml").write_text("name: AB\n", encoding="utf-8")
    (tmp_path / "accounts" / "a" / "goals.yml").write_text("[]\n", encoding="utf-8")
    os.remove(tmp_path / "criteria.yml")
    assert changed(before, snapshot(tmp_path)) == {"accounts/a/account.yml", "accounts/a/goals.yml", "criteria.yml"}


def _page(path: str, markdown: str, *blocks: str) -> RenderedPage:
    return RenderedPage(path, markdown, None, tuple(Block(b) for b in blocks))


def test_an_edit_reaches_the_accounts_that_link_to_it_and_those_it_links_to():
    earlier = by_account([
        _page("index.md", "every account: accounts/acme/ accounts/bluth/ accounts/codehow/ accounts/dunder/"),
        _page("accounts/acme/index.md", "# Acme", '<a href="../bluth/">Bluth</a>'),  # acme names bluth
        _page("accounts/bluth/index.md", "# Bluth"),
        _page("accounts/codehow/plan.md", "# Codehow", '<p>see <a href="../acme/">Acme</a></p>'),  # codehow names acme
        _page("accounts/dunder/index.md", "# Dunder"),
        _page("accounts/initech/index.md", "# Initech"),
    ])
    assert "index.md" not in {p.path for pages in earlier.values() for p in pages}  # the portfolio's own pages
    everyone = ["acme", "bluth", "codehow", "dunder", "initech"]
    # acme's edit: codehow named acme (acme's name is on its page); acme named bluth before, now dunder too.
    fresh = {"acme": [_page("accounts/acme/index.md", "# Acme", '<a href="../bluth/">B</a> <a href="../dunder/">D</a>')]}
    assert affected(earlier, frozenset({"acme"}), fresh, everyone) == {"acme", "bluth", "codehow", "dunder"}
    # initech's edit names nobody and nobody names initech.
    assert affected(earlier, frozenset({"initech"}), {"initech": [_page("accounts/initech/index.md", "# Initech 2")]},
                    everyone) == {"initech"}
    # A removed account: the pages that named it change; it has none of its own any more.
    assert affected(earlier, frozenset({"acme"}), {}, everyone[1:]) == {"acme", "bluth", "codehow"}


def test_a_person_s_page_is_rendered_again_when_it_named_an_edited_account_or_its_files_name_the_person(tmp_path):
    (tmp_path / "accounts" / "acme").mkdir(parents=True)
    (tmp_path / "accounts" / "acme" / "account.yml").write_text("owner: reed\nexecutive_sponsor: rocco\n", encoding="utf-8")
    earlier = {"reed": [_page("people/reed.md", "# Reed", '<a href="../../accounts/acme/">Acme</a>')],
               "cara": [_page("people/cara.md", "# Cara", '<a href="../../accounts/bluth/">Bluth</a>')],
               "dana": [_page("people/dana.md", "# Dana", '<a href="../../accounts/acme/">Acme</a>')],
               "rocco": [_page("people/rocco.md", "# Rocco")],
               "ines": [_page("people/ines.md", "# Ines")]}
    fresh = [_page("accounts/acme/goals.md", "# Goals", '<a href="../../people/ines/">Ines</a>')]
    people = ["reed", "cara", "dana", "rocco", "ines"]
    # dana's page named acme (it loses it, say); rocco is acme's sponsor now; ines is on its new pages
    assert people_affected(earlier, frozenset({"acme"}), fresh, tmp_path, people) == {"reed", "dana", "rocco", "ines"}


def _edit(repo, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    # a parent renamed: its subsidiaries name it, and bodies link to it with its name
    "parent renamed": ("accounts/acme-corporation/account.yml", "name: Acme Corporation", "name: Acme Group"),
    # a subsidiary renamed: its parent lists it
    "subsidiary renamed": ("accounts/codehow/account.yml", "name: Codehow", "name: Codehow Denver"),
    # a new parent: the parent gains a subsidiary that it never named before
    "parent gained": ("accounts/kan-code/account.yml", "parent: null", "parent: codehow"),
    # a parent dropped: the former parent loses a subsidiary
    "parent dropped": ("accounts/bluth-company/account.yml", "parent: acme-corporation", "parent: null"),
    # a new owner: the person's page gains the account, the former owner's loses it
    "owner changed": ("accounts/kan-code/account.yml", "owner: reed-clapper", "owner: darcel-schlecht"),
    # a goal given to someone else: both people's open goals change
    "goal owner changed": ("accounts/kan-code/goals.yml", "  owner: reed-clapper", "  owner: celia-rouche"),
    # products bought: a peer (same industry or tier) gains white space it did not have; the
    # products need the fields a CRM record has
    "products bought": ("accounts/codehow/account.yml", "tags: [", 'crm: {source: "x", as_of: 2026-10-31, imported_on: '
                        '2026-11-02, fingerprint: "sha256:0123456789abcdef", products: [{name: Widget, won: 1000, deals: 1}]}\ntags: ['),
    # a body alone
    "plan edited": ("accounts/kan-code/strategy.md", "## Relationships\n", "## Relationships\n\nA new line.\n"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_rendering_only_what_an_edit_reaches_gives_the_pages_of_a_full_render(tmp_path, edit):
    repo = site_repo(BASE, tmp_path / "repo")
    before = generate(repo, TODAY)
    taken = snapshot(repo)
    _edit(repo, *EDITS[edit])
    edited = edited_accounts(changed(taken, snapshot(repo)))
    assert edited == {EDITS[edit][0].split("/")[1]}
    again = generate(repo, TODAY, earlier=Earlier(before.pages, edited, before.site.footprint))
    full = generate(repo, TODAY)
    assert [p.path for p in again.pages] == [p.path for p in full.pages]
    for mine, theirs in zip(again.pages, full.pages):
        assert mine == theirs, mine.path
    assert again.pages != before.pages  # the edit shows


def test_pages_an_edit_does_not_reach_are_reused_not_rendered(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    before = generate(repo, TODAY)
    _edit(repo, *EDITS["plan edited"])
    again = generate(repo, TODAY, earlier=Earlier(before.pages, frozenset({"kan-code"}), before.site.footprint))
    kept = {id(p) for p in before.pages}
    reused = {p.path for p in again.pages if id(p) in kept}
    assert reused and all(p.startswith(("accounts/", "people/")) and not p.startswith("accounts/kan-code/")
                          for p in reused)
    assert any(p.startswith("people/") for p in reused)
    assert any(p.startswith("accounts/") for p in reused)  # a plan's words move no one's white space
    assert {p.path for p in again.pages if p.path.startswith("accounts/kan-code/")}.isdisjoint(reused)
