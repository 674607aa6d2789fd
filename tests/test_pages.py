"""Where generated pages live and how they link to each other."""

from __future__ import annotations

import itertools
import posixpath

from account_playbooks.site.pages import href, index_anchors, index_page, relative, review_page

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
    assert index_page("region", "Zürich") == "indexes/region.md#region-zurich"  # transliterated, not "z-rich"


def test_values_that_slug_alike_get_anchors_of_their_own():
    anchors = index_anchors(["Asia/Pacific", "Asia Pacific", "asia-pacific-2", "!!!", "?", "EMEA", "Asia Pacific"])
    assert anchors == {"!!!": "other", "?": "other-2", "Asia Pacific": "asia-pacific", "Asia/Pacific": "asia-pacific-2",
                       "EMEA": "emea", "asia-pacific-2": "asia-pacific-2-2"}
    assert len(set(anchors.values())) == len(anchors)
    assert index_page("region", "Asia/Pacific", anchors) == "indexes/region.md#region-asia-pacific-2"


def test_published_links_follow_the_url_style_mkdocs_uses():
    assert href("accounts/a/index.md", "accounts/b/goals.md#g1") == "../b/goals/#g1"
    assert href("accounts/a/goals.md", "index.md") == "../../../"
    assert href("index.md", "people/p.md") == "people/p/"
    assert href("accounts/a/index.md", "accounts/a/index.md#x") == "./#x"
    assert href("people/p.md", review_page("a", "2026-01-01-qbr")) == "../../accounts/a/reviews/#2026-01-01-qbr"
    assert href("accounts/a/index.md", "#top") == "#top"
    assert href("accounts/a/goals.md", "people/p.md", directory_urls=False) == "../../people/p.html"
    assert href("index.md", "accounts/a/index.md", directory_urls=False) == "accounts/a/index.html"
