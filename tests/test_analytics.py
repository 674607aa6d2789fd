"""Analytics: plan health parts, Pareto share, follow-ups, on figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from account_playbooks.analysis.analytics import analyse, pareto
from account_playbooks.core.model import CurrencyRules, Portfolio
from account_playbooks.scoring.check import check
from account_playbooks.scoring.score import score_portfolio

from .corpus import BASE

TODAY = dt.date(2026, 11, 24)


def test_pareto_share_by_hand():
    # 10 accounts: 50 + 20 + 10 + 7 x 20/7 ... keep it simple: revenues 50, 20, 10, 10, 10 -> total 100
    share, curve = pareto(pd.Series([10, 50, 10, 20, 10], dtype=float))
    assert share == 0.5  # top 20% of 5 accounts = 1 account = 50 of 100
    assert curve[0] == (0.0, 0.0) and curve[1] == (0.2, 0.5) and curve[-1] == (1.0, 1.0)
    share, _ = pareto(pd.Series([40, 30, 20, 10, 0, 0, 0, 0, 0, 0], dtype=float))
    assert share == 0.7  # top 2 of 10
    assert pareto(pd.Series([], dtype=float)) == (0.0, ())


def test_health_and_follow_ups_on_the_base_portfolio():
    validated = check(Path(BASE), TODAY)
    analytics = analyse(validated.portfolio, validated.scores, TODAY)
    kan = analytics.health["kan-code"]
    assert [p.name for p in kan.parts] == ["Plan sections", "Review cadence", "Goals", "Decision maker and champion",
                                           "Contact recency"]
    assert kan.total == 100
    # bluth-company is standard: reviewed against the lowest cadence (180 days), 2026-10-06 is 49 days ago.
    bluth = {p.name: p for p in analytics.health["bluth-company"].parts}
    assert bluth["Review cadence"].value == 1.0 and "49 days ago" in bluth["Review cadence"].detail
    assert analytics.review_due["kan-code"] == dt.date(2026, 11, 12) + dt.timedelta(days=90)
    assert "bluth-company" not in analytics.review_due  # standard accounts have no cadence


def test_overdue_review_and_kpi_change_a_year_later():
    later = dt.date(2027, 6, 1)
    validated = check(Path(BASE), later)
    analytics = analyse(validated.portfolio, validated.scores, later)
    assert {f.account_id for f in analytics.overdue_reviews} == {"kan-code", "codehow", "acme-corporation"}
    assert analytics.health["kan-code"].parts[1].value == 0.0
    latest, change = analytics.kpi_change("kan-code", "nps")
    assert (latest, change) == (47, 4)


def test_sections_holding_only_the_template_prompt_are_unwritten(tmp_path):
    from account_playbooks.core.prompts import prompt

    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    plan = repo / "accounts" / "bluth-company" / "strategy.md"
    text = plan.read_text()
    start, end = text.index("## Account Goals"), text.index("## Account Strategy")
    plan.write_text(text[:start] + "## Account Goals\n\n" + prompt("Account Goals") + "\n\n" + text[end:])
    validated = check(repo, TODAY)
    health = analyse(validated.portfolio, validated.scores, TODAY).health["bluth-company"]
    assert (health.parts[0].value, health.parts[0].detail) == (0.75, "3 of 4 required sections written")


def _with_currencies(currencies: dict[str, str], rules: CurrencyRules | None = None):
    """The base portfolio with some accounts' currencies changed (and rates declared)."""
    validated = check(Path(BASE), TODAY)
    accounts = []
    for account in validated.portfolio.accounts:
        financials = account.profile.financials.model_copy(
            update={"currency": currencies.get(account.id, account.profile.financials.currency)})
        accounts.append(replace(account, profile=account.profile.model_copy(update={"financials": financials})))
    criteria = validated.portfolio.criteria.model_copy(update={"currency": rules})
    portfolio = Portfolio(criteria, validated.portfolio.team, tuple(accounts))
    return analyse(portfolio, score_portfolio(portfolio), TODAY)


# Base revenue: kan-code 6,829,100 (platinum), codehow 2,803,660 and acme-corporation
# 2,034,880 (gold), bluth-company 1,138,060 (standard).
def test_revenue_in_several_currencies_is_never_added_up():
    analytics = _with_currencies({"codehow": "GBP", "bluth-company": "EUR"})
    views = {v.currency: v for v in analytics.revenue}
    assert [v.currency for v in analytics.revenue] == ["USD", "GBP", "EUR"]  # largest total first
    assert views["USD"].total == 6829100 + 2034880 and views["GBP"].total == 2803660
    assert views["EUR"].total == 1138060 and views["EUR"].converted == ()
    usd = views["USD"].tiers
    assert usd.loc["gold", "annual_revenue"] == 2034880 and usd.loc["gold", "accounts"] == 1
    assert usd.loc["platinum", "revenue_share"] == 6829100 / (6829100 + 2034880)
    assert views["GBP"].tiers.loc["gold", "revenue_share"] == 1.0
    assert analytics.tiers["accounts"].to_dict() == {"platinum": 1, "gold": 2, "silver": 0, "standard": 1}


