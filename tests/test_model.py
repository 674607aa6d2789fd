"""The model: every number a file can hold is finite and has a range; the domain rules answer once."""

from __future__ import annotations

import datetime as dt
import types
import typing

import pytest
from pydantic import ValidationError

from account_playbooks.core.model import Account, CriteriaConfig, Financials, Goal, Measure
from account_playbooks.core.schemas import FILE_KINDS, nested_models
from account_playbooks.validate.schema import bounds_at

# Figures that live on the criteria scale: validate/ checks them against the scale itself
# (E106 for scores, E402 for min_score, E403 for anchors), a range no static bound can know.
ON_THE_SCALE = {("CriterionScore", "score"), ("Tier", "min_score")}


def _number_fields():
    models = {m for kind in FILE_KINDS for m in (kind.model, *nested_models(kind.model))}
    for model in sorted(models, key=lambda m: m.__name__):
        for name, field in model.model_fields.items():
            if _leaf(field.annotation) in (int, float):
                yield model, name


def _leaf(tp):
    """The type under Annotated[...] and `| None`; containers (anchors, rates) are left as they are."""
    while typing.get_origin(tp) in (typing.Annotated, typing.Union, types.UnionType):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def test_every_number_in_the_model_has_a_range():
    fields = list(_number_fields())
    assert len(fields) >= 15
    for model, name in fields:
        bounds = bounds_at(model, (name,))
        if (model.__name__, name) in ON_THE_SCALE:
            assert not bounds, f"{model.__name__}.{name}: the scale, not a static bound, limits it"
        elif (model.__name__, name) == ("Criterion", "weight"):
            assert bounds == {"le": 1000}  # the lower bound is E401's: weights must be positive
        else:
            assert ("ge" in bounds or "gt" in bounds) and ("le" in bounds or "lt" in bounds), f"{model.__name__}.{name}"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused_everywhere(value):
    for model, name in _number_fields():
        if _leaf(model.model_fields[name].annotation) is float:
            with pytest.raises(ValidationError) as refused:
                model.__pydantic_validator__.validate_assignment(model.model_construct(), name, value)
            assert refused.value.errors()[0]["type"] == "finite_number", f"{model.__name__}.{name}"


def test_measure_and_money_ranges():
    assert Measure(metric="Cost", current=-5, target=-1e15).target == -1e15
    with pytest.raises(ValidationError):
        Financials(annual_revenue=1e15 + 1e3, revenue_potential=0)
    assert bounds_at(CriteriaConfig, ("currency", "rates", "EUR")) == {"gt": 0, "le": 1e6}


def _goal(status: str, due: str) -> Goal:
    return Goal(id="g", title="G", horizon="short", owner="p", due=dt.date.fromisoformat(due), status=status)


def test_goal_rules_in_one_place():
    today = dt.date(2026, 11, 24)
    assert [_goal(s, "2026-11-23").past_due(today) for s in ("planned", "in_progress", "at_risk", "done", "dropped")] \
        == [True, True, True, False, False]
    assert not _goal("in_progress", "2026-11-24").past_due(today)  # due today is not late
    assert _goal("at_risk", "2027-01-01").needs_attention(today) and not _goal("planned", "2027-01-01").needs_attention(today)
    assert not _goal("dropped", "2027-01-01").counts_for_coverage and _goal("done", "2020-01-01").counts_for_coverage


def test_review_cadence_in_one_place():
    from account_playbooks.core.model import Review, ReviewMeta

    def account(*dates: str) -> Account:
        reviews = tuple(Review(f"r{d}.md", d, ReviewMeta(date=dt.date.fromisoformat(d), type="qbr"), "", "", 1)
                        for d in dates)
        return Account("a", "accounts/a", None, reviews=reviews)

    today = dt.date(2026, 11, 24)
    assert account().next_review_due(90) is None and account().review_overdue(90, today)
    recent = account("2026-01-10", "2026-08-26")
    assert recent.next_review_due(90) == dt.date(2026, 11, 24) and not recent.review_overdue(90, today)
    assert recent.review_overdue(89, today)
    assert recent.latest_actions == ()


