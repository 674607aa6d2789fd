"""Where every generated page lives in the docs tree, and links between them: one scheme for
the render stage and the playbook's live tables."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from markupsafe import Markup

from ..core.ids import slug
from ..core.refs import Ref


def account_page(account_id: str, page: str = "index") -> str:
    return f"accounts/{account_id}/{page}.md"


def review_page(account_id: str, slug: str) -> str:
    """A review is a section of its account's reviews page: one page per account, not per
    review (every page costs a build the same, however little it holds)."""
    return f"accounts/{account_id}/reviews/index.md#{slug}"


def person_page(person_id: str) -> str:
    return f"people/{person_id}.md"


def person_feed(person_id: str) -> str:
    """A person's calendar (account_playbooks.site.calendars): a file, served as it is named."""
    return f"calendars/people/{person_id}.ics"


def account_feed(account_id: str) -> str:
    return f"calendars/accounts/{account_id}.ics"


def ref_page(ref: Ref) -> str:
    kind = ref[0]
    if kind == "account":
        return account_page(ref[1])
    if kind == "person":
        return person_page(ref[1])
    if kind == "stakeholder":
        return f"{account_page(ref[1], 'stakeholders')}#{ref[2]}"
    if kind == "goal":
        return f"{account_page(ref[1], 'goals')}#{ref[2]}" if ref[2] else account_page(ref[1], "goals")
    if kind == "plan":
        return account_page(ref[1], "plan")
    return review_page(ref[1], ref[2])


def relative(here: str, target: str) -> Markup:
    """The link from page `here` to page `target` (both paths in the docs tree, `target` may
    carry an #anchor). Written out rather than posixpath.relpath, which resolves both paths
    against the working folder: a 1,000-account site asks this some 180,000 times."""
    path, _, anchor = target.partition("#")
    link = _relpath(path, here) if path else ""
    return Markup(link + (f"#{anchor}" if anchor else ""))


def _relpath(target: str, here: str) -> str:
    start, parts = here.split("/")[:-1], target.split("/")
    common = 0
    while common < len(start) and common < len(parts) - 1 and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:])


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL of a docs-tree page relative to the site root, as mkdocs publishes it."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else f"{stem}/"


def site_link(site_url: str, ref: Ref, directory_urls: bool = True) -> str:
    """The absolute URL of what `ref` names on the site published at `site_url` (for text read
    outside the site: the digest's issue)."""
    path, _, anchor = ref_page(ref).partition("#")
    return site_url.rstrip("/") + "/" + page_url(path, directory_urls) + (f"#{anchor}" if anchor else "")


def href(here: str, target: str, directory_urls: bool = True) -> Markup:
    """The link from page `here` to page `target` as published, for HTML the generator writes
    itself: mkdocs rewrites `.md` links only in Markdown, and generated HTML skips Markdown."""
    path, _, anchor = target.partition("#")
    fragment = f"#{anchor}" if anchor else ""
    if not path:
        return Markup(html.escape(fragment))
    return Markup(html.escape(_link_from(here, page_url(path, directory_urls), directory_urls) + fragment))


def file_href(here: str, target: str, directory_urls: bool = True) -> Markup:
    """The link from page `here` to a file the site serves under its own name (a calendar feed)."""
    return Markup(html.escape(_link_from(here, target, directory_urls)))


def _link_from(here: str, url: str, directory_urls: bool) -> str:
    base = page_url(here, directory_urls).split("/")[:-1]
    parts = url.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "./"


def index_anchors(values: Iterable[str]) -> dict[str, str]:
    """Each value's anchor on its index page: its slug, or "other" for a value with none. Values
    that slug alike ("Asia/Pacific", "Asia Pacific") take -2, -3 in sorted order, so that each
    heading keeps an anchor of its own and the same values always get the same anchors."""
    anchors: dict[str, str] = {}
    taken: set[str] = set()
    for value in sorted(set(values)):
        base = slug(value) or "other"
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        anchors[value] = anchor
    return anchors


def index_page(dimension: str, value: str, anchors: Mapping[str, str] | None = None) -> str:
    """The index page of a dimension (tier, industry, region, tag), at the value's own heading;
    `anchors` are the dimension's index_anchors (without them, the value's slug)."""
    anchor = (anchors or {}).get(value) or slug(value) or "other"
    return f"indexes/{dimension}.md#{dimension}-{anchor}"
