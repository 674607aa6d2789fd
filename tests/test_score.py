"""The score stage on a portfolio worked out by hand, and its properties under hypothesis."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from account_playbooks.core.model import (
    Account,
    AccountProfile,
    CriteriaConfig,
    Criterion,
    CriterionScore,
    Financials,
    Portfolio,
    Tier,
    Watch,
)
from account_playbooks.scoring.placement import place, placements, tier_reached, weighted_score
from account_playbooks.scoring.score import score_portfolio, what_if

CRITERIA = CriteriaConfig(
    criteria=(Criterion(id="revenue", name="Revenue", weight=50), Criterion(id="fit", name="Fit", weight=30),
              Criterion(id="access", name="Access", weight=20)),
    tiers=(Tier(id="platinum", name="Platinum", min_score=8.0, review_every_days=90),
           Tier(id="gold", name="Gold", min_score=6.5, review_every_days=120),
           Tier(id="silver", name="Silver", min_score=5.0, review_every_days=180)),
    watch=Watch(promotion_margin=0.5, demotion_margin=0.3),
)


def account(account_id: str, revenue: float, fit: float, access: float, annual: float = 1.0) -> Account:
    scores = {"revenue": revenue, "fit": fit, "access": access}
    profile = AccountProfile(
        name=account_id.title(), industry="x", region="x", customer_since=dt.date(2020, 1, 1), owner="kam",
        financials=Financials(annual_revenue=annual, revenue_potential=annual),
        scores={k: CriterionScore(score=v, why="because") for k, v in scores.items()})
    return Account(account_id, f"accounts/{account_id}", profile)


def portfolio(*accounts: Account, criteria: CriteriaConfig = CRITERIA) -> Portfolio:
    return Portfolio(criteria, (), accounts)


# Worked by hand, weights 0.5 / 0.3 / 0.2:
#   alpha  9, 8, 7  -> 4.5 + 2.4 + 1.4 = 8.30  platinum, 0.30 above its floor: not at risk
#   bravo  8, 8, 8  -> 8.00                    platinum exactly on the threshold; at risk (< 8.30)
#   charlie 7, 6, 6 -> 3.5 + 1.8 + 1.2 = 6.50  gold exactly; at risk; 1.50 to platinum:
#                      revenue +3 -> 10 gives 8.00 (fit needs +5 -> 11, over the scale): "raise revenue from 7 to 10"
#   delta  5, 5, 4  -> 2.5 + 1.5 + 0.8 = 4.80  standard, 0.20 below silver: promotion candidate;
#                      revenue +1 -> 5.30 reaches silver: "raise revenue from 5 to 6"
#   echo   2, 3, 1  -> 1.0 + 0.9 + 0.2 = 2.10  standard, no watch; 2.90 to silver: revenue +6 -> 8 gives 5.10
#   foxtrot 1, 1, 1 -> 1.00; silver needs 4.00 more: revenue 1->9 gives 5.00 exactly
HAND = portfolio(account("alpha", 9, 8, 7, 500), account("bravo", 8, 8, 8, 300), account("charlie", 7, 6, 6, 100),
                 account("delta", 5, 5, 4, 50), account("echo", 2, 3, 1, 30), account("foxtrot", 1, 1, 1, 20))


def test_hand_computed_scores_tiers_and_watch_lists():
    table = score_portfolio(HAND).table
    assert table["score"].to_dict() == {"alpha": 8.3, "bravo": 8.0, "charlie": 6.5, "delta": 4.8, "echo": 2.1,
                                        "foxtrot": 1.0}
    assert table["tier"].to_dict() == {"alpha": "platinum", "bravo": "platinum", "charlie": "gold",
                                       "delta": "standard", "echo": "standard", "foxtrot": "standard"}
    assert table["watch"].to_dict() == {"alpha": "", "bravo": "at_risk", "charlie": "at_risk", "delta": "promotion",
                                        "echo": "", "foxtrot": ""}
    assert score_portfolio(HAND).key_count == 3  # alpha and bravo platinum, charlie gold; the rest standard


def test_hand_computed_distance_to_next_tier():
    table = score_portfolio(HAND).table
    assert table.loc["charlie", "next_tier"] == "platinum" and table.loc["charlie", "gap"] == 1.5
    assert table.loc["charlie", "closing_move"] == "raise revenue from 7 to 10"
    assert table.loc["delta", "next_tier"] == "silver" and table.loc["delta", "gap"] == 0.2
    assert table.loc["delta", "closing_move"] == "raise revenue from 5 to 6"
    assert table.loc["echo", "closing_move"] == "raise revenue from 2 to 8"
    assert table.loc["foxtrot", "closing_move"] == "raise revenue from 1 to 9"
    assert table.loc["alpha", "next_tier"] == "" and np.isnan(table.loc["alpha", "gap"])


def test_closing_move_unreachable_by_one_criterion():
    table = score_portfolio(portfolio(account("low", 3, 3, 3))).table  # 3.00 + 3.5 max from revenue = 6.5 -> silver ok
    assert table.loc["low", "closing_move"] == "raise revenue from 3 to 7"
    table = score_portfolio(portfolio(account("lower", 1, 1, 2))).table  # 1.2; 3.8 short = 7.6 revenue points
    assert table.loc["lower", "closing_move"] == "raise revenue from 1 to 9"
    far = CriteriaConfig(criteria=CRITERIA.criteria, tiers=(Tier(id="top", name="Top", min_score=9.5,
                                                                  review_every_days=30),))
    table = score_portfolio(portfolio(account("far", 5, 5, 5), criteria=far)).table
    assert table.loc["far", "closing_move"] == "not reachable by one criterion"


def test_contributions_carry_the_reasons():
    entry = score_portfolio(HAND).by_account["alpha"]
    assert [(c.criterion_id, c.points, c.why) for c in entry.contributions] == [
        ("revenue", 4.5, "because"), ("fit", 2.4, "because"), ("access", 1.4, "because")]


def test_what_if_reports_tier_changes():
    changes = what_if(HAND, {"revenue": 0, "fit": 50, "access": 50})
    # bravo 8,8,8 stays 8.00; charlie (6+6)/2 = 6.00 -> silver
    assert changes.loc["bravo", "new_score"] == 8.0 and not changes.loc["bravo", "changed"]
    assert changes.loc["charlie", "new_tier"] == "silver" and changes.loc["charlie", "changed"]


scores_strategy = st.lists(st.integers(min_value=1, max_value=10), min_size=3, max_size=3)


@settings(max_examples=200, deadline=None)
@given(scores_strategy, st.integers(min_value=0, max_value=2), st.integers(min_value=1, max_value=9))
def test_raising_a_score_never_lowers_score_or_tier(values, which, raise_by):
    before = score_portfolio(portfolio(account("a", *values))).table.loc["a"]
    raised = list(values)
    raised[which] = min(10, raised[which] + raise_by)
    after = score_portfolio(portfolio(account("a", *raised))).table.loc["a"]
    assert after["score"] >= before["score"]
    order = ["standard", "silver", "gold", "platinum"]
    assert order.index(after["tier"]) >= order.index(before["tier"])


@settings(max_examples=100, deadline=None)
@given(st.lists(scores_strategy, min_size=1, max_size=8), st.floats(min_value=0.01, max_value=1000))
def test_scaling_all_weights_changes_nothing(rows, factor):
    accounts = [account(f"a{i}", *row) for i, row in enumerate(rows)]
    scaled = CriteriaConfig(criteria=tuple(c.model_copy(update={"weight": c.weight * factor}) for c in CRITERIA.criteria),
                            tiers=CRITERIA.tiers, watch=CRITERIA.watch)
    left = score_portfolio(portfolio(*accounts)).table
    right = score_portfolio(portfolio(*accounts, criteria=scaled)).table
    pd.testing.assert_series_equal(left["score"], right["score"])
    pd.testing.assert_series_equal(left["tier"], right["tier"])


@given(st.lists(st.floats(min_value=1, max_value=10), min_size=2, max_size=50))
def test_tiers_are_monotonic(values):
    scores = pd.Series(sorted(values)).round(2)
    positions = [tier_reached(score, CRITERIA.tiers) for score in scores]  # 0 = platinum ... None = standard
    rank = [99 if p is None else p for p in positions]
    assert all(rank[i] >= rank[i + 1] for i in range(len(rank) - 1))  # higher score, same or better tier


# The floors are platinum 8.0, gold 6.5, silver 5.0: read off by hand, each score is in the highest
# tier whose floor it reaches, and the tier above is the next one (none above platinum, silver
# above standard). The scores sit on and just under each floor.
@pytest.mark.parametrize("score, tier, next_tier", [
    (10.0, "platinum", None), (8.0, "platinum", None), (7.99, "gold", "platinum"), (6.5, "gold", "platinum"),
    (6.49, "silver", "gold"), (5.0, "silver", "gold"), (4.99, None, "silver"), (1.0, None, "silver")])
def test_a_score_is_placed_in_the_highest_tier_whose_floor_it_reaches(score, tier, next_tier):
    placed = place(score, CRITERIA)
    assert (placed.tier.id if placed.tier else None) == tier
    assert (placed.next_tier.id if placed.next_tier else None) == next_tier


def test_a_score_exactly_on_a_threshold_reaches_that_tier():
    # 8*0.35 + 8*0.25 + 8*0.2 + 8*0.2 is 8.000000000000002 added in order; rounding is defined once.
    score = weighted_score([8.0, 8.0, 8.0, 8.0], [.35, .25, .2, .2])
    assert score == 8.0
    assert tier_reached(score, CRITERIA.tiers) == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(scores_strategy, min_size=1, max_size=8))
def test_the_rules_and_the_table_read_the_same_scores_and_tiers(rows):
    """The rules read `placed` (no pandas); the pages read the table: they must never disagree."""
    scores = score_portfolio(portfolio(*[account(f"a{i}", *row) for i, row in enumerate(rows)]))
    table = scores.table
    assert table["score"].to_dict() == {a: p.score for a, p in scores.placed.items()}
    assert table["tier"].to_dict() == {a: p.tier_id for a, p in scores.placed.items()}
    assert {a: e.tier for a, e in scores.by_account.items()} == {a: scores.tier_of(a) for a in scores.placed}
    assert placements(scores.portfolio) == {a: (p.score, p.tier) for a, p in scores.placed.items()}
    assert scores.key_count == int((~table["tier"].isin(["standard", "candidate"])).sum())


def test_the_ladder_answers_every_question_about_the_tiers_by_hand():
    from account_playbooks.scoring.placement import Ladder

    ladder = Ladder.of(CRITERIA)
    assert ladder.order == ("platinum", "gold", "silver", "standard", "candidate")
    assert [ladder.rank(t) for t in ladder.order] == [0, 1, 2, 3, 4]  # a lower rank is a better tier
    assert ladder.lowest.id == "silver"
    assert [ladder.is_key(t) for t in ladder.order] == [True, True, True, False, False]
    assert "bronze" not in ladder and not ladder.is_key("bronze")
    assert [ladder.name(t) for t in ladder.order] == ["Platinum", "Gold", "Silver", "Standard", "Candidate"]
    assert ladder.key_count(["gold", "standard", "candidate", "platinum", "gold"]) == 3
    assert ladder.shown(["gold", "standard"]) == ("platinum", "gold", "silver", "standard")
    assert ladder.shown(["candidate"])[-1] == "candidate"
    scores = score_portfolio(HAND)  # alpha and bravo platinum, charlie gold; delta, echo, foxtrot standard
    assert (scores.key_count, scores.key_share) == (3, 0.5)


def test_the_closing_move_in_words_is_made_once_with_the_criterion_name():
    by_account = score_portfolio(HAND).by_account
    assert by_account["charlie"].move_in_words == "raise Revenue from 7 to 10"
    assert by_account["delta"].move_in_words == "raise Revenue from 5 to 6"
    assert by_account["alpha"].move_in_words == ""  # platinum: nothing above
