"""The render stage: account text is inert (never a template, never HTML), output is deterministic."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil

import pytest

from account_playbooks.site.build import generate
from account_playbooks.site.escape import markdown_body, md_text

from .corpus import BASE
from .sitebuild import PROJECT, build, site_path, site_repo

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
    assert first.pages and [p.standalone for p in first.pages] == [p.standalone for p in second.pages]
    paths = [p.path for p in first.pages]
    assert len(paths) == len(set(paths))


def test_a_broken_template_is_reported_with_its_location(tmp_path):
    from account_playbooks.site.render import TemplateProblem

    repo = site_repo(BASE, tmp_path / "repo")
    goals = repo / "site_templates" / "goals.md.j2"
    original = goals.read_text(encoding="utf-8")
    goals.write_text(original.replace("{% for horizon in horizons %}",
                                                               "{% for horizon in horizons %}{{ nonsense.field }}", 1),
                     encoding="utf-8")
    try:
        generate(repo, TODAY)
    except TemplateProblem as exc:
        assert str(exc).startswith("site_templates/goals.md.j2:")
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
    return {p.path: p.standalone for p in generated.pages}


def _rows(page: str) -> list[list[str]]:
    """The cells of every HTML table row the page writes, as text."""
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)]


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _in_currencies(tmp_path, rates: str | None = None):
    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "accounts" / "codehow" / "account.yml", "currency: USD", "currency: GBP")
    _edit(repo / "accounts" / "bluth-company" / "account.yml", "currency: USD", "currency: EUR")
    if rates:
        with (repo / "criteria.yml").open("a", encoding="utf-8") as criteria:
            criteria.write(f"currency: {rates}\n")
    return _pages(repo)


def test_totals_are_per_currency_when_no_rates_are_declared(tmp_path):
    pages = _in_currencies(tmp_path)
    home, analytics = pages["index.md"], pages["analytics.md"]
    assert ("Annual revenue USD 8.9M · GBP 2.8M · EUR 1.1M (kept per currency: criteria.yml declares no "
            "exchange rates); the top 20% of accounts bring 77% of the USD revenue, 100% of the GBP revenue, "
            "100% of the EUR revenue.") in home
    assert "USD 12.8M" not in home and "USD 12.8M" not in analytics  # the old sum across currencies
    assert "4 accounts · annual revenue USD 8.9M · GBP 2.8M · EUR 1.1M" in pages["indexes/region.md"]
    assert ["Gold", "2", "USD 2.0M", "23%", "GBP 2.8M", "100%", "EUR 0", "0%"] in _rows(analytics)
    for code in ("USD", "GBP", "EUR"):  # one revenue chart of each kind per currency, never mixed
        assert home.count(f"<title>Weighted score against annual revenue ({code})</title>") == 1
        assert home.count(f"<title>Annual revenue per tier ({code})</title>") == 1
    scatter_gbp = home.split("<title>Weighted score against annual revenue (GBP)</title>")[1].split("</svg>")[0]
    assert len(re.findall(r'class="dot tier-[^"]*"><title>', scatter_gbp)) == 1 and "Codehow: 7.75" in scatter_gbp


def test_declared_rates_give_one_converted_total(tmp_path):
    pages = _in_currencies(tmp_path, "{base: USD, rates: {EUR: 1.08, GBP: 1.27}}")
    # 6,829,100 + 2,034,880 + 2,803,660 x 1.27 + 1,138,060 x 1.08 = 13,653,733
    assert ("Annual revenue USD 13.7M (EUR, GBP converted to USD at the rates in criteria.yml); "
            "the top 20% of accounts bring 50% of it.") in pages["index.md"]
    assert "1 EUR = 1.08 USD, 1 GBP = 1.27 USD." in pages["criteria.md"]
    assert pages["index.md"].count("<title>Weighted score against annual revenue (USD)</title>") == 1


def test_index_pages_total_revenue_at_the_rates_the_home_page_uses(tmp_path):
    pages = _in_currencies(tmp_path, "{base: USD, rates: {EUR: 1.08, GBP: 1.27}}")
    # The one region holds all four accounts: 13,653,733, the home page's total. Software: 6,829,100 + 2,803,660
    # x 1.27 = 10,389,748; Technology: 2,034,880 + 1,138,060 x 1.08 = 3,263,985.
    assert "Annual revenue USD 13.7M" in pages["index.md"]
    assert "4 accounts · annual revenue USD 13.7M" in pages["indexes/region.md"]
    industry = pages["indexes/industry.md"]
    assert "2 accounts · annual revenue USD 10.4M" in industry and "2 accounts · annual revenue USD 3.3M" in industry
    assert "GBP" not in industry and "EUR" not in industry


def test_a_watch_flag_reads_the_same_in_every_table_and_the_attention_list(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "criteria.yml", "demotion_margin: 0.3", "demotion_margin: 1.5")  # Codehow, 1.25 above Gold: at risk
    text = "".join(_pages(repo).values())
    assert set(re.findall(r'kam-flag-promotion">([^<]*)<', text)) == {"▲ Promotion candidate"}
    assert set(re.findall(r'kam-flag-at(?:_|&#95;)risk">([^<]*)<', text)) == {"▼ At risk"}


@pytest.mark.parametrize("relation", ["Rel.OWNR_OF", '"ownrOf"', '"ownerOf"'])
def test_a_relation_named_other_than_by_the_enum_stops_the_build_at_its_line(tmp_path, relation):
    from account_playbooks.site.render import TemplateProblem

    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "site_templates" / "people.md.j2", "links.of(ref, Rel.OWNER_OF)", f"links.of(ref, {relation})")
    with pytest.raises(TemplateProblem, match=r"^site_templates/people\.md\.j2:8: "):
        generate(repo, TODAY)


def test_the_score_axis_follows_the_criteria_scale(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "criteria.yml", "scale: {min: 1, max: 10}", "scale: {min: 0, max: 100}")
    home = _pages(repo)["index.md"]
    scatter = home.split("<title>Weighted score against annual revenue")[1].split("</svg>")[0]
    heights = [float(y) for y in re.findall(r'<path d="M[\d.]+,([\d.]+) m[^"]*" class="dot [^"]*"><title>', scatter)]
    # the plot runs from y=304 (score 0) up to y=36 (score 100), under the key; kan-code's 9.20 sits near the bottom
    assert len(heights) == 4 and all(36 <= y <= 304 for y in heights)
    assert min(heights) == pytest.approx(304 - 268 * 0.092, abs=0.1)
    assert 'class="small">100</text>' in scatter


@pytest.fixture(scope="module")
def with_history(tmp_path_factory):
    """The example portfolio with a scripted year of history, rendered (no mkdocs)."""
    from .gitrepo import example_history
    from .sitebuild import PROJECT

    repo = tmp_path_factory.mktemp("history") / "repo"
    shutil.copytree(PROJECT, repo, ignore=shutil.ignore_patterns(".venv", "site", "tests", ".git", "test-artifacts",
                                                                 "*.egg-info", "__pycache__", "benchmarks"))
    example_history(repo)
    pages = {p.path: p.standalone for p in generate(repo, TODAY).pages}
    return repo, pages


def test_the_account_overview_shows_tier_since_a_chart_and_the_change_log(with_history):
    _, pages = with_history
    overview = pages["accounts/kan-code/index.md"]
    assert "· Platinum since 2026-08-18" in overview
    assert overview.count('class="dot criteria-mark"') == 3  # two criteria changes and the legend
    rows = _rows(overview)
    log = rows[rows.index(["Date", "What changed", "Cause", "Commit"]) + 1:][:6]
    assert [row[:3] for row in log] == [
        ["2026-11-12", "Growth outlook 6 → 8; score 8.80 → 9.20", "the account's files"],
        ["2026-10-06", "criteria: Platinum threshold: 8.5 → 8", "criteria.yml"],
        ["2026-08-18", "Relationship strength 5 → 8; promoted to Platinum; score 8.20 → 8.80", "the account's files"],
        ["2026-06-30", "criteria: Platinum threshold: 8 → 8.5; moved down to Gold", "criteria.yml"],
        ["2026-04-14", "Strategic fit 6 → 10; promoted to Platinum; score 7.20 → 8.20", "the account's files"],
        ["2026-02-02", "account added", "the account's files"],
    ]
    assert '<a href="https://git.example.com/sales/account-playbooks/commit/' in overview  # repo_url from mkdocs.yml
    other = pages["accounts/acme-corporation/index.md"]
    # Gold since the first commit: that is where history begins, not a tier change
    assert "history begins 2026-02-02, the first commit" in other and "Gold since" not in other
    assert "account added" in other
    assert "since" not in pages["accounts/kan-code/pack.md"].split("## ", 1)[0]  # the printable pack stays out of it


def test_what_changed_lists_moves_by_window_newest_first(with_history):
    _, pages = with_history
    text = pages["changes.md"]
    recent, older = text.split("## 30 to 90 days ago")
    assert '| 2026-11-12 | <a href="../accounts/kan-code/">Kan-code</a> | 8.80 → 9.20 | Growth outlook 6 → 8 |' in recent
    assert "### Tier movements" not in recent and "Nothing in tier movements" in recent  # folded, not "None."
    assert "None." not in text and "0 tier movements, 1 score move" in recent
    assert "| 2026-10-06 | Platinum threshold: 8.5 → 8 |" in older
    assert "2026-06-30" not in text  # more than 90 days before 2026-11-24
    reviews = re.findall(r"\| (2026-\d\d-\d\d) \| <a href=[^>]+>[^<]+</a> \| \[", older)
    assert reviews == sorted(reviews, reverse=True) and len(reviews) == 6


def test_a_young_repository_says_where_history_begins_instead_of_listing_every_account_as_added(tmp_path):
    """One commit: twelve "added" rows and "Platinum since" its date would present the first commit as
    news; the page says where history begins, folds what is empty, and the overview says it too."""
    from .gitrepo import portfolio_repo

    repo = site_repo(portfolio_repo(tmp_path / "git", date="2026-11-20T10:00:00Z"), tmp_path / "repo")
    pages = {p.path: p.standalone for p in generate(repo, TODAY).pages}
    changes = pages["changes.md"]
    assert "History begins 2026-11-20, the first commit" in changes
    assert "the 4 accounts of the first commit" in changes and "| added |" not in changes
    assert "### New and removed accounts" not in changes and "None." not in changes
    overview = pages["accounts/kan-code/index.md"]
    assert "history begins 2026-11-20, the first commit" in overview and "Platinum since" not in overview


def test_without_git_the_site_says_history_comes_with_commits(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    pages = {p.path: p.standalone for p in generate(repo, TODAY).pages}
    assert "No history yet" in pages["accounts/kan-code/index.md"] and "No history yet" in pages["changes.md"]


def test_a_repository_without_a_newer_template_builds_with_the_generators_own(tmp_path):
    """A repository made by an older `kam init` lacks templates added since (What changed, the
    preview page, the assets): they come from the generator, the repository's own still win."""
    repo = site_repo(BASE, tmp_path / "repo")
    for name in ("changes.md.j2", "preview.md.j2", "assets/kam.css"):
        (repo / "site_templates" / name).unlink()
    home = repo / "site_templates" / "home.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "\nOur own home template.\n", encoding="utf-8")
    pages = {p.path: p.standalone for p in generate(repo, TODAY).pages}
    assert "# What changed" in pages["changes.md"] and "Our own home template." in pages["index.md"]
    result = build(repo)
    assert result.exit_code == 0, result.output
    assert (repo / "site" / "assets" / "kam.css").read_bytes() == (PROJECT / "site_templates" / "assets" / "kam.css").read_bytes()


