"""The model: typed, immutable records. One module of types, no I/O.

The file-shaped records (everything deriving from `Record`) are also the file formats'
schema: the validate stage checks YAML against them and `kam schema` exports their JSON
Schema, so the contract is written down once. The aggregates at the bottom (Account,
Portfolio) are assembled from validated records.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from .ids import MAX_ID_LENGTH, is_reserved
from .prompts import is_written

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # kebab-case: folder names, anchors, every id in the files
ID_RE = re.compile(ID_PATTERN)


def _portable(value: str) -> str:
    # The error types are what validate/schema.py turns into E114 and E113.
    if len(value) > MAX_ID_LENGTH:
        raise PydanticCustomError("id_too_long", "id longer than {max_length}", {"max_length": MAX_ID_LENGTH})
    if is_reserved(value):
        raise PydanticCustomError("id_reserved", "id reserved by Windows")
    return value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN), AfterValidator(_portable),
               Field(json_schema_extra={"maxLength": MAX_ID_LENGTH})]
CRITERION_ID_PATTERN = r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$"
CriterionId = Annotated[str, StringConstraints(pattern=CRITERION_ID_PATTERN)]  # snake_case, as in criteria.yml
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
# Accepts 8 and 8.5; refuses "8", true, and .nan/.inf (YAML reads 1.0e+400 as .inf too): one
# non-finite figure would silently drop a criterion, zero every score or print "USD infB".
Number = Annotated[float, Strict(), AllowInfNan(False)]
# Every figure has a range, so no sum, date or chart can overflow. Figures that live on the
# criteria scale (scores, min_score, watch margins) are checked against the scale itself in
# validate/; the ranges here are the absolute ones.
MAX_MONEY = 1e15  # above any real account's revenue, in any currency (45 trillion yen is 4.5e13)
Money = Annotated[Number, Field(ge=0, le=MAX_MONEY)]
MAX_DEALS = 10**9  # won opportunities of one product: a billion is beyond any export
MAX_CADENCE_DAYS = 3650  # ten years: any longer is no cadence at all
SCALE_LIMIT = 1000  # a scale is 1-5, 1-10 or 0-100 in practice; 1000 leaves room
MAX_WEIGHT = 1000  # weights are relative: points or percentages
MAX_RATE = 1e6  # units of the base currency per unit of another (1 USD is ~25,000 VND)
# One address and nothing more: team.yml's emails become `mailto:` links, where a '?' or '#'
# starts hidden parameters (bcc, subject, body), '%' encodes them, and ',' or ';' add recipients.
_NOT_IN_ADDRESS = r"\s@<>()\[\],;:\"?#%\\"
EMAIL_PATTERN = rf"^[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}.]+(?:\.[^{_NOT_IN_ADDRESS}.]+)+$"
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
CURRENCY_PATTERN = r"^[A-Z]{3}$"  # an ISO 4217 code
Currency = Annotated[str, StringConstraints(pattern=CURRENCY_PATTERN)]
# A GitHub login (letters, digits, single hyphens inside, at most 39): the digest writes `@login` from
# this field alone, never from free text, so the pattern is what keeps a mention to one person.
GITHUB_LOGIN_PATTERN = r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$"
GitHubLogin = Annotated[str, StringConstraints(max_length=39, pattern=GITHUB_LOGIN_PATTERN)]

Role = Literal["decision_maker", "economic_buyer", "influencer", "champion", "user", "gatekeeper", "blocker"]
Influence = Literal["high", "medium", "low"]
Sentiment = Literal["advocate", "supporter", "neutral", "skeptic", "detractor"]
Horizon = Literal["short", "mid", "long"]
GoalStatus = Literal["planned", "in_progress", "done", "at_risk", "dropped"]
ReviewType = Literal["qbr", "executive", "internal", "health_check"]
ActionStatus = Literal["open", "done", "dropped"]
SeverityLevel = Annotated[
    Literal["error", "warning", "notice", "off"],
    # YAML 1.1 reads a bare `off` as false; accept it as the word people wrote.
    BeforeValidator(lambda value: "off" if value is False else value),
]

HORIZONS: tuple[Horizon, ...] = ("short", "mid", "long")
# The roles every key account needs in its stakeholder map: validation warns without them and
# plan health counts them.
BUYING_CENTRE: tuple[Role, ...] = ("decision_maker", "champion")
# The range of each KPI a review records: what the schema accepts and what every chart spans.
SATISFACTION_RANGE = (1, 10)
RETENTION_RANGE = (0, 100)
NPS_RANGE = (-100, 100)
SENTIMENT_ORDER: tuple[Sentiment, ...] = ("advocate", "supporter", "neutral", "skeptic", "detractor")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- criteria.yml -----------------------------------------------------------------------------

ScalePoint = Annotated[int, Strict(), Field(ge=-SCALE_LIMIT, le=SCALE_LIMIT)]


class Scale(Record):
    min: ScalePoint = 1
    max: ScalePoint = 10


class Criterion(Record):
    id: CriterionId
    name: Text
    weight: Annotated[Number, Field(le=MAX_WEIGHT)]  # positive: E401 says so in its own words
    description: str = ""
    anchors: dict[int, Text] = Field(default_factory=dict)


class Tier(Record):
    id: Id
    name: Text
    min_score: Number
    review_every_days: Annotated[int, Strict(), Field(ge=1, le=MAX_CADENCE_DAYS)]
    required_sections: tuple[Text, ...] = ()


class PlanRules(Record):
    required_sections: tuple[Text, ...] = ()


Margin = Annotated[Number, Field(ge=0, le=2 * SCALE_LIMIT)]  # and within the scale's span: validate/config.py


class Watch(Record):
    promotion_margin: Margin = 0.5
    demotion_margin: Margin = 0.3


class Limits(Record):
    max_key_share: Annotated[Number, Field(ge=0, le=1)] = 0.25


class ContactRules(Record):
    """When a stakeholder counts as stale: not contacted for more than `stale_after_days` days,
    or never. The stakeholder pages, plan health and the attention list all read this rule."""
    stale_after_days: Annotated[int, Strict(), Field(ge=1, le=MAX_CADENCE_DAYS)] = 90

    def is_stale(self, stakeholder: Stakeholder, today: dt.date) -> bool:
        return stakeholder.contact_stale(today, self.stale_after_days)


class CurrencyRules(Record):
    """How revenue in several currencies is added up: each figure in a currency of `rates` is
    converted to `base` at its rate (units of `base` for one unit of that currency)."""
    base: Currency
    rates: dict[Currency, Annotated[Number, Field(gt=0, le=MAX_RATE)]] = Field(default_factory=dict)


HostName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
                                             max_length=253)]


class ContentRules(Record):
    """What account Markdown may pull into a reader's page: images from the repository, or from
    these hosts (an intranet's file server, say); any other host is an error (E220)."""
    image_hosts: tuple[HostName, ...] = ()


class Audience(Record):
    """A restricted audience declared in criteria.yml's `audiences:` (leadership, say): who reads a site
    built for it. `internal` and `customer` are built in and never declared."""
    description: str = ""
    # What it sees beyond the internal site: `confidential` adds the accounts marked confidential.
    sees: Literal["confidential"] = "confidential"


class CriteriaConfig(Record):
    """criteria.yml: selection criteria, weights, tiers, required plan sections, cadences."""
    scale: Scale = Scale()
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]
    tiers: Annotated[tuple[Tier, ...], Field(min_length=1)]
    plan: PlanRules = PlanRules()
    watch: Watch = Watch()
    limits: Limits = Limits()
    contacts: ContactRules = ContactRules()
    # Without it, totals are kept per currency: revenue in different currencies is never added.
    currency: CurrencyRules | None = None
    severity: dict[str, SeverityLevel] = Field(default_factory=dict)
    content: ContentRules = ContentRules()
    audiences: dict[Id, Audience] = Field(default_factory=dict)

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)

    def sections_for(self, tier: Tier | None) -> tuple[str, ...]:
        """The plan sections an account in `tier` (None: standard) must have."""
        sections = list(self.plan.required_sections)
        if tier is not None:
            sections += [s for s in tier.required_sections if s not in sections]
        return tuple(sections)


