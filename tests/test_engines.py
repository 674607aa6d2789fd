"""`kam build --engine zensical`: the rendered tree, audited, built by Zensical where `kam build`
puts its site; the hostile scan on its output; a missing engine and an unsafe tree refused."""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner

import account_playbooks.validate as validate_stage
from account_playbooks.cli.commands import main
from account_playbooks.site import engines
from account_playbooks.validate import links

from .hostile import SCRIPT_CLASSES, TEXT_PAYLOADS, THEME_IDS, hostile_repo, unsafe_markup
from .sitebuild import PROJECT, build, site_repo, visible_text
from .test_safety import _elements, _head_title, assert_theme_ids_kept

zensical = pytest.importorskip("zensical", reason="the engines' tests need zensical (pip install -e '.[test]')")


def _build(repo, *extra):
    return build(repo, "2026-11-24", "--engine", "zensical", *extra)


def test_a_missing_engine_is_an_environment_error_before_anything_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(engines.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(engines.shutil, "which", lambda name: None)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "criteria.yml").write_text("not: [valid\n", encoding="utf-8")  # never read: the engine is checked first
    result = CliRunner().invoke(main, ["--root", str(repo), "build", "--engine", "zensical"])
    assert result.exit_code == 4, result.output
    assert "kam build: the engine zensical is not installed: `pip install zensical`" in result.stderr
    assert "Traceback" not in result.output and not (repo / "site").exists()


def test_an_unknown_engine_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "build", "--engine", "hugo"])
    assert result.exit_code == 2 and "'hugo' is not one of 'mkdocs', 'zensical'" in result.stderr


@pytest.mark.slow
def test_an_unsafe_tree_is_refused_before_the_engine_runs(tmp_path, monkeypatch):
    """Were a template to let markup through, the audit names it in the tree and no engine runs."""
    repo = site_repo(PROJECT, tmp_path / "repo")
    real_export = engines.export

    def leaky_export(*args, **kwargs):
        exported = real_export(*args, **kwargs)
        page = exported.folder / "docs" / "accounts" / "kan-code" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + '\n<p>x <a href="javascript:alert(1)">y</a></p>\n',
                        encoding="utf-8")
        return exported

    def no_engine(*args, **kwargs):
        raise AssertionError("the engine ran on an unsafe tree")

    monkeypatch.setattr(engines, "export", leaky_export)
    monkeypatch.setattr(engines, "_run", no_engine)
    result = _build(repo)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert [line for line in lines if "E425" in line] == [
        f"docs/accounts/kan-code/index.md:{_last_line(repo)}:6: error[E425] a `javascript:` URL in `href` on <a>"]
    assert "not building with zensical: the rendered tree is not inert" in result.stderr
    assert not (repo / "site").exists() and not list(repo.glob(".site.*"))


def _last_line(repo) -> int:
    import datetime as dt

    from account_playbooks.site.build import generate
    from account_playbooks.site.export import export

    tree = export(repo, repo.parent / "plain-tree", generate(repo, dt.date(2026, 11, 24))).folder
    return (tree / "docs" / "accounts" / "kan-code" / "index.md").read_text(encoding="utf-8").count("\n") + 2


@pytest.mark.slow
def test_zensical_builds_the_example_where_kam_build_puts_its_site(tmp_path):
    repo = site_repo(PROJECT, tmp_path / "repo")
    result = _build(repo)
    assert result.exit_code == 0, result.output
    site = repo / "site"
    assert "Kan-code" in visible_text(site / "accounts" / "kan-code" / "index.html")
    assert "Helen Okoro" in visible_text(site / "accounts" / "kan-code" / "stakeholders" / "index.html")
    items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    assert any(i["location"].startswith("accounts/kan-code/stakeholders/") and "Helen Okoro" in i["title"] for i in items)
    assert not list(repo.glob(".site.*"))  # the temporary tree is gone
    by_mkdocs = tmp_path / "mkdocs-site"
    assert build(repo, "2026-11-24", "--site-dir", str(by_mkdocs)).exit_code == 0
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages == {p.relative_to(by_mkdocs).as_posix() for p in by_mkdocs.rglob("*.html")}
    # Every page reads the same (the pack's headings were text in the tree: its wrapper spanned them)
    assert [p for p in sorted(pages) if _article(site / p) != _article(by_mkdocs / p)] == []
    again = _build(repo, "--site-url", "https://example.github.io/accounts/")  # a previous build is replaced
    assert again.exit_code == 0, again.output
    assert "https://example.github.io/accounts/accounts/kan-code/" in (site / "sitemap.xml").read_text(encoding="utf-8")


