"""The tree audit: what in the tree `kam render --out` writes would not be inert for an engine
that runs no hook, named at its page, line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from account_playbooks.core.diagnostics import format_text
from account_playbooks.site.audit import audit_page, audit_tree, prose

from .hostile import hostile_repo
from .sitebuild import site_repo

GENERATED = """# Kan-code { #kan-code }

<div class="kam-cards" markdown="1">
<table class="kam-sortable"><tr><th style="text-align:right">n</th><td data-sort="3">3</td></tr></table>
</div>

<p><svg class="kam-chart" role="img" viewBox="0 0 10 10" width="10" style="max-width:10px;min-width:9px"
 xmlns="http://www.w3.org/2000/svg"><title>Name &#123;: onclick=x &#125;</title><rect x="0" y="0" width="1" height="1"/></svg></p>

## Plan { #user-content-__drawer }

Text \\_\\_config, &lt;script&gt; and a [link](https://example.com) and <https://example.com>.

`<script>alert(1)</script>` and `[x](javascript:alert(1))` in code: `{: onclick=x }`

```html
<img src=x onerror=alert(1)>
## __config
```
"""


def _problems(text: str) -> list[str]:
    return [format_text(d) for d in audit_page("docs/p.md", text)]


def test_what_the_generator_writes_passes():
    assert _problems(GENERATED) == []


def test_code_is_blanked_with_its_lines_and_columns_kept():
    text = "a `<b>` c\n```\n<script>\n```\nd"
    assert prose(text) == "a       c\n   \n        \n   \nd"


@pytest.mark.parametrize("line, expected", [
    ("<script>alert(1)</script>", "docs/p.md:3:1: error[E425] raw HTML <script>, which the generator never writes"),
    ('x <img src="p.png" onerror="alert(1)">', "docs/p.md:3:3: error[E425] an event handler `onerror` on <img>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "docs/p.md:3:1: error[E425] a `javascript:` URL in `href` on <a>"),
    ('<div id="__config">x</div>', "docs/p.md:3:1: error[E425] the id `__config` on <div>, in the theme's namespace "
                                   "(ids from account text start with `user-content-`)"),
    ('<p name="__search">x</p>', "docs/p.md:3:1: error[E425] the attribute `name` on <p>, which the generator never writes"),
    ('<td style="background:url(https://t.example/p.png)">x</td>',
     "docs/p.md:3:1: error[E425] a style on <td> that sets more than alignment and width"),
    ("A paragraph.\n{: #__toc }", "docs/p.md:4:1: error[E425] the id `__toc` from an attribute list, in the theme's namespace"),
    ('Title {: onclick="alert(1)" }', "docs/p.md:3:7: error[E425] an attribute list `{ onclick=\"alert(1)\"  }` that "
                                      "sets more than an id"),
    ("## __drawer", "docs/p.md:3:1: error[E425] a heading whose anchor `__drawer` is in the theme's namespace (it "
                    "needs an id `user-content-...`)"),
    ("[deck](vbscript:msgbox(1))", "docs/p.md:3:8: error[E425] a link with the unsafe scheme `vbscript:`"),
    ("[deck][evil]\n\n[evil]: javascript:alert(1)", "docs/p.md:5:9: error[E425] a link with the unsafe scheme `javascript:`"),
])
def test_each_kind_of_unsafe_markup_is_named_where_it_is(line, expected):
    assert _problems(f"# Page\n\n{line}\n") == [expected]


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory):
    """The tree of the hostile portfolio, unsafe links and outside images included (the rules that
    refuse them set aside): what the generator writes for the worst account files."""
    import account_playbooks.validate as validate_stage
    from account_playbooks.site.build import generate
    from account_playbooks.site.export import export
    from account_playbooks.validate import links

    target = tmp_path_factory.mktemp("audit")
    repo = site_repo(hostile_repo(target, links=True, outside=True), target / "site-repo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate_stage, "FILE_RULES", tuple(
            r for r in validate_stage.FILE_RULES if r not in (links.unsafe_links, links.outside_images)))
        generated = generate(repo, dt.date(2026, 11, 24))
    return export(repo, target / "tree", generated).folder


@pytest.mark.slow
def test_the_hostile_portfolio_renders_to_an_inert_tree(hostile_tree):
    assert len(list((hostile_tree / "docs").rglob("*.md"))) > 40
    assert audit_tree(hostile_tree) == []


@pytest.mark.slow
def test_one_corrupted_page_is_named_with_its_line(hostile_tree, tmp_path):
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(hostile_tree, tree)
    page = tree / "docs" / "accounts" / "kan-code" / "plan.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    lines.insert(5, '<p>Owner <img src="x" onerror="alert(1)"></p>')
    page.write_text("\n".join(lines), encoding="utf-8")
    assert [format_text(d) for d in audit_tree(tree)] == [
        "docs/accounts/kan-code/plan.md:6:10: error[E425] an event handler `onerror` on <img>"]
    # a playbook page the repository trusts with raw HTML is its own
    (tree / "docs" / "playbook" / "raw.md").write_text("<script>alert(1)</script>\n", encoding="utf-8")
    assert len(audit_tree(tree)) == 2 and len(audit_tree(tree, trusted=("playbook/",))) == 1
