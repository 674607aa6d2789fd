"""Who a build is for. `internal` (the team's site) and `customer` (one account's joint plan) are built
in; criteria.yml may declare restricted audiences, such as leadership, that also see the accounts
marked confidential.

An audience's portfolio is cut BEFORE anything is scored for the site, linked, analysed or rendered:
a confidential account that is not in the portfolio cannot reach a page, a total, a chart, the search
index, the sitemap or the attention lists, whichever template or page is added later. The gate
(scoring.check) still validates every account.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..core.errors import ExitCode, KamError
from ..core.model import Account, CriteriaConfig, Portfolio
from ..core.text import suggest

INTERNAL = "internal"
CUSTOMER = "customer"
BUILT_IN = (INTERNAL, CUSTOMER)


@dataclass(frozen=True)
class AudienceView:
    """What a site built for an audience may show of the portfolio."""
    name: str
    sees_confidential: bool = False

    @property
    def is_customer(self) -> bool:
        return self.name == CUSTOMER


def audience_names(criteria: CriteriaConfig | None) -> tuple[str, ...]:
    declared = tuple(criteria.audiences) if criteria is not None else ()
    return BUILT_IN + tuple(n for n in declared if n not in BUILT_IN)


def resolve(name: str, criteria: CriteriaConfig | None) -> AudienceView:
    """The audience `kam build --audience NAME` asks for; an unknown name is a usage error that
    lists the audiences there are."""
    if name in BUILT_IN:
        return AudienceView(name)
    declared = criteria.audiences.get(name) if criteria is not None else None
    if declared is None:
        known = audience_names(criteria)
        raise KamError(f"no audience {name!r}{suggest(name, known)}; criteria.yml's audiences are: "
                       f"{', '.join(known)}", exit_code=ExitCode.USAGE, option="--audience")
    return AudienceView(name, sees_confidential=declared.sees == "confidential")


def hidden_accounts(portfolio: Portfolio, audience: AudienceView) -> frozenset[str]:
    """The ids of the accounts the audience may not see."""
    if audience.sees_confidential:
        return frozenset()
    return frozenset(a.id for a in portfolio.accounts if a.profile.confidential)


def visible_portfolio(portfolio: Portfolio, audience: AudienceView) -> Portfolio:
    """The portfolio without the accounts `audience` may not see (the same object when it sees all)."""
    hidden = hidden_accounts(portfolio, audience)
    if not hidden:
        return portfolio
    return Portfolio(portfolio.criteria, portfolio.team,
                     tuple(_without_parent_in(a, hidden) for a in portfolio.accounts if a.id not in hidden))


def _without_parent_in(account: Account, hidden: frozenset[str]) -> Account:
    """A subsidiary of a hidden account, as if it had no parent: no link, table or map may lead to the parent."""
    if account.profile.parent not in hidden:
        return account
    return replace(account, profile=account.profile.model_copy(update={"parent": None}))
