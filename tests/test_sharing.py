"""The customer's joint plan as a projection: only what the files mark as shared, in records of its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import shutil
from pathlib import Path

from account_playbooks.analysis.sharing import SharedPlan, review_summary, shared_plan
from account_playbooks.scoring.check import check

LEAK = Path(__file__).parent / "fixtures" / "leak"
TODAY = dt.date(2026, 11, 24)


@functools.cache
def _checked(repo: Path):
    return check(repo, TODAY)


def _plan(repo: Path = LEAK, account: str = "open-leak") -> SharedPlan:
    validated = _checked(repo)
    assert validated.ok, validated.diagnostics
    portfolio = validated.portfolio
    return shared_plan(portfolio.accounts_by_id[account], portfolio.team_by_id, TODAY)


def _values(value) -> list:
    """Every value inside a record, recursively: what a template could reach."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [value] + [v for f in dataclasses.fields(value) for v in _values(getattr(value, f.name))]
    if isinstance(value, (tuple, list)):
        return [v for item in value for v in _values(item)]
    if isinstance(value, dict):
        return [v for pair in value.items() for item in pair for v in _values(item)]
    return [value]


def test_only_what_is_marked_shared_is_in_the_plan():
    plan = _plan()
    assert [g.title for g in plan.goals] == ["SharedGoalTitleLeak"]
    assert plan.goals[0].their_sponsor == "TheirNameLeak" and plan.goals[0].measure.metric == "MetricLeak"
    assert [(a.title, a.our_owner, a.their_owner, a.goal) for a in plan.actions] == [
        ("SharedActionLeak", "OurNameLeak", "TheirNameLeak", "SharedGoalTitleLeak"),
        ("SharedActionTwoLeak", "ColleagueNameLeak", None, None)]  # its goal is not shared: not named
    assert [(r.type, r.summary) for r in plan.reviews] == [
        ("qbr", "SummaryLeak, agreed with [[open-leak#their-owner-leak]].")]
    assert [s.title for s in plan.sections] == ["Working Together"]
    assert [(p.name, p.title) for p in plan.their_people] == [("TheirNameLeak", "TheirTitleLeak")]
    assert [(p.name, p.role) for p in plan.our_team] == [("OurNameLeak", "Account manager"),
                                                        ("ColleagueNameLeak", "AccountRoleLeak")]
    assert plan.names == {"open-leak#their-owner-leak": "TheirNameLeak", "@ours-leak": "OurNameLeak",
                          "open-leak": "OpenNameLeak"}


def test_nothing_internal_is_anywhere_in_the_record():
    """Structural: no model record (an Account, a Stakeholder, a Goal...) and no internal value hides inside."""
    from pydantic import BaseModel

    values = _values(_plan())
    assert not [v for v in values if isinstance(v, BaseModel)]
    text = " ".join(str(v) for v in values)
    for marker in ("WhyLeak", "NotesLeak", "HiddenPerson", "Unshared", "ReviewNotesLeak", "InternalReview", "Tier",
                   "987654321", "detractor", "champion", "high", "OtherNameLeak", "Secret"):
        assert marker not in text, marker


def test_a_summary_is_the_summary_section_only():
    plan = _plan()
    review = next(r for r in _checked(LEAK).portfolio.accounts_by_id["open-leak"].reviews if r.meta.shared)
    assert review_summary(review) == plan.reviews[0].summary
    assert "ReviewNotesLeak" not in plan.reviews[0].summary


def test_an_action_taken_back_and_a_review_unshared_stay_internal(tmp_path):
    repo = shutil.copytree(LEAK, tmp_path / "repo")
    later = repo / "accounts/open-leak/reviews/2026-11-01-qbr.md"
    later.write_text("---\ndate: 2026-11-01\ntype: qbr\nshared: true\nactions:\n  - {title: sharedactionleak, "
                     "owner: ours-leak, due: 2026-12-15}\n---\n# Later\n\nNo summary here.\n", encoding="utf-8")
    plan = _plan(repo)
    assert [a.title for a in plan.actions] == ["SharedActionTwoLeak"]  # the latest mention is not shared
    assert len(plan.reviews) == 1  # a shared review without a summary shares nothing (W603 says so)


def test_a_plan_with_nothing_shared_says_so():
    plan = _plan(account="secret-leak")
    assert plan.is_empty and plan.their_people == () and [p.name for p in plan.our_team] == ["OurNameLeak"]
