"""A playbook page's macros: the static check, the sandbox behind it, and raw HTML made text."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from account_playbooks.site import tables
from account_playbooks.site.authored import NAMESPACE
from account_playbooks.site.build import generate
from account_playbooks.site.macros import MACROS
from account_playbooks.site.playbookpage import MacroFailure, neutralise, publishable, sandboxed_render
from account_playbooks.validate.pagerules import MACRO_PARAMETERS, raw_html

from .corpus import BASE
from .hostile import CLOBBER_PAYLOADS, SSTI, TEXT_PAYLOADS, THEME_IDS
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


# -- code as Python-Markdown reads it --------------------------------------------------------------

def _site_markdown():
    """Python-Markdown with the extensions of the project's mkdocs.yml, as the site renders a page."""
    import markdown
    import yaml

    config = yaml.safe_load((Path(__file__).parent.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)


_MD = _site_markdown()


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.codes: list[str] = []
        self._code: list[str] | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "code":
            self._code = []
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "code" and self._code is not None:
            self.codes.append("".join(self._code))
            self._code = None

    def handle_data(self, data):
        if self._code is not None:
            self._code.append(data)


def _rendered(markdown_text: str) -> _Elements:
    _MD.reset()
    parsed = _Elements()
    parsed.feed(_MD.convert(markdown_text))
    parsed.close()
    return parsed


_MARKDOWN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "code", "pre", "div", "span", "ul", "ol",
                  "li", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "details", "summary"}
_ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?) ?([\w\-]+(?: +[\w\-]+)*)", re.MULTILINE)


def _authored_attributes(page: str, elements: _Elements) -> list[tuple[str, str, str | None]]:
    """Every tag Markdown does not write and every attribute the toc, tables, superfences and
    admonitions do not write: what an author could only have got through as raw HTML or an attribute list."""
    admonition = {word for words in _ADMONITION.findall(page) for word in words.split()}
    classes = {"headerlink", "highlight", "admonition", "admonition-title"} | admonition
    found = []
    for tag, attrs in elements.tags:
        if tag not in _MARKDOWN_TAGS:
            found.append((tag, "", None))
        for name, value in attrs.items():
            allowed = (
                (name == "id" and tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and value not in THEME_IDS)
                or (name == "id" and (value or "").startswith(NAMESPACE))  # neutralise's own, for a heading
                or (name == "class" and (tag == "span" or set((value or "").split()) <= classes))
                or (name == "href" and tag == "a" and not (value or "").lower().startswith("javascript"))
                or (name == "title" and tag == "a" and value == "Permanent link")
                or (name == "style" and tag in {"th", "td"} and re.fullmatch(r"text-align: \w+;", value or ""))
                or (name == "open" and tag == "details"))
            if not allowed:
                found.append((tag, name, value))
    return found


def _as_text(page: str) -> str:
    """The page with `<` and braces swapped for look-alikes that no Markdown construct reads."""
    return page.replace("<", "\u2039").replace("{", "\u2983").replace("}", "\u2984")


def _skips_differently(page: str) -> bool:
    """Python-Markdown resumes as many characters after a backtick run it cannot close as the run is long;
    where that skips a backtick, how long an escape is moves which text is code (neutralise then escapes
    more, never less, but what code shows is not the author's characters)."""
    longer = page.replace("<", "\u2039" * 4).replace("{", "\u2983" * 6).replace("}", "\u2984" * 6)
    return _rendered(longer).codes != [code.replace("\u2039", "\u2039" * 4).replace("\u2983", "\u2983" * 6)
                                       .replace("\u2984", "\u2984" * 6) for code in _rendered(_as_text(page)).codes]


def _from_text(code: str) -> str:
    return code.replace("\u2039", "<").replace("\u2983", "{").replace("\u2984", "}")


def _shows(code: str) -> re.Pattern[str]:
    """What a code element may show for `code`: its characters, a `<` or brace perhaps escaped (where
    neutralise was not certain the text is code, it escapes it, and code shows an escape as written)."""
    return re.compile("".join({"<": "(?:<|&lt;)", "{": "(?:\\{|&\\#123;)", "}": "(?:\\}|&\\#125;)"}.get(c, re.escape(c))
                              for c in code))


@pytest.mark.parametrize("page, codes", [
    ('Write `{{ account_table(tier="platinum")\n}}` in a page.', ['{{ account_table(tier="platinum")\n}}']),
    ("A call over three lines: `{{ tier_table(\n  tier='gold',\n) }}` ends here.", ["{{ tier_table(\n  tier='gold',\n) }}"]),
    ("- first item with `{{ a\n  }}` wrapped\n- second `<b>{x}</b>`", ["{{ a\n  }}", "<b>{x}</b>"]),
    ("1. a `<div\n   class=x>` tag", ["<div\n   class=x>"]),
    ("Double ``a ` {: #x }\nand <b> ``, then `{y}`.", ["a ` {: #x }\nand <b>", "{y}"]),
    ("| Command | What |\n|---|---|\n| `kam new account <id>` | `{x}` |", ["kam new account <id>", "{x}"]),
])
def test_a_code_span_over_lines_of_a_paragraph_keeps_its_characters(page, codes):
    published = neutralise(page)
    assert _rendered(published).codes == codes
    assert list(raw_html(page)) == []


