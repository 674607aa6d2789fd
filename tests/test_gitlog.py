"""The git log reader and the replayed tree: renames, deletions, links, and one blob read for all."""

from __future__ import annotations

import os

from account_playbooks.core.load import Reader, load_accounts
from account_playbooks.history.gitlog import CommitTree, FileChange, read_blobs, read_log

from .gitrepo import git, portfolio_repo


def test_changes_are_read_with_renames_deletions_and_without_links(tmp_path):
    repo = portfolio_repo(tmp_path / "repo")
    git(repo, "mv", "accounts/codehow/goals.yml", "accounts/codehow/goals-old.yml")
    (repo / "accounts/kan-code/reviews").rename(tmp_path / "gone")
    os.symlink("/etc/passwd", repo / "accounts/kan-code/notes.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "shuffle")
    log = read_log(repo)
    assert [c.subject for c in log.commits] == ["portfolio", "shuffle"] and not log.shallow
    changes = {(c.status, c.old_path, c.new_path, c.blob is None) for c in log.commits[1].changes}
    assert ("R", "accounts/codehow/goals.yml", "accounts/codehow/goals-old.yml", False) in changes
    assert all(status == "D" and new is None and no_blob for status, old, new, no_blob in changes
               if old and old.startswith("accounts/kan-code/reviews/"))
    link = next(c for c in log.commits[1].changes if c.new_path == "accounts/kan-code/notes.md")
    assert link.blob is None  # a link is never read as a file


def test_the_replayed_tree_loads_like_the_folder(tmp_path):
    from account_playbooks.core.load import FolderSource

    repo = portfolio_repo(tmp_path / "repo")
    log = read_log(repo)
    tree = CommitTree(read_blobs(repo, (c.blob for c in log.commits[0].changes if c.blob)))
    for change in log.commits[0].changes:
        tree.apply(change)
    from_git = tuple(load_accounts(Reader(tree)))
    from_folder = tuple(load_accounts(Reader(FolderSource(repo))))
    assert from_git == from_folder and len(from_git) == 4
    for change in log.commits[0].changes:  # deleting every file leaves no empty folder behind
        tree.apply(FileChange("D", change.new_path, None, None))
    assert tree.children == {"": set()} and not tree.is_dir("accounts")