# -- team.yml ---------------------------------------------------------------------------------

class Person(Record):
    id: Id
    name: Text
    role: Text
    email: Email
    github: GitHubLogin | None = None  # mentioned by `kam digest`'s dashboard issue


# -- accounts/<id>/account.yml ----------------------------------------------------------------

class TeamMember(Record):
    person: Id
    role: Text


class Financials(Record):
    currency: Currency = "USD"
    annual_revenue: Money
    revenue_potential: Money


class CriterionScore(Record):
    score: Number
    why: Text


FINGERPRINT_PATTERN = r"^sha256:[0-9a-f]{16,64}$"
Fingerprint = Annotated[str, StringConstraints(pattern=FINGERPRINT_PATTERN)]


class ProductBought(Record):
    """One product an account has bought, as the CRM export says: its won opportunities up to `as_of`."""
    name: Text
    family: Text | None = None  # the product's series or line, where the export has one
    won: Money  # the won value, in the account's currency
    deals: Annotated[int, Strict(), Field(ge=1, le=MAX_DEALS)]  # won opportunities


class CrmRecord(Record):
    """Where an imported account's figures came from: written and refreshed by `kam import crm`."""
    source: Text  # the export's folder name
    as_of: dt.date  # the day the figures are counted up to
    imported_on: dt.date  # the day an import last changed the figures
    fingerprint: Fingerprint  # of the export's files, so the same export is recognised
    # What the account has bought, largest won value first: the footprint and its white space.
    products: tuple[ProductBought, ...] = ()


