"""What a playbook page may contain, decided on its text: the static check of macros and Jinja."""

from __future__ import annotations

import pytest

from account_playbooks.site.macros import MACROS, page_parameters
from account_playbooks.validate.pagerules import MACRO_PARAMETERS, check, raw_html

from .hostile import SSTI


def test_the_macros_validation_checks_are_the_macros_the_site_has():
    """validate/ declares what a page may call (it cannot import the site): the site's macros and
    their parameters must be exactly those."""
    assert {name: page_parameters(name) for name in MACROS} == MACRO_PARAMETERS


@pytest.mark.parametrize("payload", SSTI)
def test_the_static_check_finds_every_escape(payload):
    findings = check(payload.replace("{marker}", "m"))
    assert findings and {f.code for f in findings} <= {"E215", "E216"}, findings


def test_nested_loops_are_bounded_by_their_literal_sizes():
    ten = "[" + ", ".join("0" * 1 for _ in range(10)) + "]"
    within = f"{{% set l = {ten} %}}{{% for a in l %}}{{% for b in l %}}{{% for c in l %}}{{% for d in l %}}x" \
             "{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    assert check(within) == []
    beyond = within.replace("x{% endfor %}", "{% for e in l %}x{% endfor %}{% endfor %}", 1)
    assert [(f.code, f.message) for f in check(beyond)] == [
        ("E215", "these loops would run 100,000 times; a page's nested loops may run at most 10,000")]


@pytest.mark.parametrize("body, found", [
    # A span goes on over the lines of its paragraph: its tags are code, the text after it is not.
    ("Write `<div\nclass=x>` here", []),
    ("a `b\nc`<img src=x onerror=alert(1)> `d`", [(2, 3, "<img")]),
    ("- a `<b>\n  c` d", []),
    # An unclosed fence is no fence, and neither is a line superfences does not take as one.
    ("```\n<b>x</b>", [(2, 1, "<b>")]),
    ("```x``` y\n<i>z</i>", [(2, 1, "<i>")]),
    ("```html\n<div>code</div>\n```", []),
])
def test_raw_html_is_found_where_the_renderer_reads_prose(body, found):
    """What `kam validate` reports as raw HTML is what neutralise shows as text: the same reading of code."""
    assert list(raw_html(body)) == found
