"""Where generated pages live and how they link to each other."""

from __future__ import annotations

import itertools
import posixpath

from generator.pages import index_page, relative

PAGES = ["index.md", "accounts/index.md", "accounts/a/index.md", "accounts/a/goals.md", "accounts/a/reviews/index.md",
         "accounts/a/reviews/2026-01-01-qbr.md", "accounts/b/index.md", "people/p.md", "indexes/tag.md", "criteria.md"]


def test_relative_links_match_posixpath_for_every_pair_of_pages():
    for here, target in itertools.product(PAGES, PAGES):
        assert relative(here, target) == posixpath.relpath(target, posixpath.dirname(here) or "."), (here, target)
    assert relative("accounts/a/index.md", "accounts/a/stakeholders.md#helen") == "stakeholders.md#helen"
    assert relative("accounts/a/index.md", "#top") == "#top"


def test_index_pages_have_one_anchor_per_value():
    assert index_page("industry", "Software & Services") == "indexes/industry.md#industry-software-services"
    assert index_page("tag", "!!!") == "indexes/tag.md#tag-other"
