"""The mkdocs plugin: builds the real site from a fixture repo and checks what people will see."""

from __future__ import annotations

import html
import json
import os
import re

import pytest

from .corpus import BASE
from .sitebuild import broken_links, build, parse, site_path, site_repo, visible_text

pytestmark = pytest.mark.slow  # builds the site with mkdocs, and runs `kam serve`


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    repo = site_repo(BASE, tmp_path_factory.mktemp("site") / "repo")
    result = build(repo)
    assert result.exit_code == 0, result.output
    return repo / "site"


def text_of(path) -> str:
    """The visible text of the page's article (not the navigation or table of contents)."""
    source = path.read_text(encoding="utf-8")
    article = source[source.index("<article"):source.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", article))


def test_account_pages_exist_with_stakeholder_names(built):
    overview = site_path(built, "accounts/kan-code")
    assert overview.exists()
    assert "Kan-code" in text_of(overview)
    stakeholders = text_of(site_path(built, "accounts/kan-code/stakeholders"))
    for name in ("Samuel Whitfield", "Helen Okoro", "Victor Alvarez"):
        assert name in stakeholders
    for page in ("goals", "plan", "reviews"):
        assert site_path(built, f"accounts/kan-code/{page}").exists(), page


def test_every_review_is_a_section_of_one_reviews_page_and_its_old_address_leads_there(built):
    reviews = site_path(built, "accounts/kan-code/reviews")
    page = reviews.read_text(encoding="utf-8")
    for slug in ("2026-11-12-executive-review", "2026-08-19-q2-qbr"):
        assert f'id="{slug}"' in page
        old = site_path(built, f"accounts/kan-code/reviews/{slug}").read_text(encoding="utf-8")
        assert f'content="0; url=../#{slug}"' in old and f'href="../#{slug}"' in old
    # Links elsewhere point at the section, not at the old address.
    overview = site_path(built, "accounts/kan-code").read_text(encoding="utf-8")
    assert 'href="reviews/#2026-08-19-q2-qbr"' in overview and 'href="reviews/2026-08-19-q2-qbr/"' not in overview
    assert re.search(r'<h2 id="2026-08-19-q2-qbr">Q2 2026 business review', page)


def test_search_index_holds_stakeholders_and_plans(built):
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "accounts/kan-code/stakeholders/#helen-okoro" in locations
    everything = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    assert "Victor Alvarez" in everything
    assert "build farm" in everything.lower()


def test_home_opens_with_what_needs_attention_then_lists_accounts_by_tier(built):
    home = text_of(built / "index.html")
    for heading in ("Platinum", "Gold", "Silver"):
        assert heading in home
    attention, portfolio = home[:home.index("Platinum")], home[home.index("Platinum"):]
    assert attention.index("Needs attention") < attention.index("Promotion candidate")
    assert "Bluth Company" in attention and "0.15 below Silver" in attention  # the base fixture's candidate
    assert portfolio.index("Kan-code") < portfolio.index("Codehow")
    assert "Not key accounts: 1 standard account" in " ".join(portfolio.split())  # one click away, not listed


def test_playbook_renders_live_data_and_no_raw_jinja(built):
    tiers = text_of(site_path(built, "playbook/tiers"))
    assert "{{" not in tiers and "{%" not in tiers
    assert "Bluth Company" in tiers  # the promotion candidate, from promotion_candidates()
    assert "Right now the portfolio has 1 Platinum, 2 Gold, 0 Silver, 1 standard" in text_of(
        site_path(built, "playbook/key-accounts"))


def test_criteria_and_people_and_reference_pages(built):
    criteria = text_of(site_path(built, "criteria"))
    assert "Revenue potential" in criteria and "35%" in criteria
    person = text_of(site_path(built, "people/reed-clapper"))
    assert "My accounts" in person and "Kan-code" in person and "Needs attention" in person
    errors = text_of(site_path(built, "reference/diagnostics"))
    assert "E204" in errors and "W301" in errors


def test_every_generated_page_links_to_its_source(built):
    page = site_path(built, "accounts/kan-code/stakeholders").read_text(encoding="utf-8")
    assert "edit/main/accounts/kan-code/stakeholders.yml" in page
    assert "last changed" in page
    playbook = site_path(built, "playbook/tiers").read_text(encoding="utf-8")
    assert "edit/main/playbook/tiers.md" in playbook


def test_no_broken_internal_links_or_anchors(built):
    assert broken_links(built) == []


def test_no_assets_from_other_hosts(built):
    for page in built.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', source):
            pytest.fail(f"{page}: loads {url}")


def test_account_page_size_does_not_carry_the_portfolio(built):
    # Account pages stay out of the global navigation; see benchmarks for the scaling figures.
    overview = site_path(built, "accounts/kan-code").read_text(encoding="utf-8")
    assert "accounts/codehow/stakeholders/" not in overview


def test_build_refuses_bad_input_and_writes_nothing(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    path = repo / "accounts" / "kan-code" / "stakeholders.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: champion", "role: champoin", 1), encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 1
    assert "error[E104]" in result.stderr
    assert not (repo / "site").exists()


_ADDRESS = re.compile(r"kam: serving on (http://127\.0\.0\.1:\d+)(/\S*)")  # the origin, then the site's path
_EPOCH = re.compile(r"livereload\((\d+), \d+\);")  # the build a served page is from (mkdocs' live reload)


class _Preview:
    """`kam serve --port 0` in a real process, stopped with Ctrl-C. The system chooses the port
    and the server says which; every wait is on something the server says, never a fixed sleep."""

    def __init__(self, repo, *options: str, inherit_ignored_interrupts: bool = False) -> None:
        import queue
        import signal
        import subprocess
        import sys
        import threading

        env = {**os.environ, "KAM_TODAY": "2026-11-24", "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "account_playbooks.cli.commands", "--root", str(repo), "serve", "--port", "0", *options],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            # as a shell's background job: SIGINT ignored, a disposition children inherit
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if inherit_ignored_interrupts else None)
        self.lines: queue.Queue[str | None] = queue.Queue()  # stderr as it comes; None when it ends
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.origin = self.url = ""

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)
        self.lines.put(None)

    def ready(self, seconds: float) -> bool:
        """Wait for the line that gives the address: the first build is done and the server listens."""
        import queue
        import time

        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return False
            if line is None:
                return False
            self.log.append(line)
            if found := _ADDRESS.search(line):
                self.origin, self.url = found.group(1), found.group(1) + found.group(2)
                return True
        return False

    def _get(self, url: str, seconds: float = 30) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(url, timeout=seconds) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def status(self, path: str) -> int:
        return self._get(self.url + path)[0]

    def shows(self, path: str, text: str, seconds: float) -> bool:
        """Whether the page shows `text` now or after a rebuild within `seconds`. Between looks, the
        wait is mkdocs' live-reload request, which the server answers when a build newer than the
        page's is served (after a minute at most)."""
        import time

        deadline = time.monotonic() + seconds
        while True:
            page = self._get(self.url + path)[1]
            if text in page:
                return True
            epoch = _EPOCH.search(page)
            left = deadline - time.monotonic()
            if epoch is None or left <= 0:
                return False
            self._get(f"{self.origin}/livereload/{epoch.group(1)}/1", seconds=left)

    def stop(self, signal_name: str = "SIGINT") -> str:
        """Stop it (SIGINT is Ctrl-C: mkdocs removes its temporary site folder); all it wrote to stderr."""
        import signal

        self.process.send_signal(getattr(signal, signal_name))
        self.process.wait(timeout=30)
        while (line := self.lines.get(timeout=30)) is not None:
            self.log.append(line)
        return "".join(self.log)


