"""The footprint and its white space: peers by industry or tier within one currency, products
ranked by the median that the peers who bought them spend (known numbers worked out by hand)."""

from __future__ import annotations

import pandas as pd

from generator.analysis.footprint import peer_pairs, product_order, white_space

# Six accounts: a's peers are b and f (industry X) and c (tier gold); e shares both but keeps its
# figures in EUR, so it is nobody's peer; d shares nothing with a.
ACCOUNTS = pd.DataFrame([
    ("a", "X", "gold", "USD"),
    ("b", "X", "silver", "USD"),
    ("c", "Y", "gold", "USD"),
    ("d", "Y", "silver", "USD"),
    ("e", "X", "gold", "EUR"),
    ("f", "X", None, "USD"),  # a candidate: industry peers only
], columns=["account", "industry", "tier", "currency"])
BOUGHT = pd.DataFrame([
    ("a", "P1", 100.0), ("b", "P1", 50.0), ("b", "P2", 300.0), ("c", "P2", 100.0), ("c", "P3", 1000.0),
    ("d", "P3", 10.0), ("e", "P4", 5000.0), ("f", "P2", 2000.0),
], columns=["account", "product", "won"])


def _peers(account: str) -> set[str]:
    pairs = peer_pairs(ACCOUNTS)
    return set(pairs[pairs["account"] == account]["peer"])


def test_peers_share_an_industry_or_a_tier_and_a_currency():
    assert _peers("a") == {"b", "c", "f"}
    assert _peers("f") == {"a", "b"}  # no tier: never a tier peer of c
    assert _peers("e") == set()  # the only account in EUR
    assert _peers("d") == {"b", "c"}


def test_white_space_ranks_by_the_median_that_peers_who_bought_it_spend():
    space = white_space(BOUGHT, peer_pairs(ACCOUNTS))
    mine = space[space["account"] == "a"]
    # P3: c alone (1000). P2: b 300, c 100, f 2000 -> median 300 (the mean, 800, would rank it
    # above nothing else here but would triple its value). P1 a has; P4 is in EUR.
    assert mine[["product", "peer_spend", "buying", "peers"]].values.tolist() == [
        ["P3", 1000.0, 1, 3], ["P2", 300.0, 3, 3]]
    assert space["peer_spend"].tolist() == sorted(space["peer_spend"], reverse=True)
    assert not ((space["account"] == "e").any())  # no peers, no white space
    everyone = {(r.account, r.product) for r in space.itertuples()}
    assert ("b", "P1") not in everyone and ("f", "P2") not in everyone  # nobody is offered what they have


def test_the_largest_opportunities_across_the_portfolio_come_first():
    space = white_space(BOUGHT, peer_pairs(ACCOUNTS))
    # b's peers a, d, f: only d's P3 (10) is new to b. c's peers a, d: a's P1 (100). d's peers b, c:
    # P2 from b (300) and c (100) -> 200, P1 from b (50). f's peers a, b: P1 (100, 50) -> 75.
    assert [(r.account, r.product, r.peer_spend) for r in space.itertuples()] == [
        ("a", "P3", 1000.0), ("a", "P2", 300.0), ("d", "P2", 200.0), ("c", "P1", 100.0), ("f", "P1", 75.0),
        ("d", "P1", 50.0), ("b", "P3", 10.0)]


def test_nothing_bought_means_no_white_space():
    empty = BOUGHT.iloc[0:0]
    assert white_space(empty, peer_pairs(ACCOUNTS)).empty
    assert product_order(BOUGHT) == ["P4", "P2", "P3", "P1"]  # total won: 5000, 2400, 1010, 150
