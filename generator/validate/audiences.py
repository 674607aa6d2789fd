"""Audiences and sharing: what criteria.yml declares, what an account marks as shared with the
customer, and who may see a confidential account. The customer's joint plan is built from what is
marked shared (analysis.sharing); these rules make sure that what is marked says what the author meant.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from ..core.mdtext import find_image_sources, find_link_destinations, find_wikilinks, split_sections
from ..core.model import Account, AccountAsRead
from ..core.refs import resolve_wikilink
from ..core.text import suggest
from ..core.urls import url_scheme
from .context import RuleContext
from .declare import rule

BUILT_IN = ("internal", "customer")  # analysis.audiences' names: validate may not import it
SUMMARY = "summary"


@rule("E601")
def reserved_audiences(ctx: RuleContext) -> Iterator[Diagnostic]:
    criteria, doc = ctx.portfolio.criteria, ctx.loaded.criteria
    if criteria is None or doc is None:
        return
    for name in criteria.audiences:
        if name in BUILT_IN:
            yield diagnostic(doc.path, ctx.at(doc.path, ("audiences", name), key=True), "E601",
                             f"'{name}' is a built-in audience and cannot be declared: `internal` is the team's site, "
                             "`customer` one account's joint plan; give a restricted audience another name")


@rule("W601")
def unseen_confidential(ctx: RuleContext) -> Iterator[Diagnostic]:
    criteria = ctx.portfolio.criteria
    if criteria is None or any(a.sees == "confidential" for a in criteria.audiences.values()):
        return
    for account in ctx.portfolio.accounts:
        if account.profile.confidential:
            path = f"{account.dir}/account.yml"
            yield diagnostic(path, ctx.at(path, ("confidential",)), "W601",
                             "the account is confidential, and criteria.yml declares no audience that sees "
                             "confidential accounts, so no site shows it; declare one (e.g. `audiences: {leadership: "
                             "{sees: confidential}}`)")


@rule("W602")
def confidential_named(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A site without the confidential accounts would still show the name of one that another account's
    files name: as its parent, or in a wiki-link."""
    hidden = {a.id for a in ctx.portfolio.accounts if a.profile.confidential}
    if not hidden:
        return
    for account in ctx.portfolio.accounts:
        if account.id in hidden:
            continue
        path = f"{account.dir}/account.yml"
        if account.profile.parent in hidden:
            yield diagnostic(path, ctx.at(path, ("parent",)), "W602",
                             f"'parent' names the confidential account '{account.profile.parent}': sites without "
                             "confidential accounts show no parent here")
        for body_path, body, body_line in account.markdown_bodies():
            for link in find_wikilinks(body, body_line):
                if link.target.partition("#")[0] in hidden:
                    yield diagnostic(body_path, (link.line, link.column), "W602",
                                     f"wiki-link [[{link.target}]] names a confidential account: sites without "
                                     "confidential accounts show neither its name nor a link here")


