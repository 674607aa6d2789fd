"""The render stage: account text is inert (never a template, never HTML), output is deterministic."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil

import pytest

from generator.escape import markdown_body, md_text
from generator.pipeline import generate

from .corpus import BASE
from .sitebuild import build, site_path, site_repo

TODAY = dt.date(2026, 11, 24)
HOSTILE = "{{ 7*7 }} {% include 'mkdocs.yml' %} <script>alert(1)</script> {{ config.repo_url }}"


def _inject(repo):
    account = repo / "accounts" / "kan-code" / "account.yml"
    text = account.read_text(encoding="utf-8").replace("headquarters: San Jose, United States",
                                                       f'headquarters: "{HOSTILE}"')
    account.write_text(text, encoding="utf-8")
    stakeholders = repo / "accounts" / "kan-code" / "stakeholders.yml"
    text = stakeholders.read_text(encoding="utf-8")
    text = text.replace("  notes: Signs every commitment", f'  notes: "{HOSTILE} Signs every commitment', 1)
    text = text.replace("November executive review.\n", 'November executive review."\n', 1)
    stakeholders.write_text(text, encoding="utf-8")
    plan = repo / "accounts" / "kan-code" / "strategy.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("## Relationships\n", f"## Relationships\n\n{HOSTILE}\n", 1),
                    encoding="utf-8")


def visible_text(page) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_hostile_account_text_is_shown_literally(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    _inject(repo)
    result = build(repo)
    assert result.exit_code == 0, result.output
    for page in ("accounts/kan-code", "accounts/kan-code/stakeholders", "accounts/kan-code/plan"):
        source = site_path(repo / "site", page).read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in source, page
        text = visible_text(site_path(repo / "site", page))
        assert "{{ 7*7 }}" in text, page
        assert "{% include 'mkdocs.yml' %}" in text, page
        assert "<script>alert(1)</script>" in text, page  # shown as text
        assert "{{ config.repo_url }}" in text, page  # not expanded to the configured URL


def test_md_text_neutralises_markup():
    assert str(md_text("<b>x</b> *y* [z](w) {{ a }}")) == (
        "&lt;b&gt;x&lt;/b&gt; \\*y\\* \\[z\\](w) &#123;&#123; a &#125;&#125;")


def test_markdown_body_keeps_markdown_and_code_but_not_html():
    body = "**bold** <img src=x onerror=alert(1)> `<code>` [[kan-code]]\n```\n<pre>\n```"
    out = str(markdown_body(body, lambda target: f"LINK({target})"))
    assert out.startswith("**bold** &lt;img src=x onerror=alert(1)> `<code>` LINK(kan-code)")
    assert out.endswith("```\n<pre>\n```")


def test_two_renders_are_byte_identical(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    first = generate(repo, TODAY, templates=site_repo(BASE, tmp_path / "with-site") / "site_templates")
    second = generate(repo, TODAY, templates=tmp_path / "with-site" / "site_templates")
    assert first.pages and [p.markdown for p in first.pages] == [p.markdown for p in second.pages]
    paths = [p.path for p in first.pages]
    assert len(paths) == len(set(paths))


def test_a_broken_template_is_reported_with_its_location(tmp_path):
    from generator.render import TemplateProblem

    repo = site_repo(BASE, tmp_path / "repo")
    goals = repo / "site_templates" / "goals.md.j2"
    original = goals.read_text(encoding="utf-8")
    goals.write_text(original.replace("{% for horizon in horizons %}",
                                                               "{% for horizon in horizons %}{{ nonsense.field }}", 1),
                     encoding="utf-8")
    try:
        generate(repo, TODAY)
    except TemplateProblem as exc:
        assert str(exc).startswith("goals.md.j2:")
        assert "nonsense" in str(exc)
    else:
        raise AssertionError("a template error went unreported")
    result = build(repo)
    assert result.exit_code == 1 and "site_templates/goals.md.j2:" in result.stderr
    goals.write_text(original, encoding="utf-8")
    (repo / "site_templates" / "plan.md.j2").write_text("{% if %}", encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 1 and "TemplateSyntaxError" in result.stderr


def _pages(repo) -> dict[str, str]:
    generated = generate(repo, TODAY)
    assert generated.validated.ok, generated.validated.diagnostics
    return {p.path: p.markdown for p in generated.pages}


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_score_axis_follows_the_criteria_scale(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "criteria.yml", "scale: {min: 1, max: 10}", "scale: {min: 0, max: 100}")
    home = _pages(repo)["index.md"]
    scatter = home.split("<title>Weighted score against annual revenue")[1].split("</svg>")[0]
    heights = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', scatter)]
    # the plot runs from y=280 (score 0) up to y=12 (score 100); kan-code's 9.20 sits near the bottom
    assert len(heights) == 4 and all(12 <= y <= 280 for y in heights)
    assert min(heights) == pytest.approx(280 - 268 * 0.092, abs=0.1)
    assert 'class="small">100</text>' in scatter