MAX_TERM_MONTHS = 120  # ten years: longer is a framework agreement, not a term that renews


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier; the month's last day when it has no such day
    (a 12-month term renewing on 2027-02-28 began on 2026-02-28, one renewing on 2024-02-29 on 2023-02-28)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class Contract(Record):
    """The customer's current contract: when it renews and how long a term runs. The term ends at
    `renewal`, so the current term began `term_months` before it (`last_renewal`)."""
    renewal: dt.date
    term_months: Annotated[int, Strict(), Field(ge=1, le=MAX_TERM_MONTHS)]

    @property
    def last_renewal(self) -> dt.date:
        return months_before(self.renewal, self.term_months)

    def days_left(self, today: dt.date) -> int:
        return (self.renewal - today).days


class AccountProfile(Record):
    name: Text
    industry: Text
    region: Text
    headquarters: str = ""
    parent: Id | None = None
    customer_since: dt.date
    owner: Id
    executive_sponsor: Id | None = None
    team: tuple[TeamMember, ...] = ()
    financials: Financials
    scores: dict[str, CriterionScore]  # a person's decision: only these place an account in a tier
    tags: tuple[Id, ...] = ()
    # Scores derived from CRM figures by `kam import crm`; they decide nothing until accepted.
    proposed_scores: dict[str, CriterionScore] = Field(default_factory=dict)
    crm: CrmRecord | None = None
    contract: Contract | None = None

    @property
    def renews_before_customer_since(self) -> bool:
        """A contract dated before the relationship (E121): no renewal rule can count from it."""
        return self.contract is not None and self.contract.renewal < self.customer_since
    # Seen only by the audiences declared with `sees: confidential`: left out of every other site.
    confidential: bool = False

    @property
    def is_candidate(self) -> bool:
        """Imported with proposals and not scored by anyone yet: shown with the tier its proposal
        would reach, but unscored, so no tier rule judges it and no score is missing."""
        return not self.scores and bool(self.proposed_scores)


# -- stakeholders.yml, goals.yml ----------------------------------------------------------------

class Stakeholder(Record):
    id: Id
    name: Text
    title: Text
    role: Role
    influence: Influence
    sentiment: Sentiment
    reports_to: Id | None = None
    relationship_owner: Id
    last_contact: dt.date | None = None
    notes: str = ""

    def contact_stale(self, today: dt.date, within_days: int) -> bool:
        """Not contacted in the last `within_days` days (or never)."""
        return self.last_contact is None or (today - self.last_contact).days > within_days


# A goal's measure may be a count, a percentage or an amount of money (even a negative one,
# such as a cost to bring down).
MeasureValue = Annotated[Number, Field(ge=-MAX_MONEY, le=MAX_MONEY)]


class Measure(Record):
    metric: Text
    current: MeasureValue
    target: MeasureValue


class Goal(Record):
    id: Id
    title: Text
    horizon: Horizon
    owner: Id
    due: dt.date
    status: GoalStatus
    measure: Measure | None = None
    sponsor: Id | None = None
    shared: bool = False  # part of the joint plan the customer may see

    # The goal rules, in one place for validation, analytics and the pages.
    @property
    def is_open(self) -> bool:
        return self.status not in ("done", "dropped")

    @property
    def counts_for_coverage(self) -> bool:
        """Whether the goal covers its horizon: a dropped goal covers nothing."""
        return self.status != "dropped"

    def past_due(self, today: dt.date) -> bool:
        return self.is_open and self.due < today

    def needs_attention(self, today: dt.date) -> bool:
        return self.status == "at_risk" or self.past_due(today)


