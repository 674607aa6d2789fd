"""Where every generated page lives in the docs tree, and links between them: one scheme for
the render stage and the playbook's live tables."""

from __future__ import annotations

import re

from markupsafe import Markup

from .link import Ref


def account_page(account_id: str, page: str = "index") -> str:
    return f"accounts/{account_id}/{page}.md"


def review_page(account_id: str, slug: str) -> str:
    return f"accounts/{account_id}/reviews/{slug}.md"


def person_page(person_id: str) -> str:
    return f"people/{person_id}.md"


def ref_page(ref: Ref) -> str:
    kind = ref[0]
    if kind == "account":
        return account_page(ref[1])
    if kind == "person":
        return person_page(ref[1])
    if kind == "stakeholder":
        return f"{account_page(ref[1], 'stakeholders')}#{ref[2]}"
    if kind == "goal":
        return f"{account_page(ref[1], 'goals')}#{ref[2]}"
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


def index_page(dimension: str, value: str) -> str:
    """The index page of a dimension (tier, industry, region, tag), at the value's own heading."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") or "other"
    return f"indexes/{dimension}.md#{dimension}-{slug}"
