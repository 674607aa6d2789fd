"""The attention model: one rule per kind, one order, and every page reads the same items."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from account_playbooks.analysis.attention import URGENCIES, counts
from account_playbooks.scoring.check import check
from account_playbooks.site.build import generate

from .corpus import BASE
from .sitebuild import build, site_repo

TODAY = dt.date(2026, 11, 24)
EXEC_REVIEW = "accounts/kan-code/reviews/2026-11-12-executive-review.md"
CLOSED = "  - {title: '  share the GTK 500 BENCHMARK plan with the developer productivity team', owner: ines-halvorsen, " \
         "due: 2026-03-20, status: done}\n"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    return repo


def test_an_action_is_open_until_a_later_review_closes_it(tmp_path):
    """Agreed in February, carried forward and closed in November (the same title, whatever its
    case and spacing): no longer open, no longer late, its February row says where it closed."""
    repo = _repo(tmp_path)
    february = repo / "accounts/kan-code/reviews/2026-02-18-q4-qbr.md"
    text = february.read_text(encoding="utf-8")
    opened = re.sub(r"(Share the GTK 500 benchmark plan[^}]*?), status: done\}", r"\1}", text)
    assert opened != text
    february.write_text(opened, encoding="utf-8")  # as agreed in February, before anyone closed it
    account = check(repo, TODAY).portfolio.accounts_by_id["kan-code"]
    title = "Share the GTK 500 benchmark plan with the developer productivity team"
    assert [a.action.title for a in account.open_actions if a.past_due(TODAY)][0] == title
    path = repo / EXEC_REVIEW
    path.write_text(path.read_text(encoding="utf-8").replace("actions:\n", "actions:\n" + CLOSED, 1), encoding="utf-8")
    account = check(repo, TODAY).portfolio.accounts_by_id["kan-code"]
    tracked = next(a for a in account.actions if a.action.title.strip().lower() == title.lower())
    assert not tracked.is_open and tracked.agreed.slug == "2026-02-18-q4-qbr"
    assert tracked.closed_in is not None and tracked.closed_in.slug == "2026-11-12-executive-review"
    assert title not in [a.action.title for a in account.open_actions]
    february = account.reviews[0]
    assert account.action_in(february, 0) is tracked


def test_the_list_is_in_one_urgency_order(tmp_path):
    items = generate(_repo(tmp_path), dt.date(2027, 3, 1)).site.analytics.attention  # when much has fallen due
    ranks = [URGENCIES.index(i.urgency) for i in items]
    assert ranks == sorted(ranks) and {i.urgency for i in items} >= {"late", "watch"}
    late = [i.days_late for i in items if i.urgency == "late"]
    assert late == sorted(late, reverse=True) and all(d > 0 for d in late)


def test_a_watched_account_leads_with_what_would_demote_it():
    """Newex (Silver, 5.25, floor 5.0): weights 35/25/20/20 give each point of a criterion .35, .25,
    .2 and .2; only a 1-point drop in Revenue potential (.35 > .25) takes it under the floor."""
    from .sitebuild import PROJECT

    entry = check(PROJECT, dt.date(2026, 12, 6)).scores.by_account["newex"]
    assert entry.demotion_in_words == ("0.25 points above the Silver floor: a 1-point drop in Revenue potential "
                                       "would demote it")


def test_relationship_risks_and_stale_deciders_reach_the_list():
    """Newex's economic buyer is a detractor, last contacted 2026-09-03: more than 90 days on
    2026-12-06, on an account on the demotion watch."""
    from .sitebuild import PROJECT

    items = generate(PROJECT, dt.date(2026, 12, 6)).site.analytics.attention
    newex = {(i.kind, i.what) for i in items if i.account_id == "newex"}
    assert ("contact", "Jens Richter, Chief Financial Officer: last contact 2026-09-03") in newex
    assert ("relationship", "Jens Richter, Chief Financial Officer, is a detractor economic buyer") in newex


def test_plan_health_does_not_count_a_goal_at_risk_as_on_time():
    from .sitebuild import PROJECT

    site = generate(PROJECT, dt.date(2026, 12, 6)).site
    goals = next(p for p in site.analytics.health["newex"].parts if p.name == "Goals")
    at_risk = [g for g in site.portfolio.accounts_by_id["newex"].goals if g.status == "at_risk"]
    open_goals = [g for g in site.portfolio.accounts_by_id["newex"].goals if g.is_open]
    assert at_risk and goals.detail.endswith(f"{len(open_goals) - len(at_risk)} of {len(open_goals)} open goals on time")


def _renewals(repo: Path, today: dt.date) -> list:
    from account_playbooks.analysis.attention import attention

    checked = check(repo, today)
    assert checked.scores is not None
    return [i for i in attention(checked.portfolio, checked.scores, today) if i.kind == "renewal"]


def test_a_renewal_without_an_executive_review_is_due_within_the_cadence_then_late(tmp_path):
    """Acme (Gold, every 120 days) renews on 2027-06-15 after a 12-month term and has held only QBRs."""
    repo = _repo(tmp_path)
    assert _renewals(repo, dt.date(2027, 2, 14)) == []  # 121 days ahead: beyond the cadence
    (due,) = _renewals(repo, dt.date(2027, 2, 15))
    assert (due.urgency, due.due, due.owner, due.about) == ("due", dt.date(2027, 6, 15), "daniell-hammack",
                                                            ("account", "acme-corporation"))
    assert due.what == "contract renews in 120 days: no executive review since 2026-06-15"
    (late,) = _renewals(repo, dt.date(2027, 6, 20))
    assert (late.urgency, late.days_late) == ("late", 5) and late.what.startswith("contract renewal date passed")
    (repo / "accounts/acme-corporation/reviews/2026-11-20-executive-review.md").write_text(
        "---\ndate: 2026-11-20\ntype: executive\n---\n# Executive review\n\nHeld.\n", encoding="utf-8")
    assert _renewals(repo, dt.date(2027, 3, 1)) == []  # held in the current term: prepared


def _count_buttons(html: str) -> dict[str, int]:
    return {kind: int(n.replace(",", "")) for kind, n in
            re.findall(r'data-kind="([a-z_]+)" aria-pressed="false">([\d,]+) ', html)}


def _rows(html: str) -> list[tuple[str, str]]:
    """(kind, who acts) of each attention row, hidden ones included."""
    return re.findall(r'<tr(?: class="kam-extra" hidden)? data-kind="([a-z_]+)" data-who="([^"]*)"', html)


def _generated(target: Path) -> Path:
    from benchmarks.synth import write_portfolio

    return write_portfolio(target, 40)


@pytest.mark.slow
@pytest.mark.parametrize("portfolio", ["example", "generated"])
def test_home_attention_page_person_pages_and_reviews_pages_report_the_same_items(tmp_path, portfolio):
    later = dt.date(2027, 3, 1)  # when actions, goals and reviews have fallen due: every kind is there
    source = BASE if portfolio == "example" else _generated(tmp_path / "generated")
    repo = site_repo(source, tmp_path / "repo")
    assert build(repo, later.isoformat()).exit_code == 0
    site = repo / "site"
    items = generate(repo, later).site.analytics.attention
    expected = {c.kind: c.n for c in counts(items)}
    home = (site / "index.html").read_text(encoding="utf-8")
    full = (site / "attention" / "index.html").read_text(encoding="utf-8")
    assert _count_buttons(home) == expected == _count_buttons(full)
    assert len(_rows(full)) == len(items)
    late_actions = sum(1 for i in items if i.kind == "action" and i.late)
    assert late_actions > 0
    assert sum(1 for kind, _ in _rows(full) if kind == "action") == sum(1 for i in items if i.kind == "action")
    people = {}
    for page in (site / "people").glob("*/index.html"):
        people[page.parent.name] = len(_rows(page.read_text(encoding="utf-8")))
    assert sum(people.values()) == len(items)  # every item is on the page of who acts, once
    badges = sum(len(re.findall(r'kam-flag-late">\d+ days late|kam-flag-late">late', p.read_text(encoding="utf-8")))
                 for p in site.glob("accounts/*/reviews/index.html"))
    assert badges == late_actions  # a reviews page marks late exactly the open actions that are late
    from account_playbooks.history.digest import digest

    told = digest(repo, later)  # outside git: no week before, so every item is new, per person who acts
    assert told.open_items == len(items)
    assert {p.person: p.open_items for p in told.people if p.open_items} == \
        {person: n for person, n in people.items() if n}  # the digest tells each person what their page shows
    warned = check(repo, later).diagnostics  # kam validate's dated warning: one per renewal item
    renewals = sorted(i.account_id for i in items if i.kind == "renewal")
    assert renewals and sorted(d.path.split("/")[1] for d in warned if d.code == "W312") == renewals
    assert sum(1 for kind, _ in _rows(full) if kind == "renewal") == len(renewals)


def test_the_counts_line_says_late_and_due_apart():
    from account_playbooks.analysis.attention import Count

    assert Count("action", 2, 2).words == "2 late actions"
    assert Count("action", 1, 0).words == "1 action due soon"
    assert Count("action", 3, 1).words == "3 actions due soon (1 late)"
    assert Count("at_risk", 1).words == "1 account at risk" and Count("contact", 3).words == "3 stale contacts"
