"""The QBR brief: its figures computed from the reviews (analysis/brief.py), its two versions and its page
(site/brief.py), `kam brief`, and the PDF of every example account on one A4 page."""

from __future__ import annotations

import datetime as dt
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from account_playbooks.analysis.brief import brief_in
from account_playbooks.cli.commands import main
from account_playbooks.core.errors import ExitCode
from account_playbooks.scoring.check import check
from account_playbooks.site.brief import brief_document, change, figure, render_brief
from account_playbooks.site.build import generate

from .corpus import BASE
from .hostile import TEXT_PAYLOADS, hostile_repo, unsafe_markup
from .sitebuild import PROJECT

TODAY = dt.date(2026, 11, 24)
ACME = "accounts/acme-corporation"
Q1, Q2 = f"{ACME}/reviews/2026-05-12-q1-qbr.md", f"{ACME}/reviews/2026-09-08-q2-qbr.md"


def _edit(repo: Path, path: str, find: str, replace: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert find in text, (path, find)
    file.write_text(text.replace(find, replace, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """The base fixture with measure readings at both 2026 QBRs of Acme, and an action the last one closed."""
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    _edit(repo, Q1, "kpis:", "measures: {procurement-scorecard: 64, group-agreement-signed: 0}\nkpis:")
    _edit(repo, Q2, "kpis:", "measures: {procurement-scorecard: 68}\nkpis:")
    _edit(repo, Q2, "actions:\n", "actions:\n  - {title: Send the draft group purchasing agreement, owner: daniell-hammack, "
                                  "due: 2026-03-13, status: done}\n")
    return repo


def _brief(repo: Path, today: dt.date = TODAY, account: str = "acme-corporation", customer: bool = False):
    validated = check(repo, today)
    assert validated.ok, validated.diagnostics
    return brief_in(validated, account, today, customer=customer)


def test_each_measure_changes_from_its_reading_at_the_last_review_that_read_it(repo):
    objectives = {o.title: o for o in _brief(repo).objectives.shown}
    scorecard = objectives["Reach a green rating on group procurement's supplier scorecard"]
    assert scorecard.readings == ((dt.date(2026, 5, 12), 64), (dt.date(2026, 9, 8), 68))
    assert (scorecard.since, scorecard.now, scorecard.change, scorecard.target) == (dt.date(2026, 9, 8), 71, 3, 80)
    signed = objectives["Sign the group purchasing agreement"]  # not read at the last review: from the one before
    assert (signed.since, signed.change) == (dt.date(2026, 5, 12), 1)
    never = objectives["Bring four subsidiaries' purchasing under the group agreement"]
    assert (never.readings, never.since, never.change) == ((), None, None)
    # Open goals first, by due date; the done one last.
    assert list(objectives)[-1] == "Sign the group purchasing agreement"


def test_kpi_deltas_are_between_consecutive_reviews_that_recorded_the_kpi(repo):
    _edit(repo, Q1, "nps: 21", "nps: null")  # a review without NPS: the next change is against the one before
    trends = {k.name: k for k in _brief(repo).kpis}
    assert [(p.value, p.change) for p in trends["Revenue"].points] == [(1950000, None), (1985000, 35000),
                                                                       (2034880, 49880)]
    assert [(p.value, p.change) for p in trends["Retention %"].points] == [(95, None), (95, 0), (96, 1)]
    assert [(p.date, p.value, p.change) for p in trends["NPS"].points] == [(dt.date(2026, 1, 27), 18, None),
                                                                          (dt.date(2026, 9, 8), 24, 6)]
    assert list(trends) == ["Revenue", "Retention %", "NPS"]


def test_actions_are_those_still_open_and_those_the_last_review_closed(repo):
    actions = _brief(repo, dt.date(2026, 12, 20)).actions.shown
    assert [(a.title, a.status) for a in actions] == [
        ("Send scorecard data to group procurement every month", "late"),  # due 11 Dec
        ("Propose GTX wording for the 2027 group IT policy", "open"),
        ("Prepare the group savings figure for the February board pack", "open"),
        ("Onboard Bluth Company purchasing onto the agreement", "open"),
        ("Send the draft group purchasing agreement", "done"),  # closed (again) at the last review
    ]
    assert actions[-1].agreed == dt.date(2026, 1, 27)  # where it was first agreed
    assert "Map purchasing contacts at Bluth Company and Donquadtech" not in [a.title for a in actions]  # closed earlier


def test_next_review_by_the_tier_cadence_with_the_last_reviews_attendees(repo):
    brief = _brief(repo)
    assert (brief.next_review, brief.cadence_days, brief.overdue) == (dt.date(2027, 1, 6), 120, False)
    assert [(a.name, a.ours) for a in brief.attendees] == [
        ("Richard Castellano", False), ("Margaret Oyelaran", False), ("Ben Whitaker", False), ("Laura Finch", False),
        ("Daniell Hammack", True), ("Rocco Neubert", True)]
    assert _brief(repo, dt.date(2027, 1, 7)).overdue


def test_asks_come_from_the_plan_with_who_is_asked(repo):
    _edit(repo, f"{ACME}/strategy.md", "---\n# ", "asks:\n  - {ask: Name a sponsor for the onboarding, of: "
                                                   "margaret-oyelaran, goal: subsidiary-onboarding}\n---\n# ")
    asks = _brief(repo).asks.shown
    assert [(a.ask, a.of, a.goal) for a in asks] == [
        ("Name a sponsor for the onboarding", "Margaret Oyelaran, Group Chief Information Officer",
         "Bring four subsidiaries' purchasing under the group agreement")]


def test_lists_are_cut_to_what_one_page_holds(repo):
    extra = "".join(f"  - {{title: Extra action {n}, owner: cassey-cress, due: 2027-03-{n + 1:02d}}}\n" for n in range(9))
    _edit(repo, Q2, "actions:\n", "actions:\n" + extra)
    brief = _brief(repo)
    assert (len(brief.actions.shown), brief.actions.more) == (8, 6)
    assert "and 6 more on the reviews page" in render_brief(brief)


def test_figures_and_changes_are_written_with_their_sign():
    assert [change(49880, True), change(-1.5), change(0), change(None), change(1234567)] == [
        "+49.9k", "−1.5", "±0", "—", "+1,234,567"]
    assert [figure(2034880, True), figure(1985000, True), figure(3899140, True), figure(189000, True), figure(35, True),
            figure(999999, True), figure(71), figure(None)] == ["2.03M", "1.98M", "3.90M", "189k", "35", "1.00M", "71", "—"]


def test_the_internal_page_shows_the_change_the_kpis_and_the_internal_part(repo):
    brief = _brief(repo)
    page = str(render_brief(brief))
    assert "+3" in page and "+49.9k" in page  # the scorecard's change; revenue against the review before
    assert all(text in page for text in ["Stakeholder map", "Diego Ramos", "detractor", "plan health",
                                         f"{brief.internal.score:.2f}", f"Tier <strong>{brief.internal.tier}"])


def test_the_customer_version_holds_what_is_marked_shared_and_nothing_else(repo):
    nothing = _brief(repo, customer=True)
    assert nothing.internal is None and nothing.kpis == () and nothing.cadence_days is None
    assert (nothing.objectives.shown, nothing.actions.shown, nothing.asks.shown, nothing.attendees) == ((), (), (), ())
    assert nothing.last_review is None  # the last review is not shared: not even its date
    assert "Business review agenda" in str(render_brief(nothing))
    _edit(repo, f"{ACME}/goals.yml", "  sponsor: laura-finch\n", "  sponsor: laura-finch\n  shared: true\n")
    _edit(repo, Q2, "goal: procurement-scorecard}", "goal: procurement-scorecard, shared: true}")
    _edit(repo, Q2, "type: qbr\n", "type: qbr\nshared: true\n")
    _edit(repo, f"{ACME}/strategy.md", "---\n# ", "asks:\n  - {ask: Monthly scorecard calls, of: laura-finch, shared: true}\n"
                                                   "  - {ask: Keep Finch out of the renewal, of: laura-finch}\n---\n# ")
    _edit(repo, Q2, "# Q2 2026 business review\n", "# Q2 2026 business review\n\n## Summary\n\nAgreed.\n")
    shared = _brief(repo, customer=True)
    assert [o.title for o in shared.objectives.shown] == [
        "Reach a green rating on group procurement's supplier scorecard"]
    assert shared.objectives.shown[0].change == 3  # its change since the last review, as on our version
    assert [a.title for a in shared.actions.shown] == ["Send scorecard data to group procurement every month"]
    assert [a.ask for a in shared.asks.shown] == ["Monthly scorecard calls"]
    assert shared.last_review is not None and shared.last_review[0] == dt.date(2026, 9, 8)
    page = str(render_brief(shared))
    internal_only = ["Stakeholder map", "Diego Ramos", "detractor", "supporter", "advocate", "plan health", "Tier",
                     "Keep Finch out", "Propose GTX wording", "Bring four subsidiaries", "+49.9k", "(every "]
    assert [text for text in internal_only if text in page] == []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text_of(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def test_hostile_text_is_inert_in_both_versions(tmp_path):
    repo = hostile_repo(tmp_path)
    validated = check(repo, TODAY)
    assert validated.ok, validated.diagnostics
    out = tmp_path / "briefs"
    out.mkdir()
    shown = set()
    for account in validated.portfolio.accounts:
        for customer in (False, True):
            page = brief_document(brief_in(validated, account.id, TODAY, customer=customer))
            (out / f"{account.id}-{customer}.html").write_text(page, encoding="utf-8")
            text = _text_of(page)
            shown |= {p for p in TEXT_PAYLOADS if p in text}
            assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert unsafe_markup(out) == []
    assert shown == set(TEXT_PAYLOADS)  # every payload reached a page, as text a reader sees


def test_every_account_has_a_brief_page_linked_from_its_pages(repo):
    pages = {p.path: p for p in generate(repo, TODAY).pages}
    for account in ("acme-corporation", "bluth-company", "codehow", "kan-code"):
        page = pages[f"accounts/{account}/brief.md"]
        assert "QBR brief" in page.markdown and any('class="kb"' in b.html for b in page.blocks)
        assert any('href="../brief/"' in b.html for b in pages[f"accounts/{account}/goals.md"].blocks)


def kam(root: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["--root", str(root), "brief", *args], env=env or {})


def test_kam_brief_writes_the_page_and_refuses_what_it_cannot_do(repo, tmp_path):
    page = tmp_path / "agenda.html"
    result = kam(repo, "acme-corporation", "--customer", "--out", str(page), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert "Business review agenda" in page.read_text(encoding="utf-8")
    result = kam(repo, "acme-corporaton")
    assert result.exit_code == ExitCode.USAGE and "did you mean 'acme-corporation'?" in result.output
    missing = tmp_path / "missing.html"
    result = kam(repo, "acme-corporation", "--out", str(missing), "--pdf", str(tmp_path / "x.pdf"),
                 env={"KAM_BROWSER_PATH": str(tmp_path / "no-chromium")})
    assert result.exit_code == ExitCode.ENVIRONMENT and "KAM_BROWSER_PATH" in result.output
    assert not missing.exists()  # nothing written without a browser
    _edit(repo, Q2, "measures: {procurement-scorecard: 68}", "measures: {procurement-scorecrd: 68}")
    result = kam(repo, "acme-corporation", "--out", str(missing))
    assert result.exit_code == ExitCode.ERRORS and "error[E611]" in result.output and not missing.exists()


def _first_change(brief) -> str | None:
    """The first change the brief prints, as printed: a measure's since the last review, else a KPI's."""
    for o in brief.objectives.shown:
        if o.change is not None:
            return change(o.change)
    for trend in brief.kpis:
        for point in trend.points:
            if point.change is not None:
                return change(point.change, trend.money)
    return None


@pytest.mark.browser
def test_the_pdf_of_every_example_account_is_one_a4_page_with_its_name_and_a_change(tmp_path):
    import pypdf

    today = dt.date(2026, 12, 6)
    validated = check(PROJECT, today)
    with_change = 0
    for account in validated.portfolio.accounts:
        pdf = tmp_path / f"{account.id}.pdf"
        result = kam(PROJECT, account.id, "--out", str(tmp_path / f"{account.id}.html"), "--pdf", str(pdf),
                     "--today", today.isoformat())
        assert result.exit_code == 0, result.output
        reader = pypdf.PdfReader(pdf)
        assert len(reader.pages) == 1, account.id
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, in points
        text = reader.pages[0].extract_text()
        assert account.profile.name in text
        printed = _first_change(brief_in(validated, account.id, today))
        if printed is not None:
            assert printed in text, (account.id, printed)
            with_change += 1
    # Every account reviewed at least twice, or read once and again in goals.yml; two have no review yet.
    assert (len(validated.portfolio.accounts), with_change) == (12, 9)
