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
