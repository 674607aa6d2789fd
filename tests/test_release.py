"""The release: the version comes from git tags, every tag has its CHANGELOG entry, the licence is declared."""

import re
import subprocess
import tomllib
from importlib.metadata import metadata
from pathlib import Path

import setuptools_scm as scm

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _tags() -> list[str]:
    found = subprocess.run(["git", "tag", "--list", "v*"], cwd=ROOT, capture_output=True, text=True, check=False)
    return found.stdout.split()


def test_the_version_is_not_written_in_pyproject_but_derived_by_setuptools_scm():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert any(requirement.startswith("setuptools-scm") for requirement in PYPROJECT["build-system"]["requires"])
    assert "tool" in PYPROJECT and "setuptools_scm" in PYPROJECT["tool"]


def test_setuptools_scm_gives_the_tag_on_a_tagged_commit_and_a_dev_version_after_it(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.txt").write_text("a")
    subprocess.run([*git, "-C", str(tmp_path), "add", "."], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "first"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "tag", "-a", "v1.4.0", "-m", "1.4.0"], check=True)
    assert scm.get_version(root=str(tmp_path)) == "1.4.0"
    (tmp_path / "a.txt").write_text("b")
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qam", "second"], check=True)
    assert re.fullmatch(r"1\.4\.1\.dev1\+g[0-9a-f]+", scm.get_version(root=str(tmp_path)))


def test_every_release_tag_has_a_changelog_entry():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)$", changelog, re.M))
    assert headings, "CHANGELOG.md has no release headings"
    missing = {tag.removeprefix("v") for tag in _tags()} - headings
    assert not missing, f"tags without a CHANGELOG entry: {sorted(missing)}"


def test_the_installed_distribution_declares_its_licence():
    assert (ROOT / "LICENSE").is_file()
    meta = metadata("account-playbooks")
    assert meta["License-Expression"] == PYPROJECT["project"]["license"] == "LicenseRef-Proprietary"
    assert "Private :: Do Not Upload" in meta.get_all("Classifier")
