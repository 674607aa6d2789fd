"""Authored bodies rendered by the generator: headings for the table of contents, inert HTML."""

from __future__ import annotations

import re

from account_playbooks.site.authored import NAMESPACE, AuthoredRenderer, Heading, Html, slug


def _render(text: str, hosts=(), taken=None):
    return AuthoredRenderer(hosts).render(text, lambda target: f"[{target}](../x/)", set() if taken is None else taken)


def test_top_level_headings_are_handed_back_with_namespaced_anchors():
    pieces = _render("intro\n\n## Relationships\n\ntext\n\n### Sub `code`\n\n- ## inside a list\n")
    assert [type(p).__name__ for p in pieces] == ["Html", "Heading", "Html", "Heading", "Html"]
    assert pieces[1] == Heading(2, "Relationships", NAMESPACE + "relationships")
    assert pieces[3] == Heading(3, "Sub code", NAMESPACE + "sub-code")
    assert "<h2>inside a list</h2>" in pieces[4].html  # not a section of the page: stays in the HTML


def test_two_bodies_on_one_page_never_share_an_anchor():
    taken: set[str] = set()
    first = _render("## Decisions\n\nx", taken=taken)
    second = _render("## Decisions\n\ny", taken=taken)
    assert first[0].anchor == "user-content-decisions" and second[0].anchor == "user-content-decisions_1"


def test_ids_and_in_page_links_carry_the_namespace():
    html = "".join(p.html for p in _render("[a](#__config) b[^n]\n\n```{ #__search }\nx\n```\n\n[^n]: note\n")
                   if isinstance(p, Html))
    assert 'href="#user-content-__config"' in html
    assert 'id="user-content-__search"' in html and 'id="user-content-fn:n"' in html
    assert 'id="__' not in html


def test_raw_html_attribute_lists_and_foreign_classes_are_inert():
    html = "".join(p.html for p in _render(
        '<script>alert(1)</script>\n\npara\n{: #__toc .kam-sortable }\n\n!!! kam-filterable "T"\n    body\n\n'
        "!!! warning\n    kept\n") if isinstance(p, Html))
    assert "&lt;script&gt;" in html and "<script" not in html
    # shown as written, the braces as references: no engine's Markdown reads an attribute list in the tree
    assert "&#123;: #__toc .kam-sortable &#125;" in html and "{" not in html
    assert not [c for c in re.findall(r'class="([^"]*)"', html) if "kam-" in c] and 'id="' not in html
    assert 'class="admonition"' in html and 'class="admonition warning"' in html


def test_images_load_from_the_repository_or_allowed_hosts_only():
    html = _render("![a](pic.png) ![b](https://files.example/b.png) ![c](//evil.example/c.png)",
                   hosts=["files.example"])[0].html
    assert 'src="pic.png"' in html and 'src="https://files.example/b.png"' in html
    assert "evil.example" not in html and 'alt="c"' in html


def test_slug_follows_python_markdown_toc():
    assert slug("Customer's Business") == "customers-business"
    assert slug("Über  Ziele – 2027") == "über-ziele-2027"
    assert slug("!!!") == "section"
