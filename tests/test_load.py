"""Reading the tree: what is an account, what is refused, front matter split with line numbers."""

from __future__ import annotations

import shutil

from account_playbooks.core.load import MAX_FILE_BYTES, load, split_front_matter

from .corpus import BASE


def test_front_matter_split_keeps_line_numbers():
    assert split_front_matter("---\na: 1\nb: 2\n---\n# Title\n") == ("a: 1\nb: 2", "# Title\n", 5)
    assert "missing" in split_front_matter("# no front matter\n")
    assert "not terminated" in split_front_matter("---\na: 1\n")


def test_base_repo_loads_every_account_and_review():
    loaded = load(BASE)
    assert loaded.diagnostics == ()
    assert [a.id for a in loaded.accounts] == ["acme-corporation", "bluth-company", "codehow", "kan-code"]
    kan = next(a for a in loaded.accounts if a.id == "kan-code")
    assert len(kan.reviews) == 4 and kan.strategy.front.position(("updated",)) == (2, 10)


def test_refusals(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    (repo / "accounts" / "kan-code" / "goals.yml").write_bytes(b"- id: caf\xe9\n")
    (repo / "accounts" / "codehow" / "stakeholders.yml").write_text("#" * (MAX_FILE_BYTES + 1))
    (repo / "accounts" / "stray.txt").write_text("x")
    (repo / "accounts" / "Bad_Name").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "account.yml").write_text("name: x\n")
    (repo / "accounts" / "linked").symlink_to(outside)
    found = {(d.path, d.code) for d in load(repo).diagnostics}
    assert found == {
        ("accounts/kan-code/goals.yml", "E002"),
        ("accounts/codehow/stakeholders.yml", "E007"),
        ("accounts/stray.txt", "E011"),
        ("accounts/Bad_Name", "E010"),
        ("accounts/linked", "E009"),
    }


def test_a_shared_cache_reparses_only_the_files_that_changed(tmp_path):
    """`kam serve` keeps parsed documents between rebuilds: an edit is seen at once, and every
    other file is the very document parsed before."""
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    parsed: dict = {}
    before = {a.id: a for a in load(repo, parsed).accounts}
    goals = repo / "accounts" / "kan-code" / "goals.yml"
    goals.write_text(goals.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    after = {a.id: a for a in load(repo, parsed).accounts}
    assert after["kan-code"].goals is not before["kan-code"].goals
    assert "title: Edited " in after["kan-code"].goals.text and "Edited" not in before["kan-code"].goals.text
    assert after["kan-code"].account is before["kan-code"].account  # unchanged: not read again
    assert after["codehow"].goals is before["codehow"].goals
    assert load(repo).accounts == tuple(after.values())  # the same as a load without a cache


def test_a_file_with_a_conflict_or_a_control_character_is_not_parsed(tmp_path):
    """One diagnostic says what is wrong; the parsers never see the file, so nothing cascades."""
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    kan = repo / "accounts" / "kan-code"
    (kan / "goals.yml").write_text("<<<<<<< HEAD\n- id: a\n=======\n- id: b\n>>>>>>> main\n", encoding="utf-8")
    strategy = kan / "strategy.md"
    strategy.write_text(strategy.read_text(encoding="utf-8").replace("# Kan-code", "# Kan\u202e-code"), encoding="utf-8")
    (repo / "playbook").mkdir()
    (repo / "playbook" / "plain.md").write_text("# No front matter\n\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n")
    (repo / "playbook" / "ok.md").write_text("# Fine\n\nTitle\n=======\n")
    loaded = load(repo)
    found = sorted((d.path, d.line, d.column, d.code) for d in loaded.diagnostics)
    assert found == [("accounts/kan-code/goals.yml", 1, 1, "E018"), ("accounts/kan-code/strategy.md", 4, 6, "E019"),
                     ("playbook/plain.md", 3, 1, "E018")]
    account = next(a for a in loaded.accounts if a.id == "kan-code")
    assert account.goals is None and account.strategy is None


def test_byte_order_mark_and_crlf_are_fine_but_a_lone_cr_is_not(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    goals = repo / "accounts" / "kan-code" / "goals.yml"
    text = goals.read_text(encoding="utf-8")
    goals.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert load(repo).diagnostics == ()
    goals.write_bytes(text.replace("\n", "\r", 1).encode())
    assert [(d.line, d.code) for d in load(repo).diagnostics] == [(1, "E019")]