def test_a_block_is_html_escaped_for_html_and_the_rest_for_markdown(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "team.yml", "name: Rocco Neubert", 'name: "Rocco *Neubert_ <b>&"')
    (repo / "site_templates" / "people.md.j2").write_text(
        "# People\n\nOutside: {{ person_name('rocco-neubert') }}\n\n"
        "{% call block() %}<p>Inside: {{ person_name('rocco-neubert') }}</p>{% endcall %}\n\n"
        "{% call block(search=False) %}<div>{% call block() %}<p>nested</p>{% endcall %}</div>{% endcall %}\n",
        encoding="utf-8")
    page = next(p for p in generate(repo, TODAY).pages if p.path == "people/index.md")
    assert "Outside: Rocco \\*Neubert\\_ &lt;b&gt;&amp;" in page.markdown  # Markdown reads it
    assert [b.html for b in page.blocks] == ["<p>Inside: Rocco &#42;Neubert&#95; &lt;b&gt;&amp;</p>",
                                             "<div><p>nested</p></div>"]  # no Markdown reads these
    assert [b.searchable for b in page.blocks] == [True, False]
    after_markdown = "<h1>People</h1>\n<p>Outside</p>\n<!--kam-block-0-->\n<!--kam-block-1-->"
    assert page.fill(after_markdown) == f"<h1>People</h1>\n<p>Outside</p>\n{page.blocks[0].html}\n{page.blocks[1].html}"
    assert "<div><p>nested" not in page.fill(after_markdown, searchable_only=True)
    assert page.unplaced(after_markdown) == 0 and page.unplaced("<h1>People</h1>\n<!--kam-block-1-->") == 1
    assert "<p>Inside: Rocco &#42;Neubert&#95; &lt;b&gt;&amp;</p>" in page.standalone  # for other engines


