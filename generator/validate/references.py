"""Cross-file references: every id names something that exists, ids are unique, no cycles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ..core.diagnostics import Diagnostic, diagnostic
from ..core.mdtext import WikiLink, find_wikilinks
from ..core.refs import Unresolved, resolve_wikilink
from ..core.text import suggest
from ..core.textscan import char_name, first_invisible, visible
from ..core.yamldoc import Loc, YamlDoc
from .context import RuleContext
from .declare import rule


def _unknown(ctx: RuleContext, path: str, loc: Loc, code: str, what: str, value: str,
             known: Iterable[str] | None) -> Diagnostic:
    return diagnostic(path, ctx.at(path, loc), code, f"'{loc[-1]}' names unknown {what} '{value}'{suggest(value, known or ())}")


@rule("E108")
def duplicate_ids(ctx: RuleContext) -> Iterator[Diagnostic]:
    docs = [ctx.loaded.team] + [d for f in ctx.loaded.accounts for d in (f.stakeholders, f.goals)]
    for doc in docs:
        yield from _duplicates_in(doc)


def _duplicates_in(doc: YamlDoc | None) -> Iterator[Diagnostic]:
    if doc is None or not isinstance(doc.data, list):
        return
    first: dict[str, int] = {}  # id -> index of its first entry; positions only when needed
    for index, item in enumerate(doc.data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        if item["id"] in first:
            line = doc.position((first[item["id"]], "id"))[0]
            yield diagnostic(doc.path, doc.position((index, "id")), "E108",
                        f"duplicate id '{item['id']}' (also at line {line})")
        else:
            first[item["id"]] = index


@rule("E201", "E202", "E203", "E209")
def account_references(ctx: RuleContext) -> Iterator[Diagnostic]:
    team = ctx.team_ids
    for account in ctx.portfolio.accounts:
        path = f"{account.dir}/account.yml"
        p = account.profile
        if ctx.unknown(p.owner, team):
            yield _unknown(ctx, path, ("owner",), "E201", "team member", p.owner, team)
        if p.executive_sponsor and ctx.unknown(p.executive_sponsor, team):
            yield _unknown(ctx, path, ("executive_sponsor",), "E201", "team member", p.executive_sponsor, team)
        for i, member in enumerate(p.team):
            if ctx.unknown(member.person, team):
                yield _unknown(ctx, path, ("team", i, "person"), "E201", "team member", member.person, team)
        if p.parent is not None:
            if p.parent == account.id:
                yield diagnostic(path, ctx.at(path, ("parent",)), "E209", "an account cannot be its own parent")
            elif p.parent not in ctx.account_ids:
                yield _unknown(ctx, path, ("parent",), "E202", "account", p.parent, ctx.account_ids)
        criteria = ctx.portfolio.criteria
        if criteria is not None:
            known = [c.id for c in criteria.criteria]
            for key, what in (("scores", "score"), ("proposed_scores", "proposed score")):
                for criterion_id in getattr(p, key):
                    if criterion_id not in known:
                        yield diagnostic(path, ctx.at(path, (key, criterion_id), key=True), "E203",
                                    f"{what} for unknown criterion '{criterion_id}'{suggest(criterion_id, known)}")


@rule("E209")
def parent_cycles(ctx: RuleContext) -> Iterator[Diagnostic]:
    parent = {a.id: a.profile.parent for a in ctx.portfolio.accounts if a.profile.parent}
    loops = cycles(parent)
    for account in ctx.portfolio.accounts:
        if account.id in loops:
            path = f"{account.dir}/account.yml"
            yield diagnostic(path, ctx.at(path, ("parent",)), "E209",
                             f"parent accounts form a cycle: {chain_text(*loops[account.id])}")


@rule("E201", "E204", "E208")
def stakeholder_references(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        path = f"{account.dir}/stakeholders.yml"
        known = ctx.stakeholder_ids[account.id]
        loops = cycles({s.id: s.reports_to for s in account.stakeholders})
        for loc, s in account.located_stakeholders():
            if ctx.unknown(s.relationship_owner, ctx.team_ids):
                yield _unknown(ctx, path, loc + ("relationship_owner",), "E201", "team member",
                               s.relationship_owner, ctx.team_ids)
            if s.reports_to is None:
                continue
            if s.reports_to == s.id:
                yield diagnostic(path, ctx.at(path, loc + ("reports_to",)), "E208", f"'{s.id}' reports to themself")
            elif ctx.unknown(s.reports_to, known):
                yield _unknown(ctx, path, loc + ("reports_to",), "E204", "stakeholder", s.reports_to, known)
            elif s.id in loops:
                yield diagnostic(path, ctx.at(path, loc + ("reports_to",)), "E208",
                                 f"reports_to forms a cycle: {chain_text(*loops[s.id])}")


def cycle_from(start: str, edges: dict[str, str | None]) -> list[str]:
    """The loop that leads from `start` back to itself along `edges` (start repeated at the end),
    or [] when the chain ends or loops elsewhere. One helper for reports_to and parent."""
    chain, seen = [start], {start}
    current = edges.get(start)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = edges.get(current)
    if current == start and len(chain) > 1:
        return chain + [start]
    return []


def cycles(edges: Mapping[str, str | None]) -> dict[str, tuple[list[str], int]]:
    """Every id that lies on a loop of two or more along `edges`: its loop and its place in it.

    One walk over the whole graph (each id is followed once), so a chain of thousands costs its
    length, not its square; following the chain from every id in turn would."""
    walked: dict[str, str] = {}  # id -> the start of the walk that reached it first
    found: dict[str, tuple[list[str], int]] = {}
    for start in edges:
        if start in walked:
            continue
        walk: list[str] = []
        place: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in walked:
            walked[current] = start
            place[current] = len(walk)
            walk.append(current)
            current = edges.get(current)
        if current is not None and walked[current] == start and len(walk) - place[current] > 1:
            loop = walk[place[current]:]
            found.update((member, (loop, index)) for index, member in enumerate(loop))
    return found


def chain_text(loop: list[str], index: int, most: int = 12) -> str:
    """The loop read from its `index`th member back to it; a long loop is shortened so that a
    message for each of its thousands of members does not repeat all of them."""
    size = len(loop)
    shown = [loop[(index + k) % size] for k in range(min(size, most))]
    if size > most:
        shown.append(f"... ({size - most:,} more)")
    return " -> ".join(shown + [loop[index]])


@rule("E201", "E204")
def goal_references(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        path = f"{account.dir}/goals.yml"
        known = ctx.stakeholder_ids[account.id]
        for loc, g in account.located_goals():
            if ctx.unknown(g.owner, ctx.team_ids):
                yield _unknown(ctx, path, loc + ("owner",), "E201", "team member", g.owner, ctx.team_ids)
            if g.sponsor is not None and ctx.unknown(g.sponsor, known):
                yield _unknown(ctx, path, loc + ("sponsor",), "E204", "stakeholder", g.sponsor, known)


@rule("E201", "E205", "E206")
def review_references(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        people = ctx.people(account.id)
        goals = ctx.goal_ids[account.id]
        for review in account.reviews:
            path = review.path
            for i, attendee in enumerate(review.meta.attendees):
                if ctx.unknown(attendee, people):
                    yield diagnostic(path, ctx.at(path, ("attendees", i)), "E205",
                                f"attendee '{attendee}' is neither a stakeholder of {account.id} nor a team member"
                                f"{suggest(attendee, people or ())}")
            for i, action in enumerate(review.meta.actions):
                if ctx.unknown(action.owner, ctx.team_ids):
                    yield _unknown(ctx, path, ("actions", i, "owner"), "E201", "team member", action.owner, ctx.team_ids)
                if action.goal is not None and ctx.unknown(action.goal, goals):
                    yield _unknown(ctx, path, ("actions", i, "goal"), "E206", "goal", action.goal, goals)


@rule("E020", "E207")
def wikilinks(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        for path, body, body_line in account.markdown_bodies():
            for link in find_wikilinks(body, body_line):
                problem = unresolved_reason(ctx, link.target)
                invisible = first_invisible(link.target) if problem else None
                if invisible:
                    yield _invisible_in_link(path, body, body_line, link, invisible[1])
                elif problem:
                    yield diagnostic(path, (link.line, link.column), "E207", f"wiki-link [[{link.target}]]: {problem}")


def _invisible_in_link(path: str, body: str, body_line: int, link: WikiLink, char: str) -> Diagnostic:
    """E020 at the character: the message of an unresolved link would show a name that looks
    exactly like the one it should have matched."""
    line = body.split("\n")[link.line - body_line]
    column = line.find(char, link.column - 1) + 1
    return diagnostic(path, (link.line, column or link.column), "E020",
                      f"wiki-link [[{visible(link.target)}]] contains {char_name(char)}: it cannot be seen, so the "
                      "link looks right and is not; delete the character")


def unresolved_reason(ctx: RuleContext, target: str) -> str | None:
    found = resolve_wikilink(target, ctx.team_ids, ctx.account_ids, ctx.stakeholder_ids)
    if not isinstance(found, Unresolved):
        return None
    hint = suggest(found.name, found.known)
    if found.what == "stakeholder":
        return f"account '{found.account}' has no stakeholder '{found.name}'{hint}"
    return f"no {found.what} '{found.name}'{hint}"


RULES = (duplicate_ids, account_references, parent_cycles, stakeholder_references, goal_references,
         review_references, wikilinks)
