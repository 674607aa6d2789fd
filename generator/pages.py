"""Where every generated page lives in the docs tree, and links between them: one scheme for
the render stage and the playbook's live tables."""

from __future__ import annotations

import posixpath
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
    path, _, anchor = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(here) or ".") if path else ""
    return Markup(link + (f"#{anchor}" if anchor else ""))


def index_page(dimension: str, value: str) -> str:
    """The index page of a dimension (tier, industry, region, tag), at the value's own heading."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") or "other"
    return f"indexes/{dimension}.md#{dimension}-{slug}"