# -- front matter of strategy.md and reviews ----------------------------------------------------

class Ask(Record):
    """What we will ask the customer for at the next review: the QBR brief's last section."""
    ask: Text
    of: Id | None = None  # the stakeholder asked, in the account's stakeholders.yml
    goal: Id | None = None  # the goal it serves, in goals.yml
    shared: bool = False  # on the customer's agenda too (kam brief --customer); internal unless said


class StrategyMeta(Record):
    updated: dt.date
    # Written ahead of a review and kept with the plan rather than in a review, which records what was said.
    asks: tuple[Ask, ...] = ()
    # The headings of the sections the customer may read in their joint plan; the rest stays internal.
    shared_sections: tuple[Text, ...] = ()


class Kpis(Record):
    revenue: Money | None = None
    retention_pct: Annotated[Number, Field(ge=RETENTION_RANGE[0], le=RETENTION_RANGE[1])] | None = None
    nps: Annotated[Number, Field(ge=NPS_RANGE[0], le=NPS_RANGE[1])] | None = None


class Action(Record):
    title: Text
    owner: Id
    due: dt.date
    goal: Id | None = None
    status: ActionStatus = "open"  # files written before actions had a status stay open
    # Agreed with the customer: shown in their joint plan, with `customer_owner` (one of the account's
    # stakeholders) as their side's owner.
    shared: bool = False
    customer_owner: Id | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def past_due(self, today: dt.date) -> bool:
        return self.is_open and self.due < today


class ReviewMeta(Record):
    date: dt.date
    type: ReviewType
    attendees: tuple[Id, ...] = ()
    satisfaction: Annotated[int, Strict(), Field(ge=SATISFACTION_RANGE[0], le=SATISFACTION_RANGE[1])] | None = None
    kpis: Kpis = Kpis()
    actions: tuple[Action, ...] = ()
    # Each goal's measure as read at this review (goal id -> value): the brief's change since the last review.
    measures: dict[Id, MeasureValue] = Field(default_factory=dict)
    shared: bool = False  # its `## Summary` section may be shown to the customer


# -- aggregates ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    title: str
    line: int
    body: str


@dataclass(frozen=True)
class Plan:
    path: str
    updated: dt.date | None
    sections: tuple[Section, ...]
    body: str
    body_line: int
    asks: tuple[Ask, ...] = ()
    shared_sections: tuple[str, ...] = ()  # headings as the front matter lists them

    @cached_property
    def written_titles(self) -> frozenset[str]:
        """Casefolded titles of the sections with real content (not empty, not a left prompt);
        asked at every history point, so worked out once per plan."""
        return frozenset(s.title.casefold() for s in self.sections if is_written(s.body))


@dataclass(frozen=True)
class Review:
    path: str
    slug: str  # the file name without .md, unique within the account
    meta: ReviewMeta
    title: str
    body: str
    body_line: int


@dataclass(frozen=True)
class TrackedAction:
    """An action through its life: agreed at one review, carried forward by later ones that list it
    again (the same title, ignoring case and spacing), open until one of them closes it (done or
    dropped). Its owner, due date and status are those of its latest mention."""
    action: Action  # as last written
    agreed: Review  # the review where it first appears
    latest: Review  # the review that last lists it
    index: int  # its position in the latest review's actions, to locate it there

    @property
    def is_open(self) -> bool:
        return self.action.is_open

    def past_due(self, today: dt.date) -> bool:
        return self.action.past_due(today)

    def days_late(self, today: dt.date) -> int:
        return max((today - self.action.due).days, 0) if self.is_open else 0

    @property
    def closed_in(self) -> Review | None:
        """The review that closed it, or None while it is open."""
        return None if self.is_open else self.latest


def action_key(title: str) -> str:
    """What makes two mentions the same action: the title, ignoring case and spacing."""
    return " ".join(title.split()).casefold()