@pytest.mark.slow  # builds the site with mkdocs
def test_a_block_markdown_swallowed_is_reported_not_silently_dropped(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    (repo / "site_templates" / "people.md.j2").write_text(
        "# People\n\n```\n{% call block() %}<p>in a fence</p>{% endcall %}\n```\n", encoding="utf-8")
    result = build(repo)
    assert "people/index.md: 1 block(s) of HTML from site_templates/ were lost" in result.output + result.stderr


def test_index_anchors_stay_distinct_when_two_values_slug_alike(tmp_path):
    """"Asia/Pacific" and "Asia Pacific" slug alike; each keeps its own heading anchor, and each
    account page links to its own value's heading, not to the other one."""
    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "accounts" / "codehow" / "account.yml", "region: AMER", "region: Asia/Pacific")
    _edit(repo / "accounts" / "bluth-company" / "account.yml", "region: AMER", "region: Asia Pacific")
    pages = _pages(repo)
    index = pages["indexes/region.md"]
    assert "## Asia Pacific { #region-asia-pacific }" in index
    assert "## Asia/Pacific { #region-asia-pacific-2 }" in index
    assert 'href="../../indexes/region/#region-asia-pacific-2">Asia/Pacific<' in pages["accounts/codehow/index.md"]
    assert 'href="../../indexes/region/#region-asia-pacific">Asia Pacific<' in pages["accounts/bluth-company/index.md"]


