"""Hostile text for every field that reaches the site, and a repo that carries it.

The payloads are what an attacker (or a careless paste from a web page) puts into an account
file: markup that would run script, break out of an attribute or a <title>, smuggle a link
scheme, or be read as a template. `hostile_repo` writes them into every text field of the base
fixture, into team.yml and criteria.yml, and into every Markdown heading and body.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .corpus import BASE

# Text that must show literally wherever it lands: titles, headings, tables, SVG, tooltips.
TEXT_PAYLOADS = [
    "Acme</title><img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "</textarea><script>alert(1)</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "<img src=x oNeRrOr=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "{{ 7*7 }} {% raw %}",
    "<style>body{display:none}</style>",
    "<body onload=alert(1)>",
    "<math><mtext></p><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "]]><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<input autofocus onfocus=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<object data="javascript:alert(1)"></object>',
    'Title {: onclick="alert(1)" }',
    '<div markdown="1"><a href="javascript:alert(1)">x</a></div>',
    "`<script>alert(1)</script>`",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "O'Brien & \"Sons\" <b>bold</b>",
]

# Ids that Material's scripts and templates look up (the first element with the id wins), and
# classes our own script acts on: authored content must never carry one of them.
THEME_IDS = ("__config", "__search", "__drawer", "__toc", "__consent", "__settings", "__palette_0", "__palette_1")
SCRIPT_CLASSES = ("kam-sortable", "kam-filterable", "md-header", "md-search")

# Every way account Markdown could give an element an id, a name or a class: headings, fenced
# block attributes, attribute lists, footnotes, abbreviations, definition lists, admonitions,
# details, raw HTML with and without md_in_html.
CLOBBER_PAYLOADS = [
    *(f"## {name}" for name in THEME_IDS),
    "### Heading {#__search}",
    "```{ #__config .kam-filterable data-filter=owner }\n{\"search\": \"data:text/javascript,alert(1)\"}\n```",
    "~~~{.md-header #__drawer}\ncode\n~~~",
    "A paragraph.\n{: #__toc .kam-sortable }",
    "A footnote[^__config] and another[^__search].\n\n[^__config]: note\n[^__search]: note",
    "*[__drawer]: an abbreviation\n\n__drawer is used here.",
    "__settings\n:   a definition",
    "!!! kam-filterable \"Admonition\"\n    body",
    "??? md-search \"Details\"\n    body",
    '<a name="__config" id="__search">x</a>',
    '<div markdown="1" id="__config" class="kam-sortable">*x*</div>',
    '<form id="__consent"><input id="__palette_0"></form>',
    "[jump](#__config) [to a section](#relationships)",
]

# Images from outside hosts: fetched by every reader's browser as the page opens.
OUTSIDE_IMAGES = [
    "![px](http://tracker.example.net/p.png)",
    "![px](//tracker.example.net/p.png)",
    "![px](HTTPS://Tracker.Example.Net/p.png)",
    "![px][pixel]\n\n[pixel]: https://tracker.example.net/p.png",
    "![px](https://user@tracker.example.net:8443/p.png)",
    "![px](https:\\\\tracker.example.net/p.png)",
]

# What an attacker writes into a page with `render_macros: true` to reach Python, read the build's
# configuration or exhaust the build machine. `{marker}` is a file the payload would create.
SSTI = [
    "{{ config.__class__.__init__.__globals__['os'].popen('touch {marker}').read() }}",
    "{{ tier_table().__class__.__mro__[1].__subclasses__() }}",
    "{{ tier_table()|attr('__class__') }}",
    "{{ tier_table()['__class__'] }}",
    "{{ account_link.__globals__['os'].system('touch {marker}') }}",
    "{{ lipsum.__globals__['os'].popen('touch {marker}') }}",
    "{{ cycler.__init__.__globals__.os.popen('touch {marker}') }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{% set ns = namespace(a=1) %}{{ ns }}",
    "{% for i in range(10**9) %}{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{{ '%999999999s' % 1 }}",
    "{{ 2 ** 100000000 }}",
    "{% import 'mkdocs.yml' as m %}{{ m }}",
    "{% include 'team.yml' %}",
    "{% extends 'base.html' %}",
    "{% macro boom() %}{{ boom() }}{% endmacro %}{{ boom() }}",
    "{% set x = config %}{{ x }}",
    "{{ page.meta }}",
    "{{ '{0.__class__}'.format(tier_table()) }}",
    "{{ '%s' % tier_table() }}",
    "{{ '{0.__class__.__mro__}'|format(1) }}",
    "{{ tier_table()|safe }}",
    "{{ ['touch {marker}']|map('system')|list }}",
]


# Links and images in account Markdown whose scheme would run code or load a document.
LINK_PAYLOADS = [
    "[deck](javascript:alert(1))",
    "[deck](JaVaScRiPt:alert(1))",
    "[deck]( javascript:alert(1) )",
    "[deck](vbscript:msgbox(1))",
    "[deck](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![chart](javascript:alert(1))",
    "[deck][evil]\n\n[evil]: javascript:alert(1)",
    "![logo][evilimg]\n\n[evilimg]: data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "[deck](java&#x09;script:alert(1))",
    "[deck](javascript&colon;alert(1))",
    "<javascript:alert(1)>",
    "[deck](<javascript:alert(1)>)",
    '[deck](https://example.com "t\\" onmouseover=\\"alert(1)")',
    "[deck](file:///etc/passwd)",
]

# Links a plan may use: they must survive as links.
SAFE_LINKS = [
    "[the deck](https://example.com/deck.pdf)",
    "[mail the CTO](mailto:cto@example.com)",
    "[see goals](#relationships)",
    "[relative](../goals/)",
]


def _payload(n: int) -> str:
    return TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)]


class _Cycle:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return _payload(self.n)


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _front_matter(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def hostile_repo(target: Path, links: bool = False, outside: bool = False) -> Path:
    """A copy of the base fixture with a payload in every text field; with `links`, every
    Markdown body also carries the unsafe links (which validation rejects), with `outside` the
    images from outside hosts (E220)."""
    repo = target / "repo"
    shutil.copytree(BASE, repo)
    text = _Cycle()
    section = "Risks " + TEXT_PAYLOADS[0]  # a required section whose heading is hostile

    criteria = _load(repo / "criteria.yml")
    for criterion in criteria["criteria"]:
        criterion["name"], criterion["description"] = text(), text()
        criterion["anchors"] = {k: text() for k in criterion["anchors"]}
    for tier in criteria["tiers"]:
        tier["name"] = text()
    criteria["plan"]["required_sections"].append(section)
    _dump(repo / "criteria.yml", criteria)

    team = _load(repo / "team.yml")
    for person in team:
        person["name"], person["role"] = text(), text()
    # Quotes and brackets are refused in an address (E111); what an address may hold is still escaped.
    team[0]["email"] = "x'onmouseover=alert`1`&amp'@example.com"
    _dump(repo / "team.yml", team)

    for index, folder in enumerate(sorted((repo / "accounts").iterdir())):
        account = _load(folder / "account.yml")
        for field in ("name", "industry", "region", "headquarters"):
            account[field] = text()
        for member in account.get("team", []):
            member["role"] = text()
        for score in account["scores"].values():
            score["why"] = text()
        account["crm"] = _bought(index)
        _dump(folder / "account.yml", account)

        stakeholders = _load(folder / "stakeholders.yml")
        for person in stakeholders:
            person["name"], person["title"], person["notes"] = text(), text(), text()
        _dump(folder / "stakeholders.yml", stakeholders)

        goals = _load(folder / "goals.yml")
        for goal in goals:
            goal["title"] = text()
            if goal.get("measure"):
                goal["measure"]["metric"] = text()
        _dump(folder / "goals.yml", goals)

        extra = _markdown_payloads(text, links, outside)
        meta, body = _front_matter(folder / "strategy.md")
        body = body.replace("\n# ", f"\n# {text()} ", 1) if body.startswith("#") or "\n# " in body else body
        body = f"# Plan {text()}\n" + body.split("\n", 1)[1] if body.startswith("# ") else body
        body += f"\n## {section}\n\n{extra}\n"
        meta["asks"] = [{"ask": text()}, {"ask": text()}]
        (folder / "strategy.md").write_text(f"---\n{yaml.safe_dump(meta)}---\n{body}", encoding="utf-8")

        for review in sorted((folder / "reviews").glob("*.md")):
            meta, body = _front_matter(review)
            for action in meta.get("actions", []):
                action["title"] = text()
            body = f"# Review {text()}\n" + body.split("\n", 1)[1] if body.startswith("# ") else body
            body += f"\n## Notes {text()}\n\n{_markdown_payloads(text, links, outside)}\n"
            review.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}", encoding="utf-8")
    return repo


def _bought(index: int) -> dict:
    """A crm record whose products and families are payloads, a different pair for each account
    (taken apart from the cycle, so every other field keeps its payload): each account's white
    space names its peers' products."""
    def payload(n: int) -> str:
        return TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)]
    products = [{"name": payload(index + k), "family": payload(index + k + 7), "won": 1000.0 * (k + 1), "deals": 1}
                for k in (0, 1)]
    return {"source": payload(index + 3), "as_of": "2026-10-31", "imported_on": "2026-11-02",
            "fingerprint": "sha256:0123456789abcdef", "products": products}


