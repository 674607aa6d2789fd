"""The customer's joint plan: a projection of one account onto what may leave the building.

An allowlist by construction. `shared_plan` copies into small records of its own only what the
account's files mark as shared (goals, actions, review summaries, plan sections) and, of the people,
what the customer may read: their names and titles, our team's names, roles and contacts. Renderers
of the customer's plan take a `SharedPlan`, never an `Account`: tier, scores and their reasons, the
watch, plan health, revenue potential, sentiment, influence, notes, other accounts and the history
are not in it, so no template can print them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.mdtext import find_wikilinks, split_sections
from ..core.model import Account, GoalStatus, Horizon, Person, Review
from ..core.refs import Ref

SUMMARY = "summary"  # the section of a review the customer may read, casefolded


@dataclass(frozen=True)
class SharedMeasure:
    metric: str
    current: float
    target: float


@dataclass(frozen=True)
class SharedGoal:
    id: str  # for the actions that serve it, on the same page
    title: str
    horizon: Horizon
    due: dt.date
    status: GoalStatus
    our_owner: str  # a name
    their_sponsor: str | None
    measure: SharedMeasure | None


@dataclass(frozen=True)
class SharedAction:
    title: str
    due: dt.date
    status: str
    our_owner: str
    their_owner: str | None
    goal: str | None  # the title of the shared goal it serves; an unshared goal is not named


@dataclass(frozen=True)
class SharedReview:
    date: dt.date
    type: str
    attendees: tuple[str, ...]  # names
    summary: str  # Markdown; wiki-links resolve against SharedPlan.names only


@dataclass(frozen=True)
class SharedSection:
    title: str
    body: str  # Markdown, as the summary


@dataclass(frozen=True)
class TheirPerson:
    name: str
    title: str


@dataclass(frozen=True)
class OurPerson:
    name: str
    role: str  # on this account's team
    email: str


@dataclass(frozen=True)
class SharedPlan:
    account_name: str
    as_of: dt.date
    goals: tuple[SharedGoal, ...]
    actions: tuple[SharedAction, ...]
    reviews: tuple[SharedReview, ...]  # newest first
    sections: tuple[SharedSection, ...]
    their_people: tuple[TheirPerson, ...]
    our_team: tuple[OurPerson, ...]
    # What each wiki-link in the shared text shows: its target (`@person`, `account`, `account#stakeholder`)
    # -> a name. Only targets the shared text names are here; any other (another account) shows no name.
    names: dict[str, str]

    @property
    def is_empty(self) -> bool:
        return not (self.goals or self.actions or self.reviews or self.sections)


def review_summary(review: Review) -> str | None:
    """The `## Summary` section of a review, the part a shared review shows; None without one."""
    for section in split_sections(review.body, review.body_line):
        if section.title.strip().casefold() == SUMMARY:
            return section.body
    return None


def wikilink_names(account: Account, team_by_id: dict[str, Person], texts: list[str]) -> dict[str, str]:
    """The name each wiki-link in `texts` shows, for the targets shared text may name: the account
    itself, its people and our team."""
    names = {}
    for target in {link.target for text in texts for link in find_wikilinks(text, 1)}:
        account_id, _, anchor = target.partition("#")
        if target.startswith("@") and (person := team_by_id.get(target[1:])):
            names[target] = person.name
        elif account_id == account.id and not anchor:
            names[target] = account.profile.name
        elif account_id == account.id and (stakeholder := account.stakeholder(anchor)):
            names[target] = stakeholder.name
    return names


def shareable_ref(ref: Ref, account_id: str) -> bool:
    """Whether a resolved wiki-link may appear in the account's shared text (validation's rule)."""
    return ref[0] == "person" or ref[1] == account_id


def _name(person_id: str | None, team_by_id: dict[str, Person]) -> str | None:
    if person_id is None:
        return None
    person = team_by_id.get(person_id)
    return person.name if person else None  # validation refuses an unknown id; never print the id instead


def _their(account: Account, stakeholder_id: str | None) -> str | None:
    found = account.stakeholder(stakeholder_id) if stakeholder_id else None
    return found.name if found else None


def our_team(account: Account, team_by_id: dict[str, Person]) -> tuple[OurPerson, ...]:
    """The owner, the executive sponsor and the account team, each once, with the role they hold here."""
    p = account.profile
    roles = [(p.owner, "Account manager")]
    if p.executive_sponsor:
        roles.append((p.executive_sponsor, "Executive sponsor"))
    roles += [(m.person, m.role) for m in p.team]
    seen: set[str] = set()
    people = []
    for person_id, role in roles:
        person = team_by_id.get(person_id)
        if person is None or person_id in seen:
            continue
        seen.add(person_id)
        people.append(OurPerson(person.name, role, person.email))
    return tuple(people)


def _goals(account: Account, team_by_id: dict[str, Person]) -> tuple[SharedGoal, ...]:
    goals = []
    for g in account.goals:
        if not g.shared:
            continue
        measure = SharedMeasure(g.measure.metric, g.measure.current, g.measure.target) if g.measure else None
        goals.append(SharedGoal(g.id, g.title, g.horizon, g.due, g.status, _name(g.owner, team_by_id) or "",
                                _their(account, g.sponsor), measure))
    return tuple(goals)


def _actions(account: Account, team_by_id: dict[str, Person], goal_titles: dict[str, str]) -> tuple[SharedAction, ...]:
    actions = []
    for tracked in account.actions:
        a = tracked.action
        if not a.shared:  # as last written: an action taken back from the customer stays internal
            continue
        actions.append(SharedAction(a.title, a.due, a.status, _name(a.owner, team_by_id) or "",
                                    _their(account, a.customer_owner), goal_titles.get(a.goal or "")))
    return tuple(sorted(actions, key=lambda x: (x.status != "open", x.due)))


def _reviews(account: Account, team_by_id: dict[str, Person]) -> tuple[SharedReview, ...]:
    reviews = []
    for r in reversed(account.reviews):
        summary = review_summary(r) if r.meta.shared else None
        if not summary:
            continue
        attendees = tuple(n for n in (_name(i, team_by_id) or _their(account, i) for i in r.meta.attendees) if n)
        reviews.append(SharedReview(r.meta.date, r.meta.type, attendees, summary))
    return tuple(reviews)


def _sections(account: Account) -> tuple[SharedSection, ...]:
    plan = account.plan
    if plan is None:
        return ()
    wanted = {t.casefold() for t in plan.shared_sections}
    return tuple(SharedSection(s.title, s.body) for s in plan.sections if s.title.casefold() in wanted and s.body)


def _their_people(account: Account, plan_people: set[str]) -> tuple[TheirPerson, ...]:
    """Only the customer's people the shared plan names: the rest of the map (a blocker we track, say) stays ours."""
    return tuple(TheirPerson(s.name, s.title) for s in account.stakeholders if s.id in plan_people)


def shared_plan(account: Account, team_by_id: dict[str, Person], today: dt.date) -> SharedPlan:
    """The account's joint plan as the customer may read it."""
    goals = _goals(account, team_by_id)
    actions = _actions(account, team_by_id, {g.id: g.title for g in goals})
    reviews = _reviews(account, team_by_id)
    shared_goal_ids = {g.id for g in goals}
    named = {g.sponsor for g in account.goals if g.id in shared_goal_ids and g.sponsor}
    named |= {t.action.customer_owner for t in account.actions if t.action.shared and t.action.customer_owner}
    named |= {i for r in account.reviews if r.meta.shared and review_summary(r) for i in r.meta.attendees}
    sections = _sections(account)
    names = wikilink_names(account, team_by_id, [r.summary for r in reviews] + [s.body for s in sections])
    named |= {target.partition("#")[2] for target in names if "#" in target}
    return SharedPlan(account.profile.name, today, goals, actions, reviews, sections,
                      _their_people(account, named), our_team(account, team_by_id), names)
