"""The footprint and its white space: peers by industry or tier within one currency, products
ranked by the median that the peers who bought them spend (known numbers worked out by hand)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from account_playbooks.analysis.footprint import footprint, peer_pairs, product_order, white_space
from account_playbooks.core.model import Account, AccountProfile, CrmRecord, Financials, ProductBought
from account_playbooks.scoring.placement import CANDIDATE

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
    # P3: c alone (1000). P2: b 300, c 100, f 2000 -> median 300, where f's one large purchase
    # would make the mean 800. P1 a has; P4 is in EUR.
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


def _accounts() -> list[Account]:
    """ACCOUNTS and BOUGHT as account files would hold them."""
    found = []
    for account_id, industry, _, currency in ACCOUNTS.itertuples(index=False):
        mine = BOUGHT[BOUGHT["account"] == account_id]
        crm = CrmRecord(source="crm", as_of=dt.date(2026, 10, 31), imported_on=dt.date(2026, 11, 2),
                        fingerprint="sha256:0123456789abcdef",
                        products=tuple(ProductBought(name=p, family=f"{p} family", won=w, deals=1)
                                       for p, w in zip(mine["product"], mine["won"])))
        profile = AccountProfile(name=account_id.upper(), industry=industry, region="R", owner="kam",
                                 customer_since=dt.date(2020, 1, 1), scores={}, crm=crm,
                                 financials=Financials(currency=currency, annual_revenue=1.0, revenue_potential=1.0))
        found.append(Account(account_id, f"accounts/{account_id}", profile))
    return found


def test_the_footprint_of_account_files_matches_the_frames_worked_by_hand():
    tiers = {a: t if isinstance(t, str) else CANDIDATE for a, t in zip(ACCOUNTS["account"], ACCOUNTS["tier"])}
    found = footprint(_accounts(), tiers)
    assert [(o.product, o.peer_spend, o.buying, o.peers, o.family) for o in found.by_account["a"]] == [
        ("P3", 1000.0, 1, 3, "P3 family"), ("P2", 300.0, 3, 3, "P2 family")]
    assert [(o.account_id, o.product) for o in found.white_space][:3] == [("a", "P3"), ("a", "P2"), ("d", "P2")]
    assert found.won("b", "P2") == 300.0 and found.won("a", "P2") is None and found.gap("a", "P2").peer_spend == 300.0
    assert found.gap("a", "P1") is None  # bought, not white space
    assert found.products == ("P4", "P2", "P3", "P1") and found.one_currency is None  # e is in EUR
    assert found.ranked() == ["a", "d", "c", "f", "b", "e"]  # the largest opportunity first; e has none
