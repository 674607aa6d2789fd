"""Stage: link. Every reference resolved once, into relations stored both ways.

In the manner of Backstage's catalog model, a relation is data: (source, type, target), and
each is stored with its inverse, so a person's page and an account's page read the same
fact from opposite ends.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum

from ..core.model import Portfolio
from ..core.refs import Ref

# Entity references: ("account", id), ("person", id), ("stakeholder", account, id),
# ("goal", account, id), ("review", account, slug).


class Rel(str, Enum):
    """The relations the site reads, each with its inverse. A misspelt name is a ValueError
    (`Rel("ownrOf")`), so a template typo fails the build instead of printing "none"."""
    OWNED_BY = "ownedBy"
    OWNER_OF = "ownerOf"
    SPONSORED_BY = "sponsoredBy"
    SPONSOR_OF = "sponsorOf"
    HAS_MEMBER = "hasMember"
    MEMBER_OF = "memberOf"
    CHILD_OF = "childOf"
    PARENT_OF = "parentOf"
    ATTENDED_BY = "attendedBy"
    ATTENDED = "attended"
    RELATIONSHIP_OWNED_BY = "relationshipOwnedBy"
    OWNS_RELATIONSHIP = "ownsRelationship"
    ADVANCED_BY = "advancedBy"
    ADVANCES = "advances"


_PAIRS = [(Rel.OWNED_BY, Rel.OWNER_OF), (Rel.SPONSORED_BY, Rel.SPONSOR_OF), (Rel.HAS_MEMBER, Rel.MEMBER_OF),
          (Rel.CHILD_OF, Rel.PARENT_OF), (Rel.ATTENDED_BY, Rel.ATTENDED),
          (Rel.RELATIONSHIP_OWNED_BY, Rel.OWNS_RELATIONSHIP), (Rel.ADVANCED_BY, Rel.ADVANCES)]
INVERSE: dict[Rel, Rel] = {a: b for a, b in _PAIRS} | {b: a for a, b in _PAIRS}


@dataclass(frozen=True)
class Links:
    _index: dict[Ref, dict[Rel, tuple[Ref, ...]]] = field(repr=False, compare=False)

    def of(self, source: Ref, relation: Rel | str) -> tuple[Ref, ...]:
        return self._index.get(source, {}).get(Rel(relation), ())


def _pairs(portfolio: Portfolio):
    for account in portfolio.accounts:
        a: Ref = ("account", account.id)
        p = account.profile
        yield a, Rel.OWNED_BY, ("person", p.owner)
        if p.executive_sponsor:
            yield a, Rel.SPONSORED_BY, ("person", p.executive_sponsor)
        for member in p.team:
            yield a, Rel.HAS_MEMBER, ("person", member.person)
        if p.parent:
            yield a, Rel.CHILD_OF, ("account", p.parent)
        for s in account.stakeholders:
            yield ("stakeholder", account.id, s.id), Rel.RELATIONSHIP_OWNED_BY, ("person", s.relationship_owner)
        stakeholder_ids = {s.id for s in account.stakeholders}
        for review in account.reviews:
            rref: Ref = ("review", account.id, review.slug)
            for attendee in review.meta.attendees:
                kind = ("stakeholder", account.id, attendee) if attendee in stakeholder_ids else ("person", attendee)
                yield rref, Rel.ATTENDED_BY, kind
            for action in review.meta.actions:
                if action.goal:
                    yield ("goal", account.id, action.goal), Rel.ADVANCED_BY, rref


def link(portfolio: Portfolio) -> Links:
    # dict keys keep first-seen order and drop repeats in O(1) (a list test was quadratic).
    index: dict[Ref, dict[Rel, dict[Ref, None]]] = defaultdict(lambda: defaultdict(dict))
    for source, kind, target in _pairs(portfolio):
        index[source][kind][target] = None
        index[target][INVERSE[kind]][source] = None
    return Links({src: {kind: tuple(targets) for kind, targets in kinds.items()} for src, kinds in index.items()})


