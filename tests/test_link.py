"""The link stage: every relation is stored both ways; wiki-links resolve to entities."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from account_playbooks.analysis.link import Rel, link
from account_playbooks.core.refs import Unresolved, resolve_wikilink
from account_playbooks.scoring.check import check

from .corpus import BASE
from .sitebuild import PROJECT

portfolio = check(BASE, dt.date(2026, 11, 24)).portfolio
links = link(portfolio)
directory = (frozenset(portfolio.team_by_id), frozenset(portfolio.accounts_by_id),
             {a.id: frozenset(s.id for s in a.stakeholders) for a in portfolio.accounts})


def test_a_misspelt_relation_fails_loudly_instead_of_reading_as_none():
    with pytest.raises(ValueError):
        links.of(("person", "reed-clapper"), "ownrOf")


def test_templates_name_relations_by_the_enum_never_by_a_bare_string():
    named, bare = set(), []
    for template in (PROJECT / "site_templates").glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        named |= set(re.findall(r"\bRel\.(\w+)", text))
        bare += re.findall(r'links\.of\((?:[^()]|\([^()]*\))*?, *"\w+"\)', text)
    assert bare == []
    assert {"OWNER_OF", "SPONSOR_OF", "MEMBER_OF", "OWNS_RELATIONSHIP", "ATTENDED", "ADVANCED_BY"} <= named
    assert named <= set(Rel.__members__)


def test_parent_and_subsidiaries_both_ways():
    assert ("account", "acme-corporation") in links.of(("account", "codehow"), "childOf")
    assert set(links.of(("account", "acme-corporation"), "parentOf")) == {("account", "codehow"),
                                                                          ("account", "bluth-company")}


def test_people_see_what_they_own_sponsor_and_attend():
    assert ("account", "kan-code") in links.of(("person", "reed-clapper"), "ownerOf")
    assert ("account", "kan-code") in links.of(("person", "rocco-neubert"), "sponsorOf")
    attended = links.of(("stakeholder", "kan-code", "samuel-whitfield"), "attended")
    assert attended == (("review", "kan-code", "2026-11-12-executive-review"),)


def test_goals_know_the_review_actions_that_advance_them():
    advanced = links.of(("goal", "kan-code", "gtk-500-build-farm"), "advancedBy")
    assert ("review", "kan-code", "2026-11-12-executive-review") in advanced


def test_wikilinks_resolve_or_say_why_not():
    assert resolve_wikilink("kan-code", *directory) == ("account", "kan-code")
    assert resolve_wikilink("kan-code#helen-okoro", *directory) == ("stakeholder", "kan-code", "helen-okoro")
    assert resolve_wikilink("@reed-clapper", *directory) == ("person", "reed-clapper")
    missing = resolve_wikilink("kan-code#nobody", *directory)
    assert isinstance(missing, Unresolved) and (missing.what, missing.name, missing.account) == \
        ("stakeholder", "nobody", "kan-code")
    assert "helen-okoro" in missing.known
    assert resolve_wikilink("nowhere", *directory).what == "account"
    assert resolve_wikilink("@nobody", *directory).what == "team member"


def test_a_wikilink_into_an_unreadable_file_is_not_judged():
    team, accounts, _ = directory
    assert resolve_wikilink("@nobody", None, accounts, {}) == ("person", "nobody")
    assert resolve_wikilink("kan-code#nobody", team, accounts, {"kan-code": None}) == \
        ("stakeholder", "kan-code", "nobody")