@dataclass(frozen=True)
class AccountAsRead:
    """An account as far as its files could be read."""
    id: str
    dir: str
    # None while validating an account whose account.yml is unusable, so that its other files
    # are still checked; such an account is never an `Account`, and a Portfolio holds only those.
    profile: AccountProfile | None
    stakeholders: tuple[Stakeholder, ...] = ()
    goals: tuple[Goal, ...] = ()
    plan: Plan | None = None
    reviews: tuple[Review, ...] = ()  # oldest first
    # Each stakeholder's and goal's index in its file, so rules can point at it even when
    # invalid entries before it were left out.
    stakeholder_rows: tuple[int, ...] = ()
    goal_rows: tuple[int, ...] = ()

    def located_stakeholders(self) -> Iterator[tuple[tuple[int], Stakeholder]]:
        return zip(((row,) for row in self.stakeholder_rows), self.stakeholders)

    def located_goals(self) -> Iterator[tuple[tuple[int], Goal]]:
        return zip(((row,) for row in self.goal_rows), self.goals)

    def markdown_bodies(self) -> list[tuple[str, str, int]]:
        """(path, body, line the body starts on) of the plan and every review: the account's prose."""
        bodies = [(r.path, r.body, r.body_line) for r in self.reviews]
        if self.plan is not None:
            bodies.append((self.plan.path, self.plan.body, self.plan.body_line))
        return bodies

    @property
    def last_review(self) -> Review | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def latest_actions(self) -> tuple[Action, ...]:
        """The actions the latest review lists (its agenda); what is still open is `open_actions`."""
        last = self.last_review
        return last.meta.actions if last else ()

    @cached_property
    def actions(self) -> tuple[TrackedAction, ...]:
        """Every action agreed in any review, once, with its latest status: the one lifecycle that
        the pages, the attention list, `kam validate` and the digest read."""
        tracked: dict[str, TrackedAction] = {}
        for review in self.reviews:  # oldest first: a later mention carries the action forward
            for index, action in enumerate(review.meta.actions):
                key = action_key(action.title)
                first = tracked[key].agreed if key in tracked else review
                tracked[key] = TrackedAction(action, first, review, index)
        return tuple(tracked.values())

    @property
    def open_actions(self) -> tuple[TrackedAction, ...]:
        return tuple(a for a in self.actions if a.is_open)

    def action_in(self, review: Review, index: int) -> TrackedAction:
        """The life of the action a review lists at `index`: closed later, or still open."""
        key = action_key(review.meta.actions[index].title)
        return next(a for a in self.actions if action_key(a.action.title) == key)

    # The review cadence, in one place: a review is due `every_days` after the latest one.
    def next_review_due(self, every_days: int) -> dt.date | None:
        last = self.last_review
        return last.meta.date + dt.timedelta(days=every_days) if last else None

    def review_overdue(self, every_days: int, today: dt.date) -> bool:
        due = self.next_review_due(every_days)
        return due is None or due < today

    def executive_review_since(self, day: dt.date) -> Review | None:
        """The latest executive review held on or after `day`, if any."""
        return next((r for r in reversed(self.reviews) if r.meta.type == "executive" and r.meta.date >= day), None)

    # The renewal rule, in one place for the attention list and `kam validate`: a key account whose
    # contract renews within its review cadence needs an executive review in the current term.
    def renewal_unprepared(self, every_days: int, today: dt.date) -> bool:
        profile = self.profile
        if profile is None or profile.contract is None or profile.renews_before_customer_since:
            return False
        contract = profile.contract
        return contract.days_left(today) <= every_days and self.executive_review_since(contract.last_renewal) is None

    def covered_horizons(self) -> set[str]:
        return {g.horizon for g in self.goals if g.counts_for_coverage}

    def missing_roles(self) -> tuple[Role, ...]:
        """The roles of the buying centre nobody in the stakeholder map holds."""
        roles = {s.role for s in self.stakeholders}
        return tuple(r for r in BUYING_CENTRE if r not in roles)

    def stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.id == stakeholder_id), None)


@dataclass(frozen=True)
class Account(AccountAsRead):
    """An account whose account.yml was read: what is scored, linked and shown."""
    profile: AccountProfile


@dataclass(frozen=True)
class Portfolio:
    criteria: CriteriaConfig | None
    team: tuple[Person, ...]
    accounts: tuple[Account, ...]
    team_by_id: dict[str, Person] = field(init=False, repr=False, compare=False)
    accounts_by_id: dict[str, Account] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "team_by_id", {p.id: p for p in self.team})
        object.__setattr__(self, "accounts_by_id", {a.id: a for a in self.accounts})
