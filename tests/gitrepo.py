"""Real git repositories in a temporary folder, with fixed authors and dates, for diff and history."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .corpus import BASE

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "Test",
       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2026-11-01T10:00:00Z",
       "GIT_COMMITTER_DATE": "2026-11-01T10:00:00Z"}


def git(repo: Path, *args: str, author: str = "Test", date: str = "2026-11-01T10:00:00Z") -> str:
    env = {**ENV, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True, text=True).stdout


def portfolio_repo(where: Path, *, author: str = "Test", date: str = "2026-11-01T10:00:00Z") -> Path:
    """The base fixture portfolio, committed once on branch main."""
    shutil.copytree(BASE, where)
    git(where, "init", "-q", "-b", "main")
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", "portfolio", author=author, date=date)
    return where


def edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit_all(repo: Path, message: str, date: str, author: str = "Test") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, author=author, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


def example_history(repo: Path) -> None:
    """A year of history for the example portfolio that ends at its files as they are: Kan Code's
    scores rise in three edits, and criteria.yml moves the platinum floor up and back down."""
    account, criteria = "accounts/kan-code/account.yml", "criteria.yml"
    today_scores = {"strategic_fit": 10, "relationship_strength": 8, "growth_outlook": 8}
    earlier = {"strategic_fit": 6, "relationship_strength": 5, "growth_outlook": 6}
    for criterion, score in today_scores.items():
        edit(repo, account, f"{criterion}: {{score: {score},", f"{criterion}: {{score: {earlier[criterion]},")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "Example portfolio", "2026-02-02T09:00:00Z", "Reed Clapper")

    def restore(criterion: str, message: str, date: str) -> None:
        edit(repo, account, f"{criterion}: {{score: {earlier[criterion]},",
             f"{criterion}: {{score: {today_scores[criterion]},")
        commit_all(repo, message, date, "Rocco Neubert")

    restore("strategic_fit", "Kan Code: MG Advanced written into the build standard", "2026-04-14T10:00:00Z")
    edit(repo, criteria, "min_score: 8.0", "min_score: 8.5")
    commit_all(repo, "Criteria: raise the platinum floor", "2026-06-30T10:00:00Z", "Reed Clapper")
    restore("relationship_strength", "Kan Code: CTO meets us every quarter", "2026-08-18T10:00:00Z")
    edit(repo, criteria, "min_score: 8.5", "min_score: 8.0")
    commit_all(repo, "Criteria: platinum floor back to 8", "2026-10-06T10:00:00Z", "Reed Clapper")
    restore("growth_outlook", "Kan Code: headcount and renewal outlook", "2026-11-12T10:00:00Z")
