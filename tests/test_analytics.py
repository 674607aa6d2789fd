"""Analytics: plan health parts, Pareto share, follow-ups, on figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd

from generator.analytics import analyse, pareto
from generator.pipeline import check

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
    from generator.prompts import prompt

    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    plan = repo / "accounts" / "bluth-company" / "strategy.md"
    text = plan.read_text()
    start, end = text.index("## Account Goals"), text.index("## Account Strategy")
    plan.write_text(text[:start] + "## Account Goals\n\n" + prompt("Account Goals") + "\n\n" + text[end:])
    validated = check(repo, TODAY)
    health = analyse(validated.portfolio, validated.scores, TODAY).health["bluth-company"]
    assert (health.parts[0].value, health.parts[0].detail) == (0.75, "3 of 4 required sections written")
