"""How figures read on the site."""

from __future__ import annotations

from account_playbooks.core.formats import label, money, num, pct, score


def test_money_is_short_and_keeps_its_currency():
    assert [money(v, "USD") for v in (950, 1234567, 2.5e9, 1e15)] == \
        ["USD 950", "USD 1.2M", "USD 2.5B", "USD 1000.0T"]
    assert money(None) == "—" and money(1200) == "1.2k"


def test_scores_percentages_and_numbers():
    assert (score(7.0), pct(0.256), pct(0.256, 1), num(8.0), num(8.5), label("at_risk")) == \
        ("7.00", "26%", "25.6%", "8", "8.5", "at risk")
