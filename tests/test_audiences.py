"""Audiences: which accounts a site shows, and the leak test over every audience's output.

The leak fixture (tests/fixtures/leak) writes every internal value as a marker that names itself. Each
audience is built for real (mkdocs for the sites, the bundle for the customer) inside a git repository
whose commits carry markers too; every file of the output is read (gzip opened), and a marker the
audience may not see fails the test wherever it is: HTML, the search index, the sitemap, assets.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from account_playbooks.analysis.audiences import INTERNAL, AudienceView, hidden_accounts, resolve, visible_portfolio
from account_playbooks.cli.commands import main
from account_playbooks.core.errors import ExitCode, KamError
from account_playbooks.scoring.check import check

from .gitrepo import commit_all, edit, git
from .sitebuild import build, site_repo

LEAK = Path(__file__).parent / "fixtures" / "leak"
TODAY = "2026-11-24"

# What the customer may read: the open account's joint plan.
SHARED = ("OpenNameLeak", "SharedGoalTitleLeak", "MetricLeak", "SharedActionLeak", "SharedActionTwoLeak",
          "TheirNameLeak", "TheirTitleLeak", "SummaryLeak", "SharedSectionLeak", "SharedSubsectionLeak",
          "OurNameLeak", "ours.leak@example.com", "AccountRoleLeak", "ColleagueNameLeak")
# What only the team (and audiences above it) may read.
INTERNAL_ONLY = ("TierNameLeakTop", "tierleak-top", "CritNameLeakA", "CritDescLeakA", "WhyLeakOpenA", "WhyLeakOpenB",
                 "WhyLeakOpenC", "IndustryLeak", "RegionLeak", "HeadquartersLeak", "tagleak", "NotesLeakTheir",
                 "NotesLeakHidden", "HiddenPersonNameLeak", "HiddenPersonTitleLeak", "UnsharedGoalTitleLeak",
                 "LongGoalTitleLeak", "UnsharedSectionLeak", "UnsharedActionLeak", "ReviewTitleLeak", "ReviewNotesLeak",
                 "InternalReviewTitleLeak", "InternalReviewLeak", "OtherNameLeak", "other-leak", "OtherPersonLeak",
                 "OtherGoalLeak", "OtherPlanSectionLeak", "OtherWhyLeakA", "OurJobLeak", "ColleagueJobLeak",
                 "CommitSubjectLeak", "CommitAuthorLeak", "open-leak", "git.example.com", "UnsharedAskLeak",
                 # figures: revenue potential and revenue (as the site writes money), the review's KPIs
                 "987.7M", "987654321", "123.5M", "123454321", "555.4M", "555444333")
# Words for what the customer must never learn of their people and of their standing with us.
INTERNAL_WORDS = (r"\bdetractor\b", r"\bskeptic\b", r"\binfluence\b", r"\bchampion\b", r"decision.maker",
                  r"\bsentiment\b", r"\btier\b", r"\bscores?\b", r"\bhealth\b", r"\bwatch\b", r"\bdemot")
# The confidential account: only the audience that sees confidential accounts reads these.
SECRET = ("SecretNameLeak", "secret-leak", "SecretWhyLeakA", "SecretPersonLeak", "SecretTitleLeak", "SecretGoalLeak",
          "SecretPlanLeak", "SecretIndustryLeak", "SecretRegionLeak", "secrettagleak", "SecretCommitLeak", "777.7M",
          "888.8M")

SECRET_COMMIT_DAY = "2026-10-20"  # of the commit that changed the confidential account alone: its history


def _texts(folder: Path) -> dict[str, str]:
    """Every output file as text, gzip files opened: one entry per file, by its path in the output."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        found[path.relative_to(folder).as_posix()] = data.decode("utf-8", errors="replace")
    return found


def _where(texts: dict[str, str], marker: str, *, word: bool = False) -> list[str]:
    pattern = re.compile(marker, re.IGNORECASE) if word else None
    return [name for name, text in texts.items() if (pattern.search(text) if pattern else marker in text)]


