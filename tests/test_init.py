"""`kam init`: a new repository that validates and builds with no account, never overwrites
without --force, and is written all or none."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.newrepo import starter_files

from .sitebuild import PROJECT

TODAY = "2026-11-24"


def kam(root: Path, *args: str):
    return CliRunner().invoke(main, ["--root", str(root), *args])


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_new_repository_validates_and_builds_strictly_with_no_account(tmp_path):
    repo = tmp_path / "playbooks"
    result = kam(tmp_path, "init", str(repo), "--name", "Northwind key accounts")
    assert result.exit_code == 0, result.stderr
    for name in ("criteria.yml", "team.yml", "mkdocs.yml", "README.md", "requirements.txt", "accounts/README.md",
                 ".pre-commit-config.yaml", ".gitignore", ".github/workflows/validate.yml",
                 ".github/workflows/pr-diff.yml", ".github/workflows/publish.yml", "schemas/account.schema.json",
                 "site_templates/account.md.j2", "playbook/index.md"):
        assert (repo / name).is_file(), name
    assert yaml.safe_load((repo / "team.yml").read_text(encoding="utf-8")) == []
    assert "site_name: Northwind key accounts\n" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    checked = kam(repo, "validate", "--strict", "--today", TODAY)
    assert checked.exit_code == 0 and checked.stdout == "", checked.stdout
    assert "0 accounts, 0 errors, 0 warnings" in checked.stderr
    built = kam(repo, "build", "--strict", "--today", TODAY)
    assert built.exit_code == 0, built.stderr
    assert (repo / "site" / "index.html").is_file() and (repo / "site" / "playbook" / "index.html").is_file()


def test_the_new_repository_schemas_are_the_ones_kam_schema_writes(tmp_path):
    repo = tmp_path / "repo"
    assert kam(tmp_path, "init", str(repo)).exit_code == 0
    assert kam(repo, "schema", "--check").exit_code == 0


def test_the_new_repository_takes_a_first_account(tmp_path):
    repo = tmp_path / "repo"
    assert kam(tmp_path, "init", str(repo)).exit_code == 0
    team = repo / "team.yml"
    team.write_text(team.read_text(encoding="utf-8").replace(
        "\n[]\n", "\n- id: jane-doe\n  name: Jane Doe\n  role: Key account manager\n  email: jane.doe@example.com\n"),
        encoding="utf-8")
    assert kam(repo, "new", "account", "northwind", "--today", TODAY).exit_code == 0
    assert kam(repo, "validate", "--today", TODAY).exit_code == 0


def test_init_never_overwrites_and_lists_what_is_in_the_way(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "criteria.yml").write_text("# ours\n", encoding="utf-8")
    (repo / "notes.txt").write_text("unrelated\n", encoding="utf-8")
    (repo / "playbook").mkdir()
    (repo / "playbook" / "index.md").write_text("# Ours\n", encoding="utf-8")
    before = tree_hash(repo)
    result = kam(repo, "init")
    assert result.exit_code == 2
    assert "already has 2 of the files a new repository needs; nothing was written" in result.stderr
    assert "  criteria.yml\n" in result.stderr and "  playbook/index.md\n" in result.stderr
    assert tree_hash(repo) == before


def test_force_overwrites_the_listed_files_and_nothing_else(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "criteria.yml").write_text("# ours\n", encoding="utf-8")
    (repo / "notes.txt").write_text("unrelated\n", encoding="utf-8")
    result = kam(repo, "init", "--force")
    assert result.exit_code == 0, result.stderr
    assert (repo / "notes.txt").read_text(encoding="utf-8") == "unrelated\n"
    assert (repo / "criteria.yml").read_text(encoding="utf-8") == starter_files()["criteria.yml"]
    assert not [p for p in repo.iterdir() if p.name.startswith(".kam-staging")]
    assert kam(repo, "validate", "--today", TODAY).exit_code == 0


def test_a_file_where_the_repository_should_be_is_refused(tmp_path):
    target = tmp_path / "repo"
    target.write_text("not a folder\n", encoding="utf-8")
    result = kam(tmp_path, "init", str(target))
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "not a folder\n"


def test_the_workflows_are_this_repositorys_own_installing_from_requirements():
    """The starter's workflows follow this project's: the same steps, except that a team's
    repository installs the generator named in requirements.txt instead of itself."""
    files = starter_files()
    install = re.compile(r"^      - run: pip install( -e)? \.$", re.MULTILINE)
    for name in ("validate", "pr-diff", "publish"):
        ours = (PROJECT / ".github" / "workflows" / f"{name}.yml").read_text(encoding="utf-8")
        expected = install.sub("      - run: pip install -r requirements.txt   # the generator, as pinned there", ours)
        assert files[f".github/workflows/{name}.yml"] == expected, name
    assert re.search(r"^account-playbooks==\d", files["requirements.txt"], re.MULTILINE)


def test_the_starter_playbook_links_to_no_example_account():
    pages = {k: v for k, v in starter_files().items() if k.startswith("playbook/")}
    assert pages and not any("account_link(" in text or "[[" in text for text in pages.values())
    nav = yaml.safe_load(starter_files()["mkdocs.yml"].replace("!!python", ""))["nav"]
    listed = {p for section in nav for v in section.values() if isinstance(v, list)
              for item in v for p in ([item] if isinstance(item, str) else item.values())}
    assert {f"playbook/{Path(k).name}" for k in pages} <= listed


def test_an_installed_generator_carries_its_templates_and_starts_a_repository(tmp_path):
    """pip installs a wheel, not this checkout: the site templates, the starter kit and the theme
    overrides must be inside it, or `kam init` from a package index or a git URL cannot work."""
    import os
    import subprocess
    import sys

    import shutil

    source, wheels, target, repo = (tmp_path / name for name in ("source", "wheels", "installed", "team"))
    # A copy of what the package is built from: the build leaves its work folders in the source.
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, source)
    for name in ("generator", "site_templates"):
        shutil.copytree(PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], check=True, capture_output=True,
                   timeout=300)
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), *map(str, wheels.glob("*.whl"))],
                   check=True, capture_output=True, timeout=300)
    installed = target / "generator"
    assert sorted(p.name for p in (installed / "site_templates").glob("*.j2")) == \
        sorted(p.name for p in (PROJECT / "site_templates").glob("*.j2"))
    assert (installed / "site_templates" / "assets" / "kam.css").is_file()
    assert (installed / "overrides" / "main.html").is_file() and (installed / "starter" / "workflows").is_dir()
    # The installed package comes first on the path; its dependencies come from this environment.
    probe = ("import sys, generator\nfrom generator.cli import main\n"
             "assert generator.__file__.startswith(sys.argv[1]), generator.__file__\n"
             "main(['init', sys.argv[2]])\n")
    env = dict(os.environ, PYTHONPATH=str(target))
    done = subprocess.run([sys.executable, "-c", probe, str(target), str(repo)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (repo / "site_templates" / "account.md.j2").read_text(encoding="utf-8") == \
        (PROJECT / "site_templates" / "account.md.j2").read_text(encoding="utf-8")
