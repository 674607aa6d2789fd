"""The footprint: what each account has bought (its crm record's products, from `kam import crm`)
and its white space, the products it has not bought that accounts like it have.

An account's peers are the other accounts of the same industry or the same tier (a candidate's
proposed tier is no decision: it has industry peers only) whose figures are in the same currency:
spend in different currencies is never compared. The value of a white-space product is the median
won value among the peers that bought it: one very large buyer moves a mean, not a median. The
largest opportunities are those with the largest peer median.

Pure functions over pandas frames; `footprint` assembles them for the site.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..core.model import Account
from ..scoring.placement import CANDIDATE

STATISTIC = "median"  # of the won value among the peers that bought a product: the pages say so
PEER_BASES = ("industry", "tier")


@dataclass(frozen=True)
class Opportunity:
    """A product an account has not bought that some of its peers have."""
    account_id: str
    product: str
    family: str | None
    peer_spend: float  # the median won value among the peers that bought it
    buying: int  # peers that bought it
    peers: int  # the account's peers
    currency: str


@dataclass(frozen=True)
class Footprint:
    products: tuple[str, ...]  # every product bought, the largest total won value first
    families: dict[str, str]  # product -> family, where the export has one
    matrix: pd.DataFrame  # account id x product: won value (NaN: not bought); accounts as `accounts` lists them
    white_space: tuple[Opportunity, ...]  # the largest peer spend first
    by_account: dict[str, tuple[Opportunity, ...]] = field(default_factory=dict)
    currency: dict[str, str] = field(default_factory=dict)  # account id -> the currency of its figures

    @property
    def one_currency(self) -> str | None:
        """The currency of every account's figures, or None when they differ."""
        found = set(self.currency.values())
        return found.pop() if len(found) == 1 else None

    def won(self, account_id: str, product: str) -> float | None:
        """What the account won on the product, None when it has not bought it."""
        value = self.matrix.at[account_id, product] if account_id in self.matrix.index else float("nan")
        return None if pd.isna(value) else float(value)

    def gap(self, account_id: str, product: str) -> Opportunity | None:
        return next((o for o in self.by_account.get(account_id, ()) if o.product == product), None)

    def ranked(self) -> list[str]:
        """Accounts with products or white space: the largest opportunity first, then the largest
        total won value (accounts with white space before those without)."""
        totals = self.matrix.sum(axis=1).to_dict()
        bought = self.matrix.notna().any(axis=1).to_dict()
        top = {a: o[0].peer_spend for a, o in self.by_account.items()}
        listed = [a for a in self.matrix.index if a in top or bought[a]]
        return sorted(listed, key=lambda a: (-top.get(a, -1.0), -totals[a], a))


_BOUGHT = ["account", "product", "family", "won", "deals"]


def bought_table(accounts: Iterable[Account]) -> pd.DataFrame:
    """One row per account and product bought, from the accounts' crm records."""
    rows = [(a.id, p.name, p.family, p.won, p.deals) for a in accounts if a.profile.crm
            for p in a.profile.crm.products]
    return pd.DataFrame(rows, columns=_BOUGHT).astype({"won": float, "deals": int})


def peer_pairs(accounts: pd.DataFrame) -> pd.DataFrame:
    """(account, peer) for every two different accounts of one currency sharing an industry or a
    tier; `accounts` has columns account, industry, tier (None: no tier peers) and currency."""
    found = []
    for basis in PEER_BASES:
        side = accounts.dropna(subset=[basis])[["account", basis, "currency"]]
        pairs = side.merge(side, on=[basis, "currency"], suffixes=("", "_peer"))
        found.append(pairs[["account", "account_peer"]])
    pairs = pd.concat(found, ignore_index=True).drop_duplicates()
    return pairs[pairs["account"] != pairs["account_peer"]].rename(columns={"account_peer": "peer"})


def white_space(bought: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per account, each product it has not bought that a peer has: the peers' median won value
    (`peer_spend`), how many peers bought it (`buying`) and how many peers it has (`peers`).
    Sorted by peer_spend, the largest first (ties: account, then product, A to Z)."""
    columns = ["account", "product", "peer_spend", "buying", "peers"]
    if bought.empty or pairs.empty:
        return pd.DataFrame(columns=columns)
    spend = pairs.merge(bought[["account", "product", "won"]].rename(columns={"account": "peer"}), on="peer")
    owned = pd.MultiIndex.from_frame(bought[["account", "product"]])
    spend = spend[~pd.MultiIndex.from_frame(spend[["account", "product"]]).isin(owned)]
    found = spend.groupby(["account", "product"]).agg(peer_spend=("won", STATISTIC), buying=("peer", "nunique"))
    found = found.reset_index().merge(pairs.groupby("account").size().rename("peers").reset_index(), on="account")
    return found.sort_values(["peer_spend", "account", "product"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)[columns]


def product_order(bought: pd.DataFrame) -> list[str]:
    """Products, the largest total won value first (ties A to Z)."""
    totals = bought.groupby("product")["won"].sum()
    return sorted(totals.index, key=lambda p: (-totals[p], p))


def footprint(accounts: Iterable[Account], tiers: Mapping[str, str]) -> Footprint:
    """The footprint of `accounts`; `tiers` is each account's tier id (scores.by_account)."""
    listed = list(accounts)
    bought = bought_table(listed)
    frame = pd.DataFrame({
        "account": [a.id for a in listed],
        "industry": [a.profile.industry for a in listed],
        "tier": [None if tiers.get(a.id, CANDIDATE) == CANDIDATE else tiers[a.id] for a in listed],
        "currency": [a.profile.financials.currency for a in listed],
    })
    products = product_order(bought)
    matrix = (bought.pivot_table(index="account", columns="product", values="won", aggfunc="sum") if len(bought)
              else pd.DataFrame()).reindex(index=[a.id for a in listed], columns=products)
    families = {p: f for p, f in zip(bought["product"], bought["family"]) if isinstance(f, str)}
    currency = dict(zip(frame["account"], frame["currency"]))
    space = white_space(bought, peer_pairs(frame))
    opportunities = tuple(
        Opportunity(row.account, row.product, families.get(row.product), float(row.peer_spend), int(row.buying),
                    int(row.peers), currency[row.account])
        for row in space.itertuples(index=False))
    by_account: dict[str, list[Opportunity]] = {}
    for opportunity in opportunities:
        by_account.setdefault(opportunity.account_id, []).append(opportunity)
    return Footprint(tuple(products), families, matrix, opportunities,
                     {k: tuple(v) for k, v in by_account.items()}, currency)
