"""Dates that cannot be: events recorded in the future, review files named for another day."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from .context import RuleContext, name_date
from .declare import rule


@rule("E109")
def future_dates(ctx: RuleContext) -> Iterator[Diagnostic]:
    today = ctx.today
    for account in ctx.accounts:
        path = f"{account.dir}/account.yml"
        if account.profile is not None and account.profile.customer_since > today:
            yield diagnostic(path, ctx.at(path, ("customer_since",)), "E109",
                        f"customer_since {account.profile.customer_since.isoformat()} is after today ({today.isoformat()})")
        path = f"{account.dir}/stakeholders.yml"
        for loc, s in account.located_stakeholders():
            if s.last_contact is not None and s.last_contact > today:
                yield diagnostic(path, ctx.at(path, loc + ("last_contact",)), "E109",
                            f"last_contact {s.last_contact.isoformat()} is after today ({today.isoformat()})")
        if account.plan is not None and account.plan.updated is not None and account.plan.updated > today:
            yield diagnostic(account.plan.path, ctx.at(account.plan.path, ("updated",)), "E109",
                        f"updated {account.plan.updated.isoformat()} is after today ({today.isoformat()})")
        for review in account.reviews:
            if review.meta.date > today:
                yield diagnostic(review.path, ctx.at(review.path, ("date",)), "E109",
                            f"review date {review.meta.date.isoformat()} is after today ({today.isoformat()})")


@rule("E121")
def contract_dates(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        profile = account.profile
        if profile is not None and profile.contract is not None and profile.renews_before_customer_since:
            path = f"{account.dir}/account.yml"
            yield diagnostic(path, ctx.at(path, ("contract", "renewal")), "E121",
                             f"contract renewal {profile.contract.renewal.isoformat()} is before customer_since "
                             f"({profile.customer_since.isoformat()})")


@rule("E013")
def review_file_names(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        for review in account.reviews:
            named = name_date(review)
            if named and named != review.meta.date.isoformat():
                yield diagnostic(review.path, ctx.at(review.path, ("date",)), "E013",
                            f"file name says {named} but the review's date is {review.meta.date.isoformat()}")


RULES = (future_dates, contract_dates, review_file_names)
