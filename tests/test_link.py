"""The link stage: every relation is stored both ways; wiki-links resolve to entities."""

from __future__ import annotations

import datetime as dt

from generator.link import INVERSE, link, resolve_wikilink
from generator.pipeline import check

from .corpus import BASE

portfolio = check(BASE, dt.date(2026, 11, 24)).portfolio
links = link(portfolio)


def test_every_relation_has_its_inverse():
    stored = {(r.source, r.type, r.target) for r in links.relations}
    for source, kind, target in stored:
        assert (target, INVERSE[kind], source) in stored


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


def test_wikilinks_resolve_or_not():
    assert resolve_wikilink(portfolio, "kan-code") == ("account", "kan-code")
    assert resolve_wikilink(portfolio, "kan-code#helen-okoro") == ("stakeholder", "kan-code", "helen-okoro")
    assert resolve_wikilink(portfolio, "@reed-clapper") == ("person", "reed-clapper")
    assert resolve_wikilink(portfolio, "kan-code#nobody") is None
    assert resolve_wikilink(portfolio, "nowhere") is None
    assert resolve_wikilink(portfolio, "@nobody") is None