def _stakeholder(role: str, last_contact: str | None = None):
    from account_playbooks.core.model import Stakeholder

    return Stakeholder(id=role.replace("_", "-"), name="P", title="T", role=role, influence="high",
                       sentiment="neutral", relationship_owner="p",
                       last_contact=dt.date.fromisoformat(last_contact) if last_contact else None)


def test_the_buying_centre_in_one_place():
    assert Account("a", "accounts/a", None).missing_roles() == ("decision_maker", "champion")
    mapped = Account("a", "accounts/a", None, stakeholders=(_stakeholder("champion"), _stakeholder("user")))
    assert mapped.missing_roles() == ("decision_maker",)


def test_contact_staleness_in_one_place():
    from account_playbooks.core.model import ContactRules

    today = dt.date(2026, 11, 24)
    rules = ContactRules()
    assert rules.stale_after_days == 90
    assert not rules.is_stale(_stakeholder("user", "2026-08-26"), today)  # 90 days ago: still fresh
    assert rules.is_stale(_stakeholder("user", "2026-08-25"), today) and rules.is_stale(_stakeholder("user"), today)
    assert not ContactRules(stale_after_days=91).is_stale(_stakeholder("user", "2026-08-25"), today)
    with pytest.raises(ValidationError):
        ContactRules(stale_after_days=0)


@pytest.mark.parametrize(("renewal", "months", "began"), [
    ("2027-03-31", 24, "2025-03-31"), ("2027-02-28", 12, "2026-02-28"), ("2024-02-29", 12, "2023-02-28"),
    ("2027-03-31", 1, "2027-02-28"), ("2027-01-15", 1, "2026-12-15"), ("2027-01-15", 120, "2017-01-15"),
])
def test_a_term_counts_back_in_calendar_months(renewal, months, began):
    from account_playbooks.core.model import Contract, months_before

    contract = Contract(renewal=dt.date.fromisoformat(renewal), term_months=months)
    assert contract.last_renewal == months_before(contract.renewal, months) == dt.date.fromisoformat(began)


def test_the_renewal_rule_in_one_place():
    """Unprepared: renewing within the cadence (or past its date) with no executive review since the term
    began; an executive review in the term prepares it, a QBR or one before the term does not."""
    from account_playbooks.core.model import AccountProfile, Contract, Review, ReviewMeta

    def account(renewal: str, *reviews: tuple[str, str], customer_since: str = "2017-03-01") -> Account:
        profile = AccountProfile(name="A", industry="I", region="R", customer_since=dt.date.fromisoformat(customer_since),
                                 owner="p", financials=Financials(annual_revenue=1, revenue_potential=1), scores={},
                                 contract=Contract(renewal=dt.date.fromisoformat(renewal), term_months=12))
        found = tuple(Review(f"r{d}.md", d, ReviewMeta(date=dt.date.fromisoformat(d), type=kind), "", "", 1)
                      for d, kind in reviews)
        return Account("a", "accounts/a", profile, reviews=found)

    today = dt.date(2026, 12, 6)
    assert account("2027-03-31").renewal_unprepared(120, today)  # 115 days left
    assert not account("2027-03-31").renewal_unprepared(114, today)  # beyond the cadence
    assert account("2026-11-30").renewal_unprepared(120, today)  # passed, still unprepared
    assert not account("2027-03-31", ("2026-04-01", "executive")).renewal_unprepared(120, today)
    assert account("2027-03-31", ("2026-03-30", "executive"), ("2026-10-01", "qbr")).renewal_unprepared(120, today)
    assert account("2027-03-31", ("2026-04-01", "executive")).executive_review_since(dt.date(2026, 3, 31)) is not None
    assert not account("2016-03-31", customer_since="2017-03-01").renewal_unprepared(120, today)  # E121 instead
    with pytest.raises(ValidationError):
        Contract(renewal=today, term_months=0)