@rule("E602")
def customer_owners(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        known = ctx.stakeholder_ids.get(account.id)
        for review in account.reviews:
            for i, action in enumerate(review.meta.actions):
                if action.customer_owner and ctx.unknown(action.customer_owner, known):
                    yield diagnostic(review.path, ctx.at(review.path, ("actions", i, "customer_owner")), "E602",
                                     f"'customer_owner' names '{action.customer_owner}', who is not in the account's "
                                     "stakeholders.yml: the customer's owner of an action is one of their people"
                                     f"{suggest(action.customer_owner, known or ())}")


@rule("E603")
def shared_sections(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        plan = account.plan
        if plan is None:
            continue
        titles = {s.title.casefold() for s in plan.sections}
        for i, title in enumerate(plan.shared_sections):
            if title.casefold() not in titles:
                yield diagnostic(plan.path, ctx.at(plan.path, ("shared_sections", i)), "E603",
                                 f"'shared_sections' names '{title}', which is not a `##` section of strategy.md, so "
                                 f"nothing of it would be shared{suggest(title, [s.title for s in plan.sections])}")


@rule("W603")
def shared_reviews_without_summary(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        for review in account.reviews:
            if review.meta.shared and not _summary_range(review.body, review.body_line):
                yield diagnostic(review.path, ctx.at(review.path, ("shared",)), "W603",
                                 "the review is shared, and has no `## Summary` section: the summary is the part "
                                 "the customer sees, so nothing of this review is in their joint plan")


def _ranges(body: str, body_line: int, wanted: set[str]) -> list[tuple[int, int]]:
    """The lines (first, last) of the `##` sections whose casefolded titles are `wanted`."""
    sections = split_sections(body, body_line)
    end_of_body = body_line + body.count("\n")
    found = []
    for n, section in enumerate(sections):
        if section.title.casefold() in wanted:
            last = sections[n + 1].line - 1 if n + 1 < len(sections) else end_of_body
            found.append((section.line, last))
    return found


def _summary_range(body: str, body_line: int) -> list[tuple[int, int]]:
    return [r for r in _ranges(body, body_line, {SUMMARY}) if any(
        s.body for s in split_sections(body, body_line) if s.line == r[0])]


def shared_texts(account: AccountAsRead) -> Iterator[tuple[str, str, int, list[tuple[int, int]]]]:
    """(path, body, body line, shared line ranges) of every file with text the customer may read."""
    plan = account.plan
    if plan is not None and plan.shared_sections:
        yield plan.path, plan.body, plan.body_line, _ranges(plan.body, plan.body_line,
                                                            {t.casefold() for t in plan.shared_sections})
    for review in account.reviews:
        if review.meta.shared:
            yield review.path, review.body, review.body_line, _ranges(review.body, review.body_line, {SUMMARY})


def _inside(line: int, ranges: list[tuple[int, int]]) -> bool:
    return any(first <= line <= last for first, last in ranges)


@rule("E604")
def internal_links_in_shared_text(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Shared text goes to the customer as one page, without the site: a wiki-link may name the account,
    its people or our team (shown as a name), never another account; a link must be a full address."""
    for account in ctx.accounts:
        if not isinstance(account, Account):
            continue
        for path, body, body_line, ranges in shared_texts(account):
            for link in find_wikilinks(body, body_line):
                if _inside(link.line, ranges) and not _shareable(ctx, link.target, account.id):
                    yield diagnostic(path, (link.line, link.column), "E604",
                                     f"wiki-link [[{link.target}]] is in text shared with the customer and names "
                                     "something internal (another account or its people); write it as text, or "
                                     "move it out of the shared section")
            images = {(i.line, i.column) for i in find_image_sources(body, body_line)}
            for dest in find_link_destinations(body, body_line):
                if not _inside(dest.line, ranges):
                    continue
                if (dest.line, dest.column) in images:
                    yield diagnostic(path, (dest.line, dest.column), "E604",
                                     "an image in text shared with the customer: their page loads nothing from "
                                     "elsewhere; describe it in words, or move it out of the shared section")
                elif url_scheme(dest.url) is None:
                    yield diagnostic(path, (dest.line, dest.column), "E604",
                                     f"link '{dest.url}' in text shared with the customer leads into the internal "
                                     "site; link a full https:// address, or move it out of the shared section")


def _shareable(ctx: RuleContext, target: str, account_id: str) -> bool:
    ref = resolve_wikilink(target, ctx.team_ids, ctx.account_ids, ctx.stakeholder_ids)
    if not isinstance(ref, tuple):
        return True  # unresolved: E207 says so, and the build stops on it
    return ref[0] == "person" or ref[1] == account_id


RULES = (reserved_audiences, unseen_confidential, confidential_named, customer_owners, shared_sections,
         shared_reviews_without_summary, internal_links_in_shared_text)
