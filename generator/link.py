"""Stage: link. Every reference resolved once, into relations stored both ways.

In the manner of Backstage's catalog model, a relation is data: (source, type, target), and
each is stored with its inverse, so a person's page and an account's page read the same
fact from opposite ends.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import Portfolio

# Entity references: ("account", id), ("person", id), ("stakeholder", account, id),
# ("goal", account, id), ("review", account, slug).
Ref = tuple[str, ...]

INVERSE = {
    "ownedBy": "ownerOf",
    "sponsoredBy": "sponsorOf",
    "hasMember": "memberOf",
    "childOf": "parentOf",
    "attendedBy": "attended",
    "relationshipOwnedBy": "ownsRelationship",
    "reportsTo": "managerOf",
    "goalOwnedBy": "ownsGoal",
    "goalSponsoredBy": "sponsorsGoal",
    "advancedBy": "advances",
    "actionOwnedBy": "ownsAction",
}
INVERSE.update({v: k for k, v in list(INVERSE.items())})


@dataclass(frozen=True)
class Relation:
    source: Ref
    type: str
    target: Ref


@dataclass(frozen=True)
class Links:
    relations: tuple[Relation, ...]
    _index: dict[Ref, dict[str, tuple[Ref, ...]]] = field(repr=False, compare=False)

    def of(self, source: Ref, relation: str) -> tuple[Ref, ...]:
        return self._index.get(source, {}).get(relation, ())


def _pairs(portfolio: Portfolio):
    for account in portfolio.accounts:
        a: Ref = ("account", account.id)
        p = account.profile
        yield a, "ownedBy", ("person", p.owner)
        if p.executive_sponsor:
            yield a, "sponsoredBy", ("person", p.executive_sponsor)
        for member in p.team:
            yield a, "hasMember", ("person", member.person)
        if p.parent:
            yield a, "childOf", ("account", p.parent)
        for s in account.stakeholders:
            sref: Ref = ("stakeholder", account.id, s.id)
            yield sref, "relationshipOwnedBy", ("person", s.relationship_owner)
            if s.reports_to:
                yield sref, "reportsTo", ("stakeholder", account.id, s.reports_to)
        for g in account.goals:
            gref: Ref = ("goal", account.id, g.id)
            yield gref, "goalOwnedBy", ("person", g.owner)
            if g.sponsor:
                yield gref, "goalSponsoredBy", ("stakeholder", account.id, g.sponsor)
        stakeholder_ids = {s.id for s in account.stakeholders}
        for review in account.reviews:
            rref: Ref = ("review", account.id, review.slug)
            for attendee in review.meta.attendees:
                kind = ("stakeholder", account.id, attendee) if attendee in stakeholder_ids else ("person", attendee)
                yield rref, "attendedBy", kind
            for action in review.meta.actions:
                yield rref, "actionOwnedBy", ("person", action.owner)
                if action.goal:
                    yield ("goal", account.id, action.goal), "advancedBy", rref


def link(portfolio: Portfolio) -> Links:
    relations = []
    index: dict[Ref, dict[str, list[Ref]]] = defaultdict(lambda: defaultdict(list))
    for source, kind, target in _pairs(portfolio):
        for rel in (Relation(source, kind, target), Relation(target, INVERSE[kind], source)):
            relations.append(rel)
            bucket = index[rel.source][rel.type]
            if rel.target not in bucket:
                bucket.append(rel.target)
    frozen = {src: {kind: tuple(targets) for kind, targets in kinds.items()} for src, kinds in index.items()}
    return Links(tuple(relations), frozen)


def resolve_wikilink(portfolio: Portfolio, target: str) -> Ref | None:
    """The entity a `[[...]]` names, or None. Validation reports the None cases."""
    if target.startswith("@"):
        person = target[1:]
        return ("person", person) if person in portfolio.team_by_id else None
    account_id, _, anchor = target.partition("#")
    account = portfolio.accounts_by_id.get(account_id)
    if account is None:
        return None
    if not anchor:
        return ("account", account_id)
    return ("stakeholder", account_id, anchor) if account.stakeholder(anchor) else None
