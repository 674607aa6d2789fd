"""`kam new account`: a new account validates, its list files take entries below their
comments, and its plan's prompts are recognised until they are replaced."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from account_playbooks.scaffold.account import new_account
from account_playbooks.scoring.check import check

from .corpus import BASE

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def account(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    criteria = check(repo, TODAY).portfolio.criteria
    new_account(repo, "northwind", "Northwind", "reed-clapper", criteria, TODAY)
    return repo, repo / "accounts" / "northwind"


def found(repo):
    return [(d.path.rsplit("/", 1)[-1], d.line, d.code) for d in check(repo, TODAY).diagnostics]


def test_a_new_account_is_valid_and_its_prompts_are_warnings(account):
    repo, folder = account
    assert "[]" not in (folder / "stakeholders.yml").read_text()
    assert found(repo) == [("strategy.md", line, "W309") for line in (9, 13, 17, 21, 25)]


def test_the_commented_examples_are_entries_people_can_add(account):
    repo, folder = account
    for name in ("stakeholders.yml", "goals.yml"):
        path = folder / name
        text = path.read_text()
        example = re.sub(r"^# (- |  )", r"\1", text, flags=re.MULTILINE)  # uncomment the example, keep the rest
        path.write_text(example + "# added below the example:\n" + example.split("\n#\n", 1)[1].replace(
            "maria-gomez", "carl-berg").replace("first-rollout", "second-rollout"))
    validated = check(repo, TODAY)
    assert [d.code for d in validated.diagnostics] == ["W309"] * 5
    northwind = validated.portfolio.accounts_by_id["northwind"]
    assert [s.id for s in northwind.stakeholders] == ["maria-gomez", "carl-berg"]
    assert [g.id for g in northwind.goals] == ["first-rollout", "second-rollout"]


def test_a_replaced_prompt_is_no_longer_reported(account):
    repo, folder = account
    plan = folder / "strategy.md"
    text = plan.read_text()
    start = text.index("> Prompt", text.index("## Account Goals"))
    plan.write_text(text[:start] + "Win the APAC rollout." + text[text.index("\n", start):])
    assert found(repo) == [("strategy.md", line, "W309") for line in (9, 13, 21, 25)]


@pytest.mark.parametrize("kind", ["dangling link", "link to a folder", "file"])
def test_anything_already_at_the_path_is_refused_and_nothing_is_written(tmp_path, kind):
    from account_playbooks.scaffold.account import ScaffoldError

    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    target = repo / "accounts" / "northwind"
    if kind == "dangling link":
        target.symlink_to(tmp_path / "nowhere")
    elif kind == "link to a folder":
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    else:
        target.write_text("notes\n")
    before = sorted(p.name for p in (repo / "accounts").iterdir())
    with pytest.raises(ScaffoldError, match="already exists"):
        new_account(repo, "northwind", "Northwind", "reed-clapper", None, TODAY)
    assert sorted(p.name for p in (repo / "accounts").iterdir()) == before  # no staging folder left either
    if kind == "link to a folder":
        assert list((tmp_path / "elsewhere").iterdir()) == []



def test_an_id_with_a_trailing_newline_is_not_kebab_case(tmp_path):
    from account_playbooks.scaffold.account import ScaffoldError

    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    with pytest.raises(ScaffoldError, match="not a kebab-case id"):
        new_account(repo, "northwind\n", "Northwind", "reed-clapper", None, TODAY)  # `$` would match before "\n"
    assert not any(p.name.startswith("northwind") for p in (repo / "accounts").iterdir())


@pytest.mark.parametrize("account_id, message", [
    ("a" * 300, "'" + "a" * 40 + "…' is 300 characters long; ids have at most 64 characters, to keep paths "
                "within what Windows allows; nothing was written"),
    ("con", "'con' cannot be an account id: Windows reserves the name for a device, so no folder or file there can "
            "have it; add a word to it (like 'con-group'); nothing was written"),
    ("lpt1", "'lpt1' cannot be an account id"),
])
def test_an_id_no_windows_clone_could_hold_is_refused_before_anything_is_written(tmp_path, account_id, message):
    from account_playbooks.scaffold.account import ScaffoldError

    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    before = sorted(p.name for p in (repo / "accounts").iterdir())
    with pytest.raises(ScaffoldError) as refused:
        new_account(repo, account_id, "Northwind", "reed-clapper", None, TODAY)
    assert str(refused.value).startswith(message)
    assert sorted(p.name for p in (repo / "accounts").iterdir()) == before