def test_serve_rebuilds_when_an_account_file_changes(tmp_path):
    """A KAM edits account.yml while `kam serve` runs: the page served changes with it; the
    address is printed before the first build."""
    repo = site_repo(BASE, tmp_path / "repo")
    preview = _Preview(repo)
    page = "accounts/kan-code/"
    try:
        assert preview.ready(90)
        assert preview.shows(page, "Kan-code", 10)
        account = repo / "accounts" / "kan-code" / "account.yml"
        account.write_text(account.read_text(encoding="utf-8").replace("name: Kan-code", "name: Kan-code Renamed"),
                           encoding="utf-8")
        assert preview.shows(page, "Kan-code Renamed", 90)
        # A macro that fails while the KAM edits shows on the preview; the server keeps serving.
        (repo / "playbook" / "failing.md").write_text("---\nrender_macros: true\n---\n# Failing\n\n{{ tier_table() + 1 }}\n",
                                                      encoding="utf-8")
        account.write_text(account.read_text(encoding="utf-8").replace("Kan-code Renamed", "Kan-code Again"),
                           encoding="utf-8")
        assert preview.shows(page, "Kan-code Again", 90) and preview.process.poll() is None
    finally:
        log = preview.stop()
    # kam speaks first, before the (slow, on a large portfolio) first build; the address follows it.
    assert log.splitlines()[0].startswith("kam serve: building the site")