def _article(page) -> list[str]:
    """The words of a page's article, without the permalinks' marks (Zensical leaves them out of the text)."""
    source = page.read_text(encoding="utf-8")
    if "<article" not in source:
        return []
    article = source[source.index("<article"):source.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", article)).replace("¶", " ").split()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile portfolio, unsafe links and outside images included (the rules that refuse them
    set aside), built by Zensical: no hook, no plugin, only the tree."""
    target = tmp_path_factory.mktemp("hostile-zensical")
    repo = site_repo(hostile_repo(target, links=True, outside=True), target / "site-repo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate_stage, "FILE_RULES", tuple(
            r for r in validate_stage.FILE_RULES if r not in (links.unsafe_links, links.outside_images)))
        result = _build(repo)
    assert result.exit_code == 0, result.output
    return repo / "site"


@pytest.mark.slow
def test_no_page_of_the_hostile_zensical_site_has_markup_that_runs(hostile_site):
    assert len(list(hostile_site.rglob("*.html"))) > 40
    assert unsafe_markup(hostile_site) == []
    sources = [src for page in hostile_site.rglob("*.html")
               for src in re.findall(r'<img[^>]*\ssrc="([^"]*)"', page.read_text(encoding="utf-8"))]
    assert [s for s in sources if "tracker.example.net" in s] == []


@pytest.mark.slow
def test_hostile_text_reads_literally_on_the_zensical_site(hostile_site):
    text = "\n".join(visible_text(page) for page in hostile_site.rglob("*.html"))
    assert [p for p in TEXT_PAYLOADS if " ".join(p.split()) not in text] == []
    titles = [_head_title(page) for page in hostile_site.rglob("*.html")]
    assert any(TEXT_PAYLOADS[0] in title for title in titles)  # the theme override escapes titles here too
    index = json.loads((hostile_site / "search.json").read_text(encoding="utf-8"))["items"]
    assert [i["location"] for i in index if re.search(r"<(script|img|svg|iframe|body|input)\b", i["text"] + i["title"])] == []


@pytest.mark.slow
def test_no_authored_element_takes_a_theme_id_on_the_zensical_site(hostile_site):
    """The issue measured `## __drawer` taking the theme's own id on Zensical: every id from account
    text is namespaced in the tree, so the theme's elements keep theirs."""
    pages = list(hostile_site.glob("accounts/*/*/index.html"))
    assert pages
    for page in pages:
        elements = _elements(page).found
        assert_theme_ids_kept(page, elements)
        # Zensical's theme writes its own skip anchor inside the article
        assert not [e for e in elements if e[4] and (e[1] or "").startswith("__") and e[1] != "__skip"], page
        if page.parent.name in ("plan", "reviews"):
            classes = set().union(*(e[3] for e in elements if e[4]))
            assert not classes & set(SCRIPT_CLASSES), (page, classes & set(SCRIPT_CLASSES))
    plan = _elements(hostile_site / "accounts" / "kan-code" / "plan" / "index.html")
    assert [tag for tag, id_, *_ in plan.found if id_ == "__config"] == ["script"]
    assert {"user-content-__drawer", "user-content-relationships"} <= {e[1] for e in plan.found}


@pytest.mark.slow
def test_a_playbook_heading_named_like_a_theme_id_is_namespaced_on_zensical(tmp_path):
    repo = site_repo(PROJECT, tmp_path / "repo")
    (repo / "playbook" / "clobber.md").write_text(
        "\n\n".join(["# Clobber", *(f"## {name}" for name in THEME_IDS), "A paragraph.\n{: #__config }"]) + "\n",
        encoding="utf-8")
    result = _build(repo)
    assert result.exit_code == 0, result.output
    elements = _elements(repo / "site" / "playbook" / "clobber" / "index.html").found
    assert [e[1] for e in elements if e[4] and (e[1] or "").startswith("__") and e[1] != "__skip"] == []
    assert {f"user-content-{name}" for name in THEME_IDS} <= {e[1] for e in elements}


@pytest.mark.slow
def test_the_engines_warnings_stop_a_strict_build_with_exit_3_and_no_traceback(tmp_path):
    repo = site_repo(PROJECT, tmp_path / "repo")
    page = repo / "playbook" / "tiers.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing section](#nowhere).\n", encoding="utf-8")
    result = _build(repo, "--strict")
    assert result.exit_code == 3, result.output
    assert "anchor does not exist" in result.stderr and "Aborted because --strict flag is set" in result.stderr
    assert "not building under --strict: the engine found the warnings above" in result.stderr
    assert "Traceback" not in result.output and not (repo / "site").exists()


def test_the_engines_report_reaches_the_terminal_without_control_characters_or_a_traceback():
    """The engine quotes lines of the tree, account text among them: printed, they carry no escape
    sequence (a title change, a cleared screen) and a Python traceback is cut to its message."""
    report = ("\x1b[33mWarning\x1b[0m: anchor does not exist\n"
              f" 12 │ <p>{TEXT_PAYLOADS[0]}\x1b]0;pwned\x07\x1b[2J</p>\n"
              "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n"
              "RuntimeError: Aborted because --strict flag is set\n")
    lines = engines.engine_output(report)
    assert lines == ["Warning: anchor does not exist", f" 12 │ <p>{TEXT_PAYLOADS[0]}</p>",
                     "Aborted because --strict flag is set"]
    assert not any(ord(c) < 32 for line in lines for c in line)
