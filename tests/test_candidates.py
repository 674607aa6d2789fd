"""Candidates: accounts with proposed scores nobody accepted. They are scored by their proposal
only to show the tier it would reach; they are not key, not standard, and no tier rule judges
them."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from account_playbooks.scoring.check import check
from account_playbooks.scoring.placement import CANDIDATE, STANDARD

from .corpus import BASE

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def repo(tmp_path):
    """The base portfolio with its platinum account, kan-code, turned into a candidate whose
    strategic_fit has no proposal, with no review and no Executive Sponsor Plan."""
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    path = root / "accounts" / "kan-code" / "account.yml"
    text = path.read_text(encoding="utf-8").replace("scores:\n", "scores: {}\nproposed_scores:\n")
    text = "\n".join(line for line in text.split("\n") if not line.startswith("  strategic_fit:"))
    path.write_text(text, encoding="utf-8")
    shutil.rmtree(root / "accounts" / "kan-code" / "reviews")
    (root / "accounts" / "kan-code" / "reviews").mkdir()
    plan = root / "accounts" / "kan-code" / "strategy.md"
    body = plan.read_text(encoding="utf-8")
    plan.write_text(body[:body.index("## Executive Sponsor Plan")], encoding="utf-8")
    return root


def test_a_candidate_is_placed_by_its_proposal_but_holds_no_tier(repo):
    validated = check(repo, TODAY)
    scores = validated.scores
    row = scores.table.loc["kan-code"]
    # 10 x .35 + 1 (no proposal: the scale's lowest) x .25 + 8 x .2 + 8 x .2
    assert row["score"] == pytest.approx(6.95)
    assert row["tier"] == CANDIDATE and row["proposed_tier"] == "gold"  # 6.95: above gold's 6.5, under platinum's 8.0
    assert row["next_tier"] == "" and row["watch"] == "" and row["gap"] != row["gap"]
    entry = scores.by_account["kan-code"]
    assert entry.candidate and entry.tier is None and entry.tier_id == CANDIDATE and entry.proposed_tier_name == "Gold"
    fit = next(c for c in entry.contributions if c.criterion_id == "strategic_fit")
    assert fit.score == 1 and fit.why.startswith("No proposal")
    assert scores.tier_of("kan-code") is None
    others = scores.table.drop(index="kan-code")
    assert (others["proposed_tier"] == "").all() and set(others["tier"]) <= {"gold", "silver", STANDARD, "platinum"}
    assert not scores.ladder.is_key(scores.table["tier"]["kan-code"])
    # Worked by hand with weights .35/.25/.2/.2: acme-corporation 8,7,7,6 -> 7.15 and codehow
    # 9,8,7,6 -> 7.75 are gold, bluth-company 7,4,3,4 -> 4.85 is standard, kan-code a candidate.
    assert scores.key_count == 2


def test_no_tier_rule_judges_a_candidate(repo):
    found = [d for d in check(repo, TODAY).diagnostics if "kan-code" in d.path]
    # As platinum it would need a review (W302) and an Executive Sponsor Plan (E301); as a
    # candidate nothing is asked of it, and its proposals are not missing scores (E303).
    assert found == []


def test_a_portfolio_without_candidates_keeps_its_table():
    table = check(BASE, TODAY).scores.table
    assert "proposed_tier" not in table.columns and CANDIDATE not in set(table["tier"])