def test_a_focused_preview_builds_only_the_accounts_being_edited(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    preview = _Preview(repo, "--focus", "kan-code")
    try:
        assert preview.ready(90)
        assert preview.shows("accounts/kan-code/goals/", "Kan-code", 10)
        assert preview.shows("", "A focused preview", 10)  # the home page lists what is previewed
        assert preview.status("accounts/acme-corporation/") == 404 and preview.status("analytics/") == 404
        account = repo / "accounts" / "kan-code" / "account.yml"
        account.write_text(account.read_text(encoding="utf-8").replace("name: Kan-code", "name: Kan-code Focused"),
                           encoding="utf-8")
        assert preview.shows("accounts/kan-code/", "Kan-code Focused", 60)
    finally:
        log = preview.stop()
    assert "previewing kan-code;" in log
    assert "WARNING" not in log  # links to the accounts left out are expected in a preview


@pytest.mark.parametrize("stop_with", ["SIGINT", "SIGTERM"])
def test_serve_stops_cleanly_even_started_with_interrupts_ignored(tmp_path, stop_with):
    """A background job inherits an ignored SIGINT; Ctrl-C and a process manager's SIGTERM must
    still stop the server (communicate would time out otherwise), through mkdocs' shutdown."""
    repo = site_repo(BASE, tmp_path / "repo")
    preview = _Preview(repo, "--focus", "kan-code", inherit_ignored_interrupts=True)
    try:
        assert preview.ready(90)
        assert preview.shows("accounts/kan-code/", "Kan-code", 10)
    finally:
        log = preview.stop(stop_with)
    assert preview.process.returncode == 0, log  # it ended on its own, through mkdocs' clean shutdown


def test_a_focus_on_an_unknown_account_says_so(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    from click.testing import CliRunner

    from account_playbooks.cli.commands import main

    result = CliRunner().invoke(main, ["--root", str(repo), "serve", "--focus", "kan-cod"])
    assert result.exit_code == 2 and "no account 'kan-cod'; did you mean 'kan-code'?" in result.stderr


def test_plain_mkdocs_build_strict_from_the_repo_root(tmp_path):
    import os
    import subprocess
    import sys

    repo = site_repo(BASE, tmp_path / "repo")
    env = dict(os.environ, KAM_TODAY="2026-11-24", NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert site_path(repo / "site", "accounts/kan-code/stakeholders").exists()


def test_warnings_build_unless_strict(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    stakeholders = repo / "accounts" / "kan-code" / "stakeholders.yml"  # a key account without a champion
    stakeholders.write_text(stakeholders.read_text().replace("role: champion", "role: influencer", 1))
    refused = build(repo, "2026-11-24", "--strict")
    assert refused.exit_code == 3 and "warning[W305]" in refused.stderr
    assert not (repo / "site").exists()
    result = build(repo, "2026-11-24")
    assert result.exit_code == 0 and "warning[W305]" in result.stderr
    assert (repo / "site" / "index.html").exists()


def test_a_strict_publish_goes_on_when_only_the_calendar_moved(tmp_path):
    """A year on, with no file changed, every key account is overdue: the strict build (the
    publish workflow's) and plain `mkdocs build --strict` both publish, and the site shows it."""
    import subprocess
    import sys

    repo = site_repo(BASE, tmp_path / "repo")
    later = "2027-11-24"
    result = build(repo, later, "--strict")
    assert result.exit_code == 0 and "warning[W301]" in result.stderr
    assert "overdue" in visible_text(site_path(repo / "site", "analytics")).lower()
    env = dict(os.environ, KAM_TODAY=later, NO_MKDOCS_2_WARNING="1")
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "plain")],
                           cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert plain.returncode == 0, plain.stderr
    assert "warning[W301]" in plain.stderr  # told at info level, not counted as a warning


def test_index_pages_group_accounts(built):
    by_tier = text_of(site_path(built, "indexes/tier"))
    assert by_tier.index("Platinum") < by_tier.index("Kan-code") < by_tier.index("Gold") < by_tier.index("Codehow")
    by_region = text_of(site_path(built, "indexes/region"))
    assert "AMER" in by_region and "Bluth Company" in by_region
    assert "largest-account" in text_of(site_path(built, "indexes/tag"))


def test_analytics_page_lists_watch_lists_and_follow_ups(built):
    page = text_of(site_path(built, "analytics"))
    promotion = page[page.index("Promotion candidates"):page.index("At risk of demotion")]
    assert "Bluth Company" in promotion and "raise" in promotion
    assert "Revenue concentration" in page and "Goals at risk or past due" in page


def test_person_page_lists_relationships_and_open_actions(built):
    page = text_of(site_path(built, "people/reed-clapper"))
    assert "Relationships owned" in page and "Victor Alvarez" in page
    assert "Build the cost-per-engineer case for the Raleigh farm" in page  # an open action of the latest review


def test_links_the_generator_writes_follow_use_directory_urls(tmp_path):
    """Links inside blocks are written by the generator, not rewritten by mkdocs: with
    `use_directory_urls: false` they must point at the .html files, and every one must resolve."""
    repo = site_repo(BASE, tmp_path / "repo")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 0, result.output
    site = repo / "site"
    overview = (site / "accounts" / "kan-code" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../people/reed-clapper.html"' in overview and 'href="reviews/index.html#2026-08-19-q2-qbr"' in overview
    assert (site / "accounts" / "kan-code" / "reviews" / "2026-08-19-q2-qbr.html").exists()  # the old address
    assert broken_links(site) == []


def test_boilerplate_is_kept_out_of_the_search_index(built):
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "accounts/kan-code/reviews/#2026-11-12-executive-review" in locations  # the review itself
    everything = " ".join(doc["text"] for doc in index["docs"])
    assert "Reviews attended" not in everything and "<svg" not in everything
    assert "Satisfaction Attendees Actions" not in everything  # the reviews page's summary table
    assert "Source: accounts/" not in everything and "Print pack" not in everything


def test_lists_of_account_facts_are_searched_on_the_account_pages_only(built):
    """Attention lists, a person's goals, actions and relationships repeat what an account's own
    pages say: search finds each fact there, once, not on every list that shows it."""
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_page: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        by_page[page] = by_page.get(page, "") + " " + doc["title"] + " " + doc["text"]
    people = {page: text for page, text in by_page.items() if page.startswith("people/") and page != "people/"}
    assert people and all("Helen Okoro" not in text for text in people.values())  # a relationship owned
    reviews = by_page["accounts/kan-code/reviews/"]
    action = next(a.title for a in _example_actions() if a.title.split()[0] in reviews)
    assert action in reviews and not any(action in text for text in people.values())
    assert action not in by_page.get("attention/", "") and action not in by_page.get("", "")
    assert any("Kan-code" in text for text in people.values())  # a person's own accounts stay searchable


def _example_actions():
    import datetime as dt

    from account_playbooks.scoring.check import check

    account = check(BASE, dt.date(2026, 11, 24)).portfolio.accounts_by_id["kan-code"]
    return [action for review in account.reviews for action in review.meta.actions]


def test_files_linked_from_outside_the_repository_are_never_published(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Salaries\n\nconfidential figures\n", encoding="utf-8")
    repo = site_repo(BASE, tmp_path / "repo")
    (repo / "playbook" / "shared").symlink_to(outside)
    result = build(repo)
    assert result.exit_code == 1
    assert "playbook/shared:1:1: error[E009]" in result.stderr
    assert not (repo / "site").exists()
    # The plugin's own guard, for a build that reaches mkdocs some other way: mkdocs itself
    # follows the link when it lists docs_dir, and the plugin drops what it finds there.
    import datetime as dt

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from account_playbooks.site.build import generate

    (repo / "playbook" / "shared").unlink()
    generated = generate(repo, dt.date(2026, 11, 24))
    (repo / "playbook" / "shared").symlink_to(outside)
    config = load_config(config_file=str(repo / "mkdocs.yml"))
    plugin = config.plugins["kam"]
    plugin.root, plugin.generated = repo.resolve(), generated
    found = get_files(config)
    assert any(f.src_uri == "shared/secret.md" for f in found)  # what mkdocs alone would publish
    kept = config.plugins.on_files(found, config=config)
    assert not any("secret" in f.src_uri for f in kept)
    assert any(f.src_uri == "playbook/index.md" for f in kept)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _tree(folder):
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    before_env = dict(os.environ)
    first = build(repo)
    assert first.exit_code == 0, first.output
    assert (repo / "site").stat().st_mode & 0o777 == 0o777 & ~_umask()  # readable by a web server, as mkdocs makes it
    assert {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"} == \
        {k: v for k, v in before_env.items() if k != "NO_MKDOCS_2_WARNING"}  # the date went to the plugin, not the environment
    site = repo / "site"
    previous = _tree(site)
    (repo / "playbook" / "broken.md").write_text("# Broken\n\n[nowhere](no-such-page.md)\n", encoding="utf-8")
    failed = build(repo, "2026-11-24", "--strict")
    assert failed.exit_code == 3  # mkdocs' warning alone stopped it: warnings under --strict
    assert "previous site was left as it was" in failed.stderr
    assert "no-such-page.md" in failed.stderr  # the warning that stopped the strict build is shown
    assert _tree(site) == previous
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".site")) == []  # no staging left behind
    (repo / "playbook" / "broken.md").unlink()
    again = build(repo)
    assert again.exit_code == 0 and _tree(site) == previous  # same input, same site


def test_a_macro_that_fails_while_rendering_stops_the_build_and_publishes_nothing(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    assert build(repo).exit_code == 0
    previous = _tree(repo / "site")
    # Valid arguments (validation passes), but the expression fails when it runs.
    (repo / "playbook" / "failing.md").write_text("---\nrender_macros: true\n---\n# Failing\n\n{{ tier_table() + 1 }}\n",
                                                  encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 1
    assert "playbook/failing.md:6:1: error[E218] the page failed to render: TypeError" in result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.output
    assert _tree(repo / "site") == previous
    assert not any("Macro Rendering Error" in p.read_text(encoding="utf-8", errors="replace")
                   for p in (repo / "site").rglob("*.html"))


def _toc_titles(page) -> list[str]:
    source = page.read_text(encoding="utf-8")
    toc = source[source.index('data-md-component="toc"'):] if 'data-md-component="toc"' in source else source
    return [html.unescape(re.sub(r"<[^>]+>", "", t)).strip()
            for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', toc, re.S)]


def test_the_listed_text_defects_stay_fixed(built):
    goals = site_path(built, "accounts/acme-corporation/goals")
    assert any("procurement's" in t for t in _toc_titles(goals))  # not procurement&#x27;s
    assert not any("&#" in t or "&amp;" in t for t in _toc_titles(goals))
    criteria = text_of(site_path(built, "criteria"))
    assert "## Customer's Business" in criteria and "\\#x27" not in criteria
    review = text_of(site_path(built, "accounts/kan-code/reviews"))
    assert "Quarterly business review on 2026-08-19" in review and "Qbr" not in review
    overview_html = site_path(built, "accounts/bluth-company").read_text(encoding="utf-8")
    article = overview_html[overview_html.index("<article"):overview_html.index("</article>")]
    assert not re.search(r"<th[^>]*>\s*</th>", article)  # no empty header row
    overview = text_of(site_path(built, "accounts/bluth-company"))
    assert "raise Revenue potential from 7 to 8" in overview and "revenue_potential" not in overview
    team = text_of(site_path(built, "accounts/kan-code"))
    assert "((" not in team and "))" not in team.replace("(every", "")


def test_under_a_sub_path_every_asset_and_link_of_the_404_page_resolves(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    result = build(repo, "2026-11-24", "--site-url", "https://example.com/kam/")
    assert result.exit_code == 0, result.output
    site = repo / "site"
    links = parse(site / "404.html").links
    assert links
    for link in links:
        if link.startswith(("http://", "https://", "mailto:", "#")):
            continue
        assert link.startswith("/kam/"), link  # a root-absolute link would leave the sub-path
        path = link[len("/kam/"):].split("#")[0].split("?")[0]
        target = site / path
        assert (target / "index.html").exists() if path == "" or path.endswith("/") else target.exists(), link


def test_no_html_entity_is_visible_as_text_on_any_page(built):
    """Every page of the site: text a reader sees never shows an escape such as &#x27; or &amp;."""
    shown = []
    for page in sorted(built.rglob("*.html")):
        found = re.findall(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});", visible_text(page))
        if found:
            shown.append(f"{page.relative_to(built)}: {found[:3]}")
    assert shown == []


def test_a_repository_that_still_lists_mkdocs_macros_builds_and_it_renders_no_page(tmp_path):
    """mkdocs.yml from before kam expanded macros itself: it builds, says what to remove, and
    mkdocs-macros interprets nothing, even told to render every page."""
    pytest.importorskip("mkdocs_macros")
    repo = site_repo(BASE, tmp_path / "repo")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - kam:", "  - macros:\n      modules: [account_playbooks.site.macros]\n      render_by_default: true\n  - kam:"),
        encoding="utf-8")
    (repo / "playbook" / "plain.md").write_text("# Plain\n\nSeven times seven: {{ 7*7 }}\n", encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 0, result.output
    plain = visible_text(site_path(repo / "site", "playbook/plain"))
    assert "Seven times seven: {{ 7*7 }}" in plain
    assert "Right now the portfolio has 1 Platinum" in text_of(site_path(repo / "site", "playbook/key-accounts"))
    assert "Remove `- macros:` and its options from `plugins:` in mkdocs.yml" in result.stderr + result.output


def test_raw_html_in_the_playbook_is_kept_where_the_repository_allows_it(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("playbook_html: false", "playbook_html: true"),
                      encoding="utf-8")
    (repo / "playbook" / "grid.md").write_text('# Grid\n\n<div class="grid" data-cols="2">cards</div>\n',
                                               encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 0, result.output
    assert '<div class="grid" data-cols="2">cards</div>' in site_path(repo / "site", "playbook/grid").read_text(
        encoding="utf-8")


def test_the_plugin_state_exists_before_any_event():
    from account_playbooks.site.plugin import KamPlugin

    plugin = KamPlugin()
    assert (plugin.serving, plugin.cache, plugin.history_for, plugin.legacy_macros) == (False, None, None, False)


def test_the_focus_reaches_the_plugin_through_its_configuration_not_the_environment(tmp_path, monkeypatch):
    """`kam serve --focus` hands mkdocs the plugins with the kam plugin's `focus` option set; mkdocs
    serve reads its configuration again for each rebuild, so it is read twice here. A plain build,
    with the old environment variable set, builds everything."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from account_playbooks.site.publish import focused_plugins

    repo = site_repo(BASE, tmp_path / "repo")
    monkeypatch.setenv("KAM_TODAY", "2026-11-24")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("KAM_PREVIEW_ACCOUNTS", "codehow")  # the old channel: read by nothing now
    plugins = focused_plugins(repo, ("kan-code",))
    for attempt in ("first", "rebuild"):
        site = tmp_path / attempt
        config = load_config(config_file=str(repo / "mkdocs.yml"), site_dir=str(site), plugins=plugins)
        assert config.plugins["kam"].config.focus == ["kan-code"]
        mkdocs_build(config)
        assert site_path(site, "accounts/kan-code/stakeholders").exists()
        assert not site_path(site, "accounts/codehow").exists() and not site_path(site, "accounts/acme-corporation").exists()
        assert "A focused preview" in (site / "index.html").read_text(encoding="utf-8")
    plain = load_config(config_file=str(repo / "mkdocs.yml"), site_dir=str(tmp_path / "plain"))
    assert plain.plugins["kam"].config.focus == []
    mkdocs_build(plain)
    assert site_path(tmp_path / "plain", "accounts/acme-corporation").exists()
    assert site_path(tmp_path / "plain", "accounts/codehow").exists()


def test_a_dirty_preview_builds_again_only_the_pages_an_edit_changed(tmp_path, monkeypatch):
    """`kam serve` builds dirty: after a save, mkdocs builds again only the pages whose generated
    source the plugin rewrote; the others keep their files (and their search entries), and what
    was built again is what a full build makes."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.setenv("KAM_TODAY", "2026-11-24")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    repo = site_repo(BASE, tmp_path / "repo")
    preview = tmp_path / "preview"

    def config():
        return load_config(config_file=str(repo / "mkdocs.yml"), site_dir=str(preview))

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        mkdocs_build(first, dirty=True)
        before = {p: p.stat().st_mtime_ns for p in preview.rglob("*.html")}
        account = repo / "accounts" / "kan-code" / "account.yml"
        account.write_text(account.read_text(encoding="utf-8").replace("name: Kan-code", "name: Kan-code Renamed"),
                           encoding="utf-8")
        again = config()
        assert again.plugins["kam"] is first.plugins["kam"]  # as in mkdocs serve: one plugin for all rebuilds
        mkdocs_build(again, dirty=True)
    finally:
        first.plugins.on_shutdown()
    after = {p: p.stat().st_mtime_ns for p in preview.rglob("*.html")}
    rebuilt = {str(p.relative_to(preview)) for p in after if after[p] != before.get(p)}
    assert "accounts/kan-code/index.html" in rebuilt and "index.html" in rebuilt  # the account and the home page
    assert not any(p.startswith(("accounts/codehow/", "accounts/bluth-company/")) for p in rebuilt), sorted(rebuilt)
    assert len(rebuilt) < len(after) / 2
    index = json.loads((preview / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(d["location"].startswith("accounts/codehow/") for d in index["docs"])  # not built again, still found
    assert any("Kan-code Renamed" in d["title"] + d["text"] for d in index["docs"])
    assert build(repo).exit_code == 0
    for page in ("accounts/kan-code/index.html", "accounts/kan-code/goals/index.html", "accounts/codehow/index.html"):
        assert (preview / page).read_bytes() == (repo / "site" / page).read_bytes(), page


def test_pages_sanitised_in_threads_while_mkdocs_goes_on_are_the_same_byte_for_byte(tmp_path, monkeypatch):
    """Generated pages are sanitised (and their search entries cut) by a thread while mkdocs reads
    the next pages; the site is the one a build that does it all in turn writes."""
    import threading

    from account_playbooks.site import plugin

    repo = site_repo(BASE, tmp_path / "repo")
    threads: set[str] = set()
    sanitize = plugin.sanitize_html

    def watched(html: str) -> str:
        threads.add(threading.current_thread().name)
        return sanitize(html)

    monkeypatch.setattr(plugin, "sanitize_html", watched)
    assert build(repo).exit_code == 0
    assert any(name.startswith("kam-sanitize") for name in threads)

    def tree() -> dict[str, bytes]:
        site = repo / "site"  # sitemap.xml.gz aside: gzip records when it was written
        return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
                if p.is_file() and p.name != "sitemap.xml.gz"}

    threaded = tree()
    monkeypatch.setattr(plugin, "SANITIZERS", 0)
    assert build(repo).exit_code == 0
    assert tree() == threaded