@pytest.fixture(scope="module")
def leak_repo(tmp_path_factory) -> Path:
    """The fixture with the project's site configuration, committed in two steps: the second touches only
    the confidential account, so its subject may appear in no history but the audience's that sees it."""
    repo = site_repo(LEAK, tmp_path_factory.mktemp("leak") / "repo")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "Portfolio CommitSubjectLeak", "2026-10-02T09:00:00Z", "CommitAuthorLeak")
    edit(repo, "accounts/secret-leak/account.yml", "leakcrit_two: {score: 9,", "leakcrit_two: {score: 8,")
    commit_all(repo, "SecretCommitLeak", f"{SECRET_COMMIT_DAY}T09:00:00Z", "CommitAuthorLeak")
    return repo


@pytest.fixture(scope="module")
def outputs(leak_repo, tmp_path_factory) -> dict[str, dict[str, str]]:
    """Every audience built: the internal site, the site for the audience that sees confidential accounts,
    and the customer's joint plan of each account."""
    built = {}
    for audience in ("internal", "boardleak"):
        site = leak_repo / f"site-{audience}"
        result = build(leak_repo, TODAY, "--audience", audience)
        assert result.exit_code == 0, result.output
        shutil.move(str(leak_repo / "site"), site)
        built[audience] = _texts(site)
    for account in ("open-leak", "other-leak", "secret-leak"):
        out = tmp_path_factory.mktemp("bundle") / account
        result = CliRunner().invoke(main, ["--root", str(leak_repo), "build", "--today", TODAY, "--audience",
                                           "customer", "--account", account, "--out", str(out)])
        assert result.exit_code == 0, result.output
        built[f"customer:{account}"] = _texts(out)
        agenda = tmp_path_factory.mktemp("agenda") / f"{account}.html"
        result = CliRunner().invoke(main, ["--root", str(leak_repo), "brief", account, "--customer", "--today", TODAY,
                                           "--out", str(agenda)])
        assert result.exit_code == 0, result.output
        built[f"agenda:{account}"] = {agenda.name: agenda.read_text(encoding="utf-8")}
    return built


def _leaks(texts: dict[str, str], markers: tuple[str, ...]) -> dict[str, list[str]]:
    found = {m: _where(texts, m) for m in markers if _where(texts, m)}
    return found | {w: _where(texts, w, word=True) for w in INTERNAL_WORDS if _where(texts, w, word=True)}


def test_the_customer_agenda_holds_what_is_shared_and_nothing_else(outputs):
    """`kam brief --customer`, the QBR brief the customer receives: the shared goal with its reading, the
    shared actions and ask, the shared review's people; nothing internal, of this account or another."""
    page = outputs["agenda:open-leak"]["open-leak.html"]
    assert [m for m in ("OpenNameLeak", "SharedGoalTitleLeak", "MetricLeak", "SharedActionLeak", "SharedActionTwoLeak",
                        "SharedAskLeak", "TheirNameLeak", "OurNameLeak") if m not in page] == []
    assert _leaks(outputs["agenda:open-leak"], tuple(m for m in INTERNAL_ONLY if m != "open-leak") + SECRET) == {}
    assert _leaks(outputs["agenda:other-leak"], ("OpenNameLeak", "SharedGoalTitleLeak", "SharedAskLeak") + SECRET) == {}


@pytest.mark.browser
def test_the_customer_agendas_pdf_holds_nothing_internal(leak_repo, tmp_path):
    from pypdf import PdfReader

    pdf = tmp_path / "agenda.pdf"
    result = CliRunner().invoke(main, ["--root", str(leak_repo), "brief", "open-leak", "--customer", "--today", TODAY,
                                       "--out", str(tmp_path / "agenda.html"), "--pdf", str(pdf)])
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "SharedGoalTitleLeak" in text and "SharedAskLeak" in text
    assert _leaks({"agenda.pdf": text}, tuple(m for m in INTERNAL_ONLY if m != "open-leak") + SECRET) == {}


def test_the_customer_plan_holds_what_is_shared_and_nothing_else(outputs):
    texts = outputs["customer:open-leak"]
    assert list(texts) == ["index.html"]
    page = texts["index.html"]
    assert [m for m in SHARED if m not in page] == []
    leaked = {m: _where(texts, m) for m in INTERNAL_ONLY + SECRET if _where(texts, m)}
    leaked |= {w: _where(texts, w, word=True) for w in INTERNAL_WORDS if _where(texts, w, word=True)}
    assert leaked == {}


