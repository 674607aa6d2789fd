"""`kam digest` on scripted git histories: what became late, due or closed in a week, per person."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from account_playbooks.analysis.attention import Attention
from account_playbooks.cli.commands import main
from account_playbooks.history.digest import identity
from account_playbooks.history.digestreport import MARKER

from .gitrepo import commit_all, edit, portfolio_repo

pytestmark = pytest.mark.slow  # builds git histories

TODAY = "2026-12-14"  # a week back is 2026-12-07
REVIEW = "accounts/acme-corporation/reviews/2026-09-08-q2-qbr.md"
SCORECARD = "Send scorecard data to group procurement every month"  # cassey-cress, due 2026-12-11
GTX = "{title: Propose GTX wording for the 2027 group IT policy, owner: daniell-hammack, due: "


@pytest.fixture
def repo(tmp_path):
    """Last week (2026-12-01) the GTX action falls due on 2026-12-12; on 2026-12-10 it is done."""
    repo = portfolio_repo(tmp_path / "repo")
    edit(repo, REVIEW, GTX + "2027-01-22", GTX + "2026-12-12")
    commit_all(repo, "GTX wording due before Christmas", "2026-12-01T10:00:00Z")
    edit(repo, REVIEW, "group-standard}", "group-standard, status: done}")
    commit_all(repo, "GTX wording sent", "2026-12-10T10:00:00Z")
    return repo


def kam_digest(repo, *args):
    return CliRunner().invoke(main, ["--root", str(repo), "digest", "--today", TODAY, *args])


def people(result) -> dict[str, dict]:
    assert result.exit_code == 0, result.output
    return {p["person"]: p for p in json.loads(result.stdout)["people"]}


def test_an_action_that_became_late_this_week_is_newly_late_for_its_owner(repo):
    cassey = people(kam_digest(repo, "--format", "json"))["cassey-cress"]
    (late,) = cassey["newly_late"]
    assert (late["what"], late["urgency"], late["days_late"]) == (SCORECARD, "late", 3)
    assert late["identity"] == ["action", "acme-corporation", SCORECARD.casefold()]
    assert not cassey["newly_due"] and not cassey["closed"]


def test_an_action_done_this_week_is_closed_for_its_owner(repo):
    daniell = people(kam_digest(repo, "--format", "json"))["daniell-hammack"]
    assert [c["what"] for c in daniell["closed"]] == ["Propose GTX wording for the 2027 group IT policy"]
    assert daniell["counts"]["due_action"] == {"now": 0, "before": 1}


def test_counts_are_against_last_week(repo):
    cassey = people(kam_digest(repo, "--format", "json"))["cassey-cress"]
    assert cassey["counts"] == {"late_action": {"now": 1, "before": 0}, "due_action": {"now": 0, "before": 1}}
    markdown = kam_digest(repo, "--format", "markdown", "--owner", "cassey-cress").stdout
    assert "1 late action (+1) · 0 actions due soon (−1)" in markdown


def test_owner_keeps_one_person_and_manager_the_accounts_they_sponsor(repo):
    assert list(people(kam_digest(repo, "--format", "json", "--owner", "cassey-cress"))) == ["cassey-cress"]
    sponsored = people(kam_digest(repo, "--format", "json", "--manager", "dustin-brinkmann"))
    every = [i for p in sponsored.values() for f in ("newly_late", "newly_due", "new_risks", "watch", "closed")
             for i in p[f]]
    assert every and {i["account"] for i in every} == {"codehow"}  # codehow's sponsor alone
    unknown = kam_digest(repo, "--owner", "cassey-cres")
    assert unknown.exit_code == 2 and "'cassey-cress'" in unknown.output  # the did-you-mean


def test_with_no_commit_a_week_back_everything_is_new(tmp_path):
    repo = portfolio_repo(tmp_path / "young", date="2026-12-12T10:00:00Z")
    found = json.loads(kam_digest(repo, "--format", "json").stdout)
    assert found["base"] is None
    cassey = {p["person"]: p for p in found["people"]}["cassey-cress"]
    assert [i["what"] for i in cassey["newly_late"]] == [SCORECARD]


def test_json_shape(repo):
    found = json.loads(kam_digest(repo, "--format", "json").stdout)
    assert set(found) == {"today", "since", "base", "open_items", "people"}
    assert (found["today"], found["since"], len(found["base"])) == (TODAY, "2026-12-07", 40)
    person = found["people"][0]
    assert set(person) == {"person", "name", "github", "open_items", "counts", "newly_late", "newly_due",
                           "new_risks", "watch", "closed"}
    item = next(i for p in found["people"] for i in p["newly_late"])
    assert set(item) == {"kind", "account", "owner", "what", "due", "urgency", "days_late", "about", "url",
                         "identity"}


def test_links_go_to_the_site_when_mkdocs_names_its_url(repo):
    (repo / "mkdocs.yml").write_text("site_name: x\nsite_url: https://kam.example/playbooks/\n", encoding="utf-8")
    markdown = kam_digest(repo, "--format", "markdown", "--owner", "cassey-cress").stdout
    assert "- [Acme Corporation](https://kam.example/playbooks/accounts/acme-corporation/reviews/#2026-09-08-q2-qbr)" \
        in markdown


HOSTILE = ["@everyone please see https://evil.example and #123",
           "x\n\n# Approved\n\n[click](https://evil.example) ![t](https://t.example/p.png)",
           "</details><script>alert(1)</script> | forged | row |",
           "\x1b]52;c;aGk=\x07 \u202eevil `code` *em*"]


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_a_title_stays_inert_in_markdown(repo, payload):
    edit(repo, REVIEW, f"{{title: {SCORECARD},", f"{{title: {json.dumps(payload)},")
    edit(repo, "team.yml", "name: Cassey Cress", f"name: {json.dumps(payload)}")
    markdown = kam_digest(repo, "--format", "markdown", "--owner", "cassey-cress").stdout
    md = MarkdownIt("commonmark").enable(["table"])
    tokens = [t for block in md.parse(markdown) for t in [block, *(block.children or [])]]
    kinds = [t.type for t in tokens]
    assert kinds.count("heading_open") == 2  # ours: the title and the person's
    assert not set(kinds) & {"link_open", "image", "fence", "table_open", "code_inline", "em_open"}, kinds
    assert [t.content.strip() for t in tokens if t.type.startswith("html")] == [MARKER]
    seen = html.unescape(re.sub(r"<[^>]*>", "", md.render(markdown)))  # what GitHub links mentions in
    assert not re.search(r"@[A-Za-z0-9]|#\d|[A-Za-z0-9]://|\x1b|\u202e", seen)
    assert payload.split()[-1] in seen.replace("\u200b", "")  # shown as written, not dropped


def test_a_person_with_a_github_login_is_mentioned_by_us_alone(repo):
    edit(repo, "team.yml", "email: cassey.cress@example.com", "email: cassey.cress@example.com\n  github: cassey-c")
    markdown = kam_digest(repo, "--format", "markdown").stdout
    assert re.findall(r"@[A-Za-z0-9-]+", markdown.replace("&#8203;", "")) == ["@cassey-c"]
    assert "### Cassey Cress (@cassey-c)" in markdown


def test_identity_keeps_an_item_across_weeks_whatever_moves_by_itself():
    today = dt.date(2026, 12, 14)
    carried = Attention("action", "a", "p", "Call Ann", today, "due", ("review", "a", "2026-09-01-q3"))
    later = Attention("action", "a", "p", "Call  ann", today, "late", ("review", "a", "2026-12-01-q4"), 4)
    assert identity(carried) == identity(later)  # carried forward into a later review, now late
    watch = [Attention("at_risk", "a", "p", f"score {s}, a 1-point drop demotes it (internal)", None, "watch",
                       ("account", "a")) for s in ("6.25", "6.10")]
    assert identity(watch[0]) == identity(watch[1])
    review = [Attention("review", "a", "p", f"Gold review {w}", None, u, ("account", "a")) for w, u in
              (("due soon", "due"), ("overdue", "late"))]
    assert identity(review[0]) == identity(review[1])
    risks = [Attention("relationship", "a", "p", w, None, "risk", ("account", "a")) for w in
             ("no champion in the stakeholder map", "no contact with the buying centre in 90 days")]
    assert identity(risks[0]) != identity(risks[1])