def test_declared_rates_convert_revenue_to_the_base():
    rules = CurrencyRules(base="USD", rates={"GBP": 1.25, "EUR": 1.1})
    (view,) = _with_currencies({"codehow": "GBP", "bluth-company": "EUR"}, rules).revenue
    assert view.currency == "USD" and view.converted == ("EUR", "GBP")
    assert view.revenue["codehow"] == 2803660 * 1.25 and view.revenue["bluth-company"] == 1138060 * 1.1
    assert view.total == pytest.approx(6829100 + 2034880 + 2803660 * 1.25 + 1138060 * 1.1)
    assert view.tiers.loc["gold", "annual_revenue"] == pytest.approx(2034880 + 2803660 * 1.25)


def test_a_portfolio_in_one_other_currency_is_labelled_with_it():
    everyone = {a: "EUR" for a in ("kan-code", "codehow", "acme-corporation", "bluth-company")}
    (view,) = _with_currencies(everyone).revenue
    assert view.currency == "EUR" and view.total == 6829100 + 2803660 + 2034880 + 1138060


def test_all_zero_revenue_and_a_single_account_need_no_guards():
    assert pareto(pd.Series([0.0, 0.0], dtype=float)) == (0.0, ())
    assert pareto(pd.Series([5.0], dtype=float)) == (1.0, ((0.0, 0.0), (1.0, 1.0)))
    validated = check(Path(BASE), TODAY)
    zero = tuple(replace(a, profile=a.profile.model_copy(update={"financials": a.profile.financials.model_copy(
        update={"annual_revenue": 0.0})})) for a in validated.portfolio.accounts)
    portfolio = Portfolio(validated.portfolio.criteria, validated.portfolio.team, zero)
    (view,) = analyse(portfolio, score_portfolio(portfolio), TODAY).revenue
    assert view.total == 0 and view.pareto_share == 0.0 and (view.tiers["revenue_share"] == 0).all()


def test_a_group_total_is_made_the_way_the_portfolio_total_is():
    rules = CurrencyRules(base="USD", rates={"GBP": 1.25, "EUR": 1.1})
    converted = _with_currencies({"codehow": "GBP", "bluth-company": "EUR"}, rules)
    (view,) = converted.revenue
    assert converted.revenue_totals(view.revenue.index) == (("USD", view.total),)
    (total,) = converted.revenue_totals(["codehow", "bluth-company"])
    assert total == ("USD", pytest.approx(2803660 * 1.25 + 1138060 * 1.1))
    kept = _with_currencies({"codehow": "GBP", "bluth-company": "EUR"})
    assert kept.revenue_totals(["bluth-company", "codehow", "kan-code"]) == (
        ("USD", 6829100.0), ("GBP", 2803660.0), ("EUR", 1138060.0))


def _stale_contacts(analytics) -> set[str]:
    return {item.what.split(",")[0] for item in analytics.attention if item.kind == "contact"}


def test_one_staleness_rule_for_stakeholder_pages_plan_health_and_the_attention_list():
    # Acme Corporation is Gold (reviewed every 120 days). Richard Castellano, of high influence, was last
    # contacted on 2026-09-08: on 2026-12-15 that is 98 days, stale after the default 90 days, though
    # inside Gold's cadence, which the attention list used to read instead.
    later = dt.date(2026, 12, 15)
    validated = check(Path(BASE), later)
    analytics = analyse(validated.portfolio, validated.scores, later)
    acme = validated.portfolio.accounts_by_id["acme-corporation"]
    assert analytics.contact_stale(acme.stakeholder("richard-castellano"))
    assert "Richard Castellano" in _stale_contacts(analytics)
    recency = analytics.health["acme-corporation"].parts[4]
    assert recency.detail.endswith("contacted in the last 90 days")


def test_the_staleness_rule_is_read_from_criteria_yml(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    with (repo / "criteria.yml").open("a", encoding="utf-8") as criteria:
        criteria.write("contacts: {stale_after_days: 60}\n")
    validated = check(repo, TODAY)  # Richard Castellano: 77 days since his last contact
    assert validated.ok and validated.portfolio.criteria.contacts.stale_after_days == 60
    analytics = analyse(validated.portfolio, validated.scores, TODAY)
    assert analytics.contact_stale(validated.portfolio.accounts_by_id["acme-corporation"].stakeholder("richard-castellano"))
    assert "Richard Castellano" in _stale_contacts(analytics)
    assert analytics.health["acme-corporation"].parts[4].detail.endswith("in the last 60 days")
    base = check(Path(BASE), TODAY)
    assert "Richard Castellano" not in _stale_contacts(analyse(base.portfolio, base.scores, TODAY))  # 90 days


@pytest.mark.parametrize(("total", "grade"), [(100, "good"), (80, "good"), (79, "fair"), (50, "fair"), (49, "poor"),
                                              (0, "poor")])
def test_plan_health_grades_at_80_and_50(total, grade):
    from account_playbooks.analysis.analytics import Health

    assert Health(total, ()).grade == grade



def test_plan_health_explains_what_is_missing_and_where_it_is_fixed():
    from account_playbooks.analysis.analytics import Health, HealthPart

    health = Health(70, (HealthPart("Plan sections", 1.0, "4 of 4 required sections written"),
                         HealthPart("Goals", 0.5, "2 of 3 horizons covered, 1 of 2 open goals on time"),
                         HealthPart("Contact recency", 0.5, "1 of 2 stakeholders contacted in the last 90 days")), "acme")
    assert health.explanation == ("Plan health 70: Goals, 2 of 3 horizons covered, 1 of 2 open goals on time; "
                                  "Contact recency, 1 of 2 stakeholders contacted in the last 90 days")
    assert health.where == "goals"
    assert Health(100, (HealthPart("Plan sections", 1.0, "all"),), "acme").explanation.endswith("every part complete")