def test_the_account_page_shows_the_contract_with_days_left_and_the_executive_review_of_its_term(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    _edit(repo / "accounts" / "kan-code" / "account.yml", "tags: [", "contract: {renewal: 2027-01-31, term_months: 36}\ntags: [")
    pages = _pages(repo)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", pages["accounts/kan-code/index.md"])).split())
    assert ("Contract renews 2027-01-31 (in 68 days) · Term 36 months, since 2024-01-31 · executive review held "
            "2026-11-12") in text
    acme = " ".join(html.unescape(re.sub(r"<[^>]+>", "", pages["accounts/acme-corporation/index.md"])).split())
    assert "Contract renews 2027-06-15 (in 203 days) · Term 12 months, since 2026-06-15 · no executive review this term" \
        in acme
    assert "Contract renews" not in pages["accounts/codehow/index.md"]  # no contract, no line


def test_account_pages_rendered_in_two_processes_are_the_pages_of_one(tmp_path, monkeypatch):
    import os

    from account_playbooks.site import render

    repo = site_repo(BASE, tmp_path / "repo")
    one = generate(repo, TODAY)
    calls = tmp_path / "calls"
    rendered = render._account_pages

    def logged(r, site, accounts):
        with calls.open("a", encoding="utf-8") as out:  # the second process's memory is its own: a file is shared
            out.write(f"{os.getpid()} {len(accounts)}\n")
        return rendered(r, site, accounts)

    monkeypatch.setattr(render, "_account_pages", logged)
    monkeypatch.setattr(render, "SPLIT_FROM", 2)
    monkeypatch.setattr(render, "CHUNK", 1)
    monkeypatch.setattr(render.os, "cpu_count", lambda: 2)  # the split is tested on any machine
    two = generate(repo, TODAY, split=True)
    assert two.pages == one.pages
    renderers = [int(line.split()[0]) for line in calls.read_text(encoding="utf-8").splitlines()]
    # The second process starts on accounts at once; this one joins after the portfolio's pages.
    assert any(pid != os.getpid() for pid in renderers) and len(renderers) == len(one.site.portfolio.accounts)


def test_a_second_build_in_the_same_process_compiles_no_template_again(tmp_path, monkeypatch):
    """`kam serve` builds again on every save: the templates are compiled once (an edited one again)."""
    from jinja2 import Environment

    repo = site_repo(BASE, tmp_path / "repo")
    generate(repo, TODAY)
    compiled: list[str | None] = []
    compile_template = Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_template(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counted)
    again = generate(repo, TODAY)
    assert again.pages and compiled == []
    template = repo / "site_templates" / "goals.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    edited = generate(repo, TODAY)
    assert compiled == ["goals.md.j2"]  # the edited template only, and its edit shows
    assert all("Edited." in p.markdown for p in edited.pages if p.path.endswith("/goals.md"))


def test_runs_of_blocks_handed_to_markdown_as_one_give_the_same_html(tmp_path):
    """mkdocs is handed each page's compact Markdown (a run of placeholders as one): once the
    blocks are filled in, the HTML and the searchable text are those of the page as written."""
    import markdown

    from .test_mdtext import MKDOCS_EXTENSIONS

    pages = generate(site_repo(BASE, tmp_path / "repo"), TODAY).pages
    fewer = 0
    for page in pages:
        plain = markdown.Markdown(extensions=MKDOCS_EXTENSIONS).convert(page.markdown)
        compact = markdown.Markdown(extensions=MKDOCS_EXTENSIONS).convert(page.compact)
        assert page.fill(compact) == page.fill(plain), page.path
        assert page.fill(compact, searchable_only=True) == page.fill(plain, searchable_only=True), page.path
        assert page.unplaced(compact) == page.unplaced(plain) == 0, page.path
        fewer += page.compact.count("<!--kam-block-") < page.markdown.count("<!--kam-block-")
    assert fewer > len(pages) / 2
