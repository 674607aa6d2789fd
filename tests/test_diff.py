"""`kam diff` on real git repositories built in a temporary folder."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diff import AccountChange, PortfolioDiff
from generator.diffreport import COMMENT_LIMIT, MARKER, as_markdown

from .gitrepo import ENV, edit, git, portfolio_repo

TODAY = "2026-11-24"


@pytest.fixture
def repo(tmp_path):
    return portfolio_repo(tmp_path / "repo")


def kam_diff(repo, *args):
    return CliRunner().invoke(main, ["--root", str(repo), "diff", *args, "--today", TODAY])


def test_a_score_edit_is_reported_with_its_criterion_and_tier(repo):
    edit(repo, "accounts/bluth-company/account.yml", "revenue_potential: {score: 7", "revenue_potential: {score: 9")
    result = kam_diff(repo, "main", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (change,) = data["accounts"]
    assert change["id"] == "bluth-company" and change["status"] == "changed"
    assert (change["tier_before"], change["tier_after"]) == ("Standard", "Silver")
    assert change["criteria"][0]["criterion"] == "revenue_potential"
    assert (change["criteria"][0]["before"], change["criteria"][0]["after"]) == (7, 9)
    assert change["tier_by_criteria_alone"] is False
    assert git(repo, "status", "--porcelain").strip() == "M accounts/bluth-company/account.yml"  # work tree untouched


def test_a_criteria_change_is_told_apart_from_the_accounts_own_edits(repo):
    edit(repo, "criteria.yml", "min_score: 5.0", "min_score: 4.8")
    git(repo, "commit", "-qam", "lower silver")
    result = kam_diff(repo, "HEAD~1", "--head", "HEAD")
    assert result.exit_code == 0, result.output
    assert "criteria: Silver threshold: 5 → 4.8" in result.stdout
    assert "bluth-company: Standard → Silver (by the criteria change alone)" in result.stdout


def test_a_moved_folder_is_a_rename_and_new_errors_are_listed(repo):
    git(repo, "mv", "accounts/codehow", "accounts/codehow-inc")
    edit(repo, "accounts/kan-code/stakeholders.yml", "reports_to: helen-okoro", "reports_to: helen-okor")
    result = kam_diff(repo, "main", "--format", "json")
    data = json.loads(result.stdout)
    statuses = {c["id"]: (c["status"], c["previous_id"]) for c in data["accounts"]}
    assert statuses["codehow-inc"] == ("renamed", "codehow") and "codehow" not in statuses
    assert any("E204" in line and "helen-okor" in line for line in data["introduced"])


def test_committed_links_out_of_the_repository_are_reported_at_both_revisions_not_a_traceback(repo, tmp_path):
    (tmp_path / "secret.yml").write_text("name: Not ours\n", encoding="utf-8")
    links = {"accounts/kan-code/notes.md": "/etc/hostname",  # absolute: tarfile's AbsoluteLinkError
             "accounts/kan-code/strategy.md": "../../../secret.yml",  # relative, leaving: LinkOutsideDestinationError
             "accounts/codehow/reviews/old": "/etc", "playbook-link": "/etc/passwd"}
    for name, target in links.items():
        path = repo / name
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(target)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "links")
    (repo / "accounts/kan-code/notes.md").unlink()
    result = kam_diff(repo, "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    e009 = "error[E009] symbolic link points outside the repository; not followed"
    assert data["fixed"] == [f"accounts/kan-code/notes.md:1:1: {e009}"]
    assert data["introduced"] == []
    result = kam_diff(repo, "HEAD~1", "--head", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    introduced = json.loads(result.stdout)["introduced"]
    assert [line for line in introduced if "E009" in line] == [
        f"accounts/codehow/reviews/old:1:1: {e009}", f"accounts/kan-code/notes.md:1:1: {e009}",
        f"accounts/kan-code/strategy.md:1:1: {e009}"]


def test_an_unknown_base_exits_2_and_says_how_to_fetch(repo):
    result = kam_diff(repo, "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'" in result.stderr and "git fetch origin no-such-branch" in result.stderr


def test_in_a_shallow_clone_the_missing_base_says_to_unshallow(repo, tmp_path):
    edit(repo, "criteria.yml", "min_score: 5.0", "min_score: 4.9")
    git(repo, "commit", "-qam", "second")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True, env=ENV)
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    result = kam_diff(shallow, first)
    assert result.exit_code == 2 and "git fetch --unshallow" in result.stderr


def test_the_pr_comment_escapes_names_and_stays_within_githubs_limit():
    hostile = AccountChange("x", "Acme</summary><script>alert(1)</script> | pipe", "added", tier_after="Gold")
    many = [AccountChange(f"a{i}", f"Account {i}", "changed", None, 1.0, 2.0, "Silver", "Gold",
                          notes=["note " * 200]) for i in range(200)]
    text = as_markdown(PortfolioDiff("base", "head", [], [hostile, *many], [], []))
    assert text.startswith(MARKER) and len(text) <= COMMENT_LIMIT
    assert "<script>" not in text and "</summary><script>" not in text
    assert "more account(s) not shown" in text
