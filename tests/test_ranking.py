"""The ranking behind `kam score`: options parsed and checked, filters, sorting, what-if."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from account_playbooks.analysis.analytics import analyse
from account_playbooks.analysis.ranking import OptionProblem, as_csv, as_json, parse_weights, ranking, tier_id
from account_playbooks.scoring.check import check

from .corpus import BASE

TODAY = dt.date(2026, 11, 24)
validated = check(BASE, TODAY)
scores = validated.scores
analytics = analyse(validated.portfolio, scores, TODAY)
criteria = scores.criteria


def test_weights_are_parsed_and_checked():
    assert parse_weights("revenue_potential=40, strategic_fit=0", criteria) == {"revenue_potential": 40.0,
                                                                               "strategic_fit": 0.0}
    assert parse_weights("", criteria) == {}
    for text, words in [("revenue_potential", "expected criterion=number"), ("revenue_potential=x", "expected"),
                        ("revenue_potential=nan", "from 0 to 1000"), ("revenue_potential=-1", "from 0 to 1000"),
                        ("revenu=3", "unknown criteria: revenu"),
                        ("revenue_potential=0,strategic_fit=0,relationship_strength=0,growth_outlook=0",
                         "positive weight")]:
        with pytest.raises(OptionProblem, match=words) as raised:
            parse_weights(text, criteria)
        assert raised.value.option == "--weights"


def test_tiers_are_named_by_id_or_name_in_any_case():
    assert [tier_id(v, criteria) for v in ("Gold", "gold", " PLATINUM ", "standard")] == \
        ["gold", "gold", "platinum", "standard"]
    with pytest.raises(OptionProblem, match="did you mean 'gold'"):
        tier_id("Gld", criteria)


def test_ranking_filters_sorts_and_adds_health():
    ranked = ranking(scores, analytics, tier="gold", sort="account")
    assert list(ranked.table.index) == ["acme-corporation", "codehow"]
    assert ranked.table.loc["codehow", "health"] == analytics.health["codehow"].total
    by_score = ranking(scores, analytics).table
    assert list(by_score["score"]) == sorted(by_score["score"], reverse=True)
    with pytest.raises(OptionProblem, match="no column 'bogus'"):
        ranking(scores, analytics, sort="bogus")


def test_what_if_counts_the_accounts_that_change_tier():
    ranked = ranking(scores, analytics, weights={"revenue_potential": 100})
    # By hand, weights 100/25/20/20 (sum 165) instead of 35/25/20/20:
    #   kan-code      10,10,8,8: 9.20 -> 1570/165 = 9.52  platinum, unchanged
    #   codehow        9,8,7,6:  7.75 -> 1360/165 = 8.24  gold -> platinum
    #   acme-corporation 8,7,7,6: 7.15 -> 1235/165 = 7.48 gold, unchanged
    #   bluth-company  7,4,3,4:  4.85 ->  940/165 = 5.70  standard -> silver
    assert ranked.what_if and ranked.changed == 2
    assert ranked.table["new_tier"].to_dict() == {"kan-code": "platinum", "codehow": "platinum",
                                                  "acme-corporation": "gold", "bluth-company": "silver"}
    rows = json.loads(as_json(ranked.table))
    assert {"account", "tier", "new_tier", "score", "new_score"} <= set(rows[0])


def test_the_csv_quotes_text_a_spreadsheet_would_run_and_keeps_negative_figures_numbers():
    """Every text cell of `kam score --csv` goes through the CSV rule (csvfile); a negative score
    (a -10..10 scale) is a figure and stays one, while text starting with '-' is quoted."""
    table = ranking(scores, analytics).table.head(2).copy()
    table["score"] = [-1.5, 2.0]
    table["closing_move"] = ["-1+cmd|' /C calc'!A0", "raise revenue_potential from 9 to 10"]
    lines = as_csv(table).splitlines()
    first = lines[1].split(",")
    assert first[:2] == ["kan-code", "-1.50"]
    assert "'-1+cmd|' /C calc'!A0" in lines[1] and "raise revenue_potential from 9 to 10" in lines[2]