def test_another_accounts_plan_holds_nothing_of_the_first(outputs):
    texts = outputs["customer:other-leak"]
    page = texts["index.html"]
    assert "OtherNameLeak" in page and "OtherGoalLeak" in page and "OtherPlanSectionLeak" in page
    others = [m for m in SHARED if m not in ("OurNameLeak", "ours.leak@example.com", "ColleagueNameLeak",
                                             "AccountRoleLeak") and m in page]
    assert others == []
    assert [m for m in ("OtherWhyLeakA", "OtherPersonLeak", "open-leak", "OpenNameLeak") + SECRET if m in page] == []


def test_the_internal_site_shows_no_confidential_account_anywhere(outputs):
    texts = outputs["internal"]
    assert any(n.endswith(".gz") for n in texts) and "search/search_index.json" in texts and "sitemap.xml" in texts
    assert _where(texts, "OpenNameLeak") and _where(texts, "WhyLeakOpenA")
    assert "accounts/open-leak/index.html" in _where(texts, "2026-10-02")  # the history is there, of the others
    assert {m: _where(texts, m) for m in SECRET + (SECRET_COMMIT_DAY,) if _where(texts, m)} == {}


def test_the_audience_that_sees_confidential_accounts_gets_them(outputs):
    texts = outputs["boardleak"]
    for marker in ("SecretNameLeak", "SecretWhyLeakA", "SecretPersonLeak", "SecretPlanLeak", "OpenNameLeak",
                   "WhyLeakOpenA"):
        assert _where(texts, marker), marker
    assert "changes/index.html" in _where(texts, SECRET_COMMIT_DAY)
    assert _where(texts, "SecretNameLeak", word=False) and "search/search_index.json" in _where(texts, "SecretNameLeak")


def test_unknown_audience_and_account_are_usage_errors(leak_repo):
    runner = CliRunner()
    unknown = runner.invoke(main, ["--root", str(leak_repo), "build", "--today", TODAY, "--audience", "boardleek"])
    assert unknown.exit_code == ExitCode.USAGE
    assert "no audience 'boardleek'; did you mean 'boardleak'?" in unknown.output
    no_account = runner.invoke(main, ["--root", str(leak_repo), "build", "--today", TODAY, "--audience", "customer"])
    assert no_account.exit_code == ExitCode.USAGE and "--account" in no_account.output
    wrong = runner.invoke(main, ["--root", str(leak_repo), "build", "--today", TODAY, "--audience", "customer",
                                 "--account", "open-leek", "--out", str(leak_repo.parent / "x")])
    assert wrong.exit_code == ExitCode.USAGE and "did you mean 'open-leak'?" in wrong.output
    assert not (leak_repo.parent / "x").exists()
    for options in (["--strict"], ["--site-dir", "s"], ["--site-url", "https://example.com/"], ["--engine", "zensical"]):
        site_only = runner.invoke(main, ["--root", str(leak_repo), "build", "--today", TODAY, "--audience", "customer",
                                         "--account", "open-leak", "--out", str(leak_repo.parent / "y"), *options])
        assert site_only.exit_code == ExitCode.USAGE and f"{options[0]} is for a site" in site_only.output, options
    assert not (leak_repo.parent / "y").exists()


def test_visible_portfolio_drops_confidential_accounts_and_parents_that_name_them():
    validated = check(LEAK, dt.date(2026, 11, 24))
    assert validated.ok
    portfolio = validated.portfolio
    assert portfolio.accounts_by_id["other-leak"].profile.parent == "secret-leak"
    internal = visible_portfolio(portfolio, AudienceView(INTERNAL))
    assert sorted(internal.accounts_by_id) == ["open-leak", "other-leak"]
    assert internal.accounts_by_id["other-leak"].profile.parent is None
    board = resolve("boardleak", portfolio.criteria)
    assert board.sees_confidential and visible_portfolio(portfolio, board) is portfolio
    assert hidden_accounts(portfolio, AudienceView(INTERNAL)) == {"secret-leak"}
    with pytest.raises(KamError) as raised:
        resolve("leadership", portfolio.criteria)
    assert raised.value.exit_code == ExitCode.USAGE and "internal, customer, boardleak" in str(raised.value)
