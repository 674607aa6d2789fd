"""A playbook page's macros: the static check, the sandbox behind it, and raw HTML made text."""

from __future__ import annotations

import datetime as dt

import pytest
from markupsafe import Markup

from account_playbooks.site import tables
from account_playbooks.site.build import generate
from account_playbooks.site.macros import MACROS
from account_playbooks.site.playbookpage import MacroFailure, neutralise, publishable, sandboxed_render
from account_playbooks.validate.pagerules import MACRO_PARAMETERS, raw_html

from .corpus import BASE
from .hostile import SSTI
from .sitebuild import site_repo


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    repo = site_repo(BASE, tmp_path_factory.mktemp("page") / "repo")
    generated = generate(repo, dt.date(2026, 11, 24))
    assert generated.site is not None
    return generated.site


@pytest.mark.parametrize("payload", SSTI)
def test_the_sandbox_alone_refuses_every_escape(payload, site, tmp_path):
    """The second wall: were the static check gone, rendering would still fail and run nothing."""
    marker = tmp_path / "ran"
    with pytest.raises(MacroFailure) as failure:
        sandboxed_render(payload.replace("{marker}", str(marker)), site=site, here="playbook/x.md", html=True)
    assert failure.value.code == "E218" and failure.value.message.startswith("the page failed to render: "), failure.value
    assert not marker.exists()


def test_publishing_runs_the_check_first(site, tmp_path):
    marker = tmp_path / "ran"
    body = f"# Tiers\n\n{{{{ cycler.__init__.__globals__.os.popen('touch {marker}') }}}}\n"
    with pytest.raises(MacroFailure) as failure:
        publishable(body, site=site, here="playbook/x.md", macros=True, html=True)
    assert (failure.value.line, failure.value.column, failure.value.code) == (3, 4, "E215")
    assert not marker.exists()


def test_a_legitimate_page_renders_the_macros_tables_with_control_flow(site):
    body = ("---\n{{ tier_table() }}\n{% set title = 'Featured' %}## {{ title|upper }}\n"
            "{% for id in featured %}{{ loop.index }}. {{ account_link(id) }}\n{% endfor %}"
            "{% if featured|length > 1 %}several{% else %}one{% endif %}\n")
    out = publishable(body, site=site, here="playbook/tiers.md", macros=True, html=False,
                      variables={"featured": ["kan-code", "acme-corporation"]})
    table = str(tables.tier_table(site.scores.criteria, site.scores))
    links = [str(tables.account_link(site.portfolio, i, "playbook/tiers.md")) for i in ("kan-code", "acme-corporation")]
    assert out == f"---\n{table}\n## FEATURED\n1. {links[0]}\n2. {links[1]}\nseveral\n"


def test_a_macros_own_html_survives_while_the_authors_is_neutralised(site, monkeypatch):
    monkeypatch.setitem(MACROS, "badge", lambda site, here, text: Markup(f'<span class="kam-badge">{text}</span>'))
    monkeypatch.setitem(MACRO_PARAMETERS, "badge", ("text",))
    out = publishable("<i>{{ badge('Gold') }}</i>", site=site, here="p.md", macros=True, html=False)
    assert out == '&lt;i><span class="kam-badge">Gold</span>&lt;/i>'


def test_raw_html_is_text_unless_the_repository_allows_it(site):
    body = "<script>alert(1)</script> {{ tier_counts() }} {{ '<img src=x onerror=alert(1)>' }}\n`<b>` <https://x.example>"
    counts = str(tables.tier_counts(site.scores, site.analytics))
    shown = publishable(body, site=site, here="playbook/x.md", macros=True, html=False)
    assert shown == (f"&lt;script>alert(1)&lt;/script> {counts} &lt;img src=x onerror=alert(1)>\n"
                     "`<b>` <https://x.example>")
    allowed = publishable(body, site=site, here="playbook/x.md", macros=True, html=True)
    assert allowed.startswith("<script>alert(1)</script> ") and "<img src=x onerror=alert(1)>" in allowed
    assert publishable("<b>x</b>", site=site, here="p.md", macros=False, html=False) == "&lt;b>x&lt;/b>"
    assert publishable("<b>x</b>", site=site, here="p.md", macros=False, html=True) == "<b>x</b>"


def test_the_author_cannot_forge_a_macros_place_in_the_output(site):
    out = publishable("\ue0001.0\ue001 <b>{{ account_link('kan-code') }}", site=site, here="p.md", macros=True,
                      html=False)
    assert out == "\ue0001.0\ue001 &lt;b>" + str(tables.account_link(site.portfolio, "kan-code", "p.md"))


def test_neutralise_keeps_code_and_autolinks():
    text = "a < b <i>x</i>\n```html\n<div>code</div>\n```\n`<b>` <mailto:a@example.com>"
    assert neutralise(text) == "a &lt; b &lt;i>x&lt;/i>\n```html\n<div>code</div>\n```\n`<b>` <mailto:a@example.com>"
    assert list(raw_html(text)) == [(1, 7, "<i>")]


def test_a_failing_macro_is_located_at_its_line(site):
    with pytest.raises(MacroFailure) as failure:
        publishable("# T\n\n{{ tier_table() + 1 }}\n", site=site, here="p.md", macros=True, html=True)
    assert failure.value.line == 3 and failure.value.code == "E218"


def test_a_failure_is_located_in_the_file_the_person_edits():
    """mkdocs hands over the page without its front matter: the line is counted in the file."""
    from account_playbooks.site.playbookpage import body_start

    text = "---\nrender_macros: true\n---\n# T\n\n{{ x }}\n"
    body = "# T\n\n{{ x }}\n"
    assert body_start(text, body) == 4 and body_start(body, body) == 1
    assert body_start(text, "something else") == 1  # not the file's end: counted from the top
    failure = MacroFailure(3, "the page failed to render: TypeError", column=2)
    assert failure.located("playbook/p.md", body_start(text, body)) == \
        "playbook/p.md:6:2: error[E218] the page failed to render: TypeError"
