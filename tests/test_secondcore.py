"""A one-off build writing half of its generated pages in a second process: the same files, byte
for byte; what the second process logs counts under --strict; its failure fails the build."""

from __future__ import annotations

import logging
import os

import mkdocs.commands.build as mkdocs_build
import pytest
from mkdocs.config import load_config

from account_playbooks.site import secondcore

from .corpus import BASE
from .sitebuild import build, site_repo


def _tree(site) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}  # gzip records when it was written


@pytest.fixture
def split_from_few_pages(monkeypatch):
    """The example portfolio is far below SPLIT_FROM_PAGES: split it anyway, and count the forks."""
    monkeypatch.setattr(secondcore, "SPLIT_FROM_PAGES", 1)
    started: list[int] = []
    start = secondcore.SecondProcess.start.__func__

    def counted(cls, work):
        started.append(os.getpid())
        return start(cls, work)

    monkeypatch.setattr(secondcore.SecondProcess, "start", classmethod(counted))
    return started


def _in_the_second_process(monkeypatch, action):
    """mkdocs' page builder, with `action(page)` first when it runs in a process other than this one."""
    parent, original = os.getpid(), mkdocs_build._build_page

    def page_builder(page, *args, **kwargs):
        if os.getpid() != parent:
            action(page)
        return original(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", page_builder)


@pytest.mark.slow
@pytest.mark.parametrize("second_process_pace", [0.0, 0.2])  # at 0.2 s a page, this process takes most of them
def test_a_build_split_over_two_processes_writes_the_same_files(tmp_path, monkeypatch, split_from_few_pages,
                                                               second_process_pace):
    import time

    repo = site_repo(BASE, tmp_path / "repo")
    _in_the_second_process(monkeypatch, lambda page: time.sleep(second_process_pace))
    split = build(repo)
    assert split.exit_code == 0, split.output
    assert len(split_from_few_pages) == 1
    written = _tree(repo / "site")
    monkeypatch.setattr(secondcore, "SPLIT_FROM_PAGES", 10**9)
    one = build(repo)
    assert one.exit_code == 0 and len(split_from_few_pages) == 1
    assert _tree(repo / "site") == written
    assert "Page skipped" not in split.output
    assert len([p for p in written if p.startswith("accounts/") and p.endswith("index.html")]) > 20


@pytest.mark.slow
def test_a_generated_page_that_names_its_own_page_template_keeps_it_when_split(tmp_path, monkeypatch,
                                                                            split_from_few_pages):
    repo = site_repo(BASE, tmp_path / "repo")
    (repo / "overrides").mkdir()
    (repo / "overrides" / "kam-custom.html").write_text(
        '{% extends "main.html" %}{% block content %}<p>custom-page-template</p>{{ super() }}{% endblock %}',
        encoding="utf-8")
    mkdocs_yml = repo / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    goals = repo / "site_templates" / "goals.md.j2"
    goals.write_text("---\ntemplate: kam-custom.html\n---\n" + goals.read_text(encoding="utf-8"), encoding="utf-8")
    import time

    _in_the_second_process(monkeypatch, lambda page: time.sleep(0.2))  # so that this process takes most pages
    split = build(repo)
    assert split.exit_code == 0, split.output
    assert len(split_from_few_pages) == 1
    written = _tree(repo / "site")
    goals_pages = [page for page in written if page.startswith("accounts/") and page.endswith("/goals/index.html")]
    assert len(goals_pages) >= 4  # written by both processes: the parent takes from the front, the child from the back
    assert all("custom-page-template" in written[page].decode() for page in goals_pages)
    assert "custom-page-template" not in written["accounts/kan-code/index.html"].decode()
    monkeypatch.setattr(secondcore, "SPLIT_FROM_PAGES", 10**9)
    assert build(repo).exit_code == 0
    assert _tree(repo / "site") == written


@pytest.mark.slow
def test_a_warning_in_the_second_process_counts_under_strict(tmp_path, monkeypatch, split_from_few_pages):
    repo = site_repo(BASE, tmp_path / "repo")
    assert build(repo, "2026-11-24", "--strict").exit_code == 0
    _in_the_second_process(monkeypatch, lambda page: page.file.src_uri.endswith("stakeholders.md") and logging.getLogger(
        "mkdocs.plugins.kam").warning(f"second-process warning on {page.file.src_uri}"))
    result = build(repo, "2026-11-24", "--strict")
    assert len(split_from_few_pages) == 2
    assert result.exit_code == 3, result.output
    assert "second-process warning on accounts/" in result.output


@pytest.mark.slow
def test_a_failure_in_the_second_process_fails_the_build_and_keeps_the_site(tmp_path, monkeypatch,
                                                                            split_from_few_pages):
    repo = site_repo(BASE, tmp_path / "repo")
    assert build(repo).exit_code == 0
    before = _tree(repo / "site")

    def fail(page):
        raise OSError("disk full (simulated)")

    _in_the_second_process(monkeypatch, fail)
    result = build(repo)
    assert result.exit_code == 1, result.output
    assert "second process failed: disk full (simulated)" in result.output
    assert "Traceback" not in result.output
    assert _tree(repo / "site") == before


def test_another_plugins_page_events_keep_a_build_in_one_process(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "hooks.py").write_text("def on_page_context(context, page, config, nav):\n    return context\n",
                                       encoding="utf-8")
    plain = "site_name: t\ntheme: {name: material}\nplugins: [search]\n"
    (tmp_path / "mkdocs.yml").write_text(plain, encoding="utf-8")
    assert secondcore.may_split(load_config(config_file=str(tmp_path / "mkdocs.yml")).plugins, 10**6) \
        == ((os.cpu_count() or 1) > 1)
    (tmp_path / "mkdocs.yml").write_text(plain + "hooks: [hooks.py]\n", encoding="utf-8")
    assert not secondcore.may_split(load_config(config_file=str(tmp_path / "mkdocs.yml")).plugins, 10**6)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins: [search]\n", encoding="utf-8")  # mkdocs' own search
    assert not secondcore.may_split(load_config(config_file=str(tmp_path / "mkdocs.yml")).plugins, 10**6)
    assert not secondcore.may_split(load_config(config_file=str(tmp_path / "mkdocs.yml")).plugins, 10)