def _markdown_payloads(text: _Cycle, links: bool, outside: bool = False) -> str:
    paragraphs = [f"Paragraph with {p} inside." for p in TEXT_PAYLOADS]
    paragraphs += [f"### {text()}", "", *SAFE_LINKS, *CLOBBER_PAYLOADS]
    if links:
        paragraphs += LINK_PAYLOADS
    if outside:
        paragraphs += OUTSIDE_IMAGES
    return "\n\n".join(paragraphs)


SAFE_SCHEMES = ("http", "https", "mailto")
URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background"})


class _Inspector(HTMLParser):
    """Collects what would run: event handlers, unsafe URLs, script with account text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value and not _safe_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "base", "meta") and any(
                "alert" in (v or "") for _, v in attrs):
            self.problems.append(f"<{tag}> from account text")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.problems.append(f"<script> with account text: {data[:80]!r}")


def _safe_url(url: str) -> bool:
    scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    if not scheme:
        return True  # relative, or an anchor
    return scheme.group(1).lower() in SAFE_SCHEMES


def unsafe_markup(site: Path) -> list[str]:
    """Every event handler, unsafe URL or account-text script in the built site's HTML."""
    found = []
    for page in sorted(site.rglob("*.html")):
        inspector = _Inspector()
        inspector.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(site)}: {p}" for p in inspector.problems]
    return found
