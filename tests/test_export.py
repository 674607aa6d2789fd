"""`kam render --out`: the docs tree any MkDocs-compatible engine builds into the same site."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from account_playbooks.cli.commands import main

from .sitebuild import PROJECT, build, site_repo

pytestmark = pytest.mark.slow  # builds sites with mkdocs and properdocs

SAMPLES = ["index.html", "accounts/kan-code/index.html", "accounts/kan-code/stakeholders/index.html",
           "playbook/key-accounts/index.html", "people/reed-clapper/index.html",
           "accounts/kan-code/pack/index.html"]  # its header's wrapper once spanned the page's headings in the tree


def _article_text(path: Path) -> str:
    source = path.read_text(encoding="utf-8")
    article = source[source.index("<article"):source.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    target = tmp_path_factory.mktemp("export")
    repo = site_repo(PROJECT, target / "repo")
    assert build(repo).exit_code == 0
    out = target / "tree"
    result = CliRunner().invoke(main, ["--root", str(repo), "render", "--out", str(out), "--today", "2026-11-24"])
    assert result.exit_code == 0, result.output
    return repo / "site", out


def _engine_build(engine: str, tree: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", engine, "build", "-q", "-f", str(tree / "mkdocs.yml"), "-d", str(site)]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_tree_holds_rendered_pages_and_no_kam_plugin(exported):
    _, tree = exported
    import yaml

    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"] and config["docs_dir"] == "docs"
    assert config["hooks"] == ["kam_hooks.py"] and config["theme"]["custom_dir"] == "overrides"
    playbook = (tree / "docs" / "playbook" / "key-accounts.md").read_text(encoding="utf-8")
    assert "{{" not in playbook and "render_macros" not in playbook and "Platinum" in playbook
    assert (tree / "docs" / "accounts" / "kan-code" / "index.md").exists()


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_plain_engine_build_gives_the_same_site(exported, tmp_path, engine):
    built_by_kam, tree = exported
    site = tmp_path / "site"
    _engine_build(engine, tree, site)
    assert _pages(site) == _pages(built_by_kam)
    for page in SAMPLES:
        assert _article_text(site / page) == _article_text(built_by_kam / page), page
    feeds = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.ics")}
    assert feeds and feeds == {p.relative_to(built_by_kam).as_posix(): p.read_bytes()
                               for p in built_by_kam.rglob("*.ics")}  # the calendars come along, the same


def test_render_never_writes_into_a_folder_that_holds_something(tmp_path):
    repo = site_repo(PROJECT, tmp_path / "repo")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    result = CliRunner().invoke(main, ["--root", str(repo), "render", "--out", str(out), "--today", "2026-11-24"])
    assert result.exit_code == 2 and "not empty" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("where", [".", ".."])
def test_render_refuses_a_folder_that_holds_the_repository_even_with_force(tmp_path, where):
    repo = site_repo(PROJECT, tmp_path / "repo")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    out = repo / where
    result = CliRunner().invoke(main, ["--root", str(repo), "render", "--out", str(out), "--force", "--today", "2026-11-24"])
    assert result.exit_code == 2 and "contains the repository; nothing was written" in result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_the_exported_playbook_obeys_the_page_rules_whatever_validation_saw(tmp_path):
    """`kam render --out` publishes through the same function as the plugin: a page that reaches
    for Python stops the export with a located error, and raw HTML is text in the tree."""
    import datetime as dt

    from account_playbooks.site.build import generate
    from account_playbooks.site.export import ExportProblem, export

    repo = site_repo(PROJECT, tmp_path / "repo")
    generated = generate(repo, dt.date(2026, 11, 24))
    page = repo / "playbook" / "hostile.md"
    page.write_text("---\nrender_macros: true\n---\n# Hostile\n\n{{ cycler.__init__.__globals__.os.popen('id') }}\n",
                    encoding="utf-8")
    with pytest.raises(ExportProblem) as problem:
        export(repo, tmp_path / "tree", generated)
    assert str(problem.value).startswith("playbook/hostile.md:6:4: error[E215] 'cycler' is not available")
    assert not (tmp_path / "tree").exists()
    page.write_text("# Hostile\n\n<script>alert(1)</script> `<b>`\n", encoding="utf-8")
    export(repo, tmp_path / "tree", generated)
    assert (tmp_path / "tree" / "docs" / "playbook" / "hostile.md").read_text(encoding="utf-8") == \
        "# Hostile\n\n&lt;script>alert(1)&lt;/script> `<b>`\n"
    assert "PLAYBOOK_HTML = False" in (tmp_path / "tree" / "kam_hooks.py").read_text(encoding="utf-8")


def test_a_tagged_material_setting_renders_and_builds(tmp_path):
    """`kam render` read mkdocs.yml with safe_load and stopped with ConstructorError on Material's
    own emoji setting; the tree's mkdocs.yml keeps the tag, and the engine builds with it."""
    repo = site_repo(PROJECT, tmp_path / "repo")
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(config.replace("markdown_extensions:\n", (
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"), 1), encoding="utf-8")
    (repo / "playbook" / "index.md").write_text("# Playbook :smile:\n", encoding="utf-8")
    out = tmp_path / "tree"
    result = CliRunner().invoke(main, ["--root", str(repo), "render", "--out", str(out), "--today", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in (out / "mkdocs.yml").read_text()
    _engine_build("mkdocs", out, tmp_path / "site")
    assert 'class="twemoji"' in (tmp_path / "site" / "playbook" / "index.html").read_text(encoding="utf-8")