@pytest.mark.parametrize("page", [
    "a `b\nc`{: #__config } `d`",  # per line, the second line's pair hid an attribute list
    "a `b\nc`<img src=x onerror=alert(1)> `d`",
    "# Heading `a\nb`{: #__config } `c`",  # the heading ends the paragraph: not certain, so escaped
    "- a `b\n- c`<b>x</b> `d`",
    "```x``` y\n{: #__config }",  # not a fence to superfences: the next line is prose
    "```\n<img src=x onerror=alert(1)>",  # never closed: prose
    "``` python title=\"x\"\n<b>x</b>\n```\n<i>y</i>",  # an opener not modelled: all after is prose
    "a\r\r`x\r<b>y</b>`",  # carriage returns are line ends to Markdown
    "``{`a`<img src=x onerror=alert(1)>` ```",  # escaping `{` moves where Markdown resumes after an unclosed ``
    "\t\n- `\n  - <b>`",  # a first line of spaces is indented code: the list after it is a block of its own
    "# &#123;{: #__config }\n\n#{: #__search }\n\n- # __drawer\n\n__toc\n---",  # toc's anchors, wherever a heading is
])
def test_text_the_renderer_reads_as_prose_is_escaped_however_its_backticks_pair(page):
    published = neutralise(page)
    assert _authored_attributes(page, _rendered(published)) == []
    assert not re.search(r'\bid="_', _MD.reset().convert(published))  # the theme's ids start with `_`


_ATOMS = ["`", "``", "```", "{", "}", "{: #__config }", "{: .kam-sortable onclick=alert(1) }", "<b>", "</b>",
          "<img src=x onerror=alert(1)>", "<div id=__config>", "x", " ", "\\", "\\`", "|", "{{ x }}", "#", "-", "*"]
_STARTS = ["", "", "", "- ", "1. ", "# ", "## __config ", "> ", "    ", "  ", "!!! note ", "| ", "|---|---|",
           "---", "[a]: http://x.example ", "```", "~~~", "```text", "  - "]
_LINES = st.one_of(
    st.builds(lambda start, atoms: start + "".join(atoms), st.sampled_from(_STARTS), st.lists(st.sampled_from(_ATOMS), max_size=8)),
    st.sampled_from(["", "", *TEXT_PAYLOADS, *(line for payload in CLOBBER_PAYLOADS for line in payload.split("\n"))]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=10))
def test_no_page_gets_an_attribute_or_a_tag_of_its_authors_through(lines):
    """Whatever its backticks, braces, tags, list markers, headings and blank lines: after neutralise and
    the site's Markdown no element carries an attribute the author wrote, no raw tag survives, and every
    code element shows the author's characters (or, where neutralise was not certain, their escapes)."""
    page = "\n".join(lines)
    text = neutralise(page)
    published = _rendered(text)
    assert _authored_attributes(page, published) == []
    # Where neutralise drops a fence's attributes or gives a heading an id of ours, its structure is its own.
    if not re.search(r"^[ \t>]*(`{3,}|~{3,}).*\{", page, re.MULTILINE) and f"#{NAMESPACE}" not in text \
            and not _skips_differently(page):
        written = [_from_text(code) for code in _rendered(_as_text(page)).codes]
        assert len(published.codes) == len(written)
        for shown, code in zip(published.codes, written, strict=True):
            assert _shows(code).fullmatch(shown), (shown, code)


_PLAIN_LINES = st.one_of(st.just(""), st.builds(
    lambda start, atoms: start + "".join(atoms), st.sampled_from(["", "", "- ", "1. ", "  "]),
    st.lists(st.sampled_from(["`", "``", "{", "}", "<b>", "x", " "]), max_size=8)).filter(
        lambda line: not re.match(r"[ -]*1?\.? *(```|<)", line) and line.strip() not in ("-", "1.")
        and not line.startswith("    ")))
# (a fence-like line, one that may start HTML, an empty list item, indented code: escaped, neutralise not being
# certain of what it is)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PLAIN_LINES, min_size=1, max_size=8))
def test_in_paragraphs_and_lists_every_code_span_shows_exactly_what_the_author_wrote(lines):
    page = "\n".join(lines)
    assume(not _skips_differently(page))
    assert _rendered(neutralise(page)).codes == [_from_text(code) for code in _rendered(_as_text(page)).codes]
