"""The mkdocs plugin: a thin layer that runs the pipeline and hands its pages to mkdocs.

`mkdocs build` and `mkdocs serve` from the repo root go through here. Pages are virtual
files (nothing is written into the repository), the authored playbook is served under
playbook/, and serve also watches the account files, criteria.yml, team.yml and templates.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..core.codes import Severity
from ..core.collector import relaxed_collector
from ..core.diagnostics import format_text, stops_strict, summary
from ..core.errors import KamError
from ..history import gitlog
from ..scoring.check import BuildCache, reference_date
from . import chrome, incremental, searchindex, secondcore
from .build import ASSETS, TEMPLATES, THEME_OVERRIDES, Generated, generate, read_timeline
from .calendars import site_feeds
from .escape import md_text
from .onemarkdown import SharedMarkdown, shareable
from .render import CompiledTemplates, RenderedPage, review_redirects
from .safety import sanitize_html
from .templates import template_file

log = get_plugin_logger("kam")
# What Material's search takes out of every page's content (material/plugins/search/plugin.py, on_page_context).
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
# Threads that sanitise generated pages and cut their search entries while mkdocs goes on with
# the next pages: nh3 releases the GIL, so on two cores that work leaves the build's path. 0: none.
SANITIZERS = 1
# Generated pages converted by one Markdown instance (onemarkdown.py) rather than one each. False: mkdocs' own.
SHARE_MARKDOWN = True
WATCHED = ("accounts", "criteria.yml", "team.yml", TEMPLATES)


RETIRED_MACROS_PLUGIN = ("mkdocs.yml lists the `macros` plugin (mkdocs-macros), which kam no longer uses: kam expands "
                         "playbook macros itself, in a sandbox, and mkdocs-macros renders no page. Remove `- macros:` "
                         "and its options from `plugins:` in mkdocs.yml.")


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


class KamConfig(Config):
    today = c.Optional(c.Type(str))  # YYYY-MM-DD; $KAM_TODAY wins, then the real date
    playbook_prefix = c.Type(str, default="playbook")
    # A trust decision: raw HTML in a playbook page runs in every reader's browser, and anyone who
    # can open a pull request can edit the playbook. Off, it is a validation error and shown as text.
    playbook_html = c.Type(bool, default=False)
    # Only these accounts' pages (`kam serve --focus` sets it): seconds per edit on a large portfolio,
    # scores and checks still over the whole portfolio. A preview: a build that is not served says so.
    focus = c.ListOfItems(c.Type(str), default=[])
    # What `kam build` generated and validated already (a Python object: set by the caller on the
    # loaded configuration, never written in mkdocs.yml), so that nothing is done twice.
    pregenerated = c.Optional(c.Type(Generated))
    # Whom the site is for (criteria.yml's audiences): `internal`, the default, leaves out confidential accounts.
    audience = c.Type(str, default="internal")


class KamPlugin(BasePlugin[KamConfig]):
    def __init__(self) -> None:
        self.generated: Generated | None = None
        self.serving = False
        self.history_for: tuple[str | None, object] | None = None
        self.cache: BuildCache | None = None
        self.legacy_macros = False
        self.root = Path.cwd()
        self.sources: dict[str, str] = {}
        self.rendered: dict[str, RenderedPage] = {}
        self.search_entries: list[dict[str, str]] = []
        self.own_search = False
        self.authored: set[str] = set()  # src_uri of the playbook's own pages
        # A dirty preview (`kam serve`, `mkdocs serve --dirty`): generated pages are written to
        # `staged` and rewritten only when they change, so that mkdocs rebuilds only those.
        self.staged: Path | None = None
        self.written: dict[str, object] = {}
        self.earlier: tuple[object, incremental.Snapshot, Generated] | None = None  # (key, inputs, pages)
        self.searched: dict[str, list[dict[str, str]]] = {}  # a dirty preview's search entries, by page
        self.titles: dict[str, str] = {}  # a dirty preview's page titles, by page
        self.pool: ThreadPoolExecutor | None = None  # one build's sanitisers
        self.theme_templates = CompiledTemplates()  # kept while the plugin is: a preview's rebuilds
        self.sanitized: dict[str, Future[str]] = {}  # a generated page's content, made by a sanitiser
        self.cutting: dict[str, Future[list[dict[str, str]]]] = {}  # its search entries, likewise
        self.markdown: SharedMarkdown | None = None  # one build's instance for generated pages
        # A one-off build of many pages (secondcore.py): generated pages wait here, (page, its HTML
        # from Markdown, whether it has search entries), until the process that writes them takes them.
        self.split = False
        self.pending: dict[str, tuple[RenderedPage, str, bool]] = {}
        self.second: secondcore.SecondProcess | None = None
        self.nav: Any = None  # mkdocs.structure.nav.Navigation, for the second process
        self.skipped_notice: secondcore.SkippedNotice | None = None
        self.taken_entries: dict[str, list[dict[str, str]]] = {}  # search entries of the pages this process took

    def on_startup(self, *, command, dirty) -> None:
        # Having on_startup keeps this object for the whole of `mkdocs serve`: the history read
        # for a commit is kept between rebuilds, since editing files does not change the commits.
        self.serving = command == "serve"
        self.history_for = None
        self.cache = BuildCache() if self.serving else None  # unchanged files are not parsed again
        self.earlier, self.written, self.searched, self.titles = None, {}, {}, {}
        self.staged = Path(tempfile.mkdtemp(prefix="kam-preview-")) if self.serving and dirty else None

    def on_shutdown(self) -> None:
        # mkdocs keeps this object for the process: a later build called as a library (no on_startup) is no preview.
        self.serving, self.history_for, self.cache = False, None, None
        if self.staged is not None:
            shutil.rmtree(self.staged, ignore_errors=True)
        self.staged, self.earlier, self.written, self.searched, self.titles = None, None, {}, {}, {}

    def _history(self):
        head = gitlog.head(self.root)
        if self.history_for is None or self.history_for[0] != head:
            self.history_for = (head, read_timeline(self.root))
        return self.history_for[1]

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        self.legacy_macros = (macros := config.plugins.get("macros")) is not None
        if macros is not None:
            # A repository made before kam expanded macros itself still lists mkdocs-macros; it
            # builds, but mkdocs-macros renders no page (on_page_markdown marks each one).
            macros.config["render_by_default"] = False
            # Info, not a warning: a strict publish of a repository made by an older `kam init` keeps working.
            log.info(RETIRED_MACROS_PLUGIN)
        try:
            today = reference_date(configured=self.config.today)
        except ValueError as exc:
            raise PluginError(f"kam: invalid date for 'today': {exc}") from exc
        generated = self.config.pregenerated
        audience = generated.audience if generated is not None else self.config.audience
        if generated is not None and generated.site is not None and \
                generated.site.directory_urls != config.use_directory_urls:
            generated = None  # links in the pages' HTML were written for the other URL style
        if generated is None:
            focus = frozenset(self.config.focus) or None
            if focus is not None:  # links and nav entries to the pages left out are expected
                config.validation.links.not_found = logging.DEBUG
                config.validation.nav.not_found = logging.DEBUG
                (log.info if self.serving else log.warning)(
                    f"kam: building only the pages of {', '.join(sorted(focus))} (the plugin's focus option): "
                    "a preview, not a site to publish")
            timeline = self._history() if self.serving else None
            # What the pages were made from besides the files: any change renders everything.
            key = (today, config.use_directory_urls, focus, self.history_for and self.history_for[0])
            inputs = incremental.snapshot(self.root) if self.serving else {}
            try:
                with relaxed_collector():  # an entry point of its own: plain `mkdocs build` and serve
                    generated = generate(self.root, today, focus=focus, directory_urls=config.use_directory_urls,
                                         timeline=timeline, cache=self.cache if self.serving else None,
                                         audience=audience, earlier=self._since(key, inputs),
                                         split=not self.serving)
            except KamError as exc:  # a mistake in site_templates/, say: mkdocs prints it, with no traceback
                raise PluginError(f"kam: {exc}") from None
            if self.serving and generated.pages:  # the next save is compared with the last build that made pages
                self.earlier = (key, inputs, generated)
            for d in generated.validated.diagnostics:  # `kam build` printed them already
                # mkdocs --strict stops on any warning logged: what the calendar brings is told
                # at info level, as `kam build --strict` lets it pass.
                report = log.warning if stops_strict(d) else log.info
                (log.error if d.severity is Severity.ERROR else report)(format_text(d))
        if not generated.pages:
            raise PluginError(f"kam: the account files have errors ({summary(generated.validated.diagnostics)}); "
                              "nothing was built. Run `kam validate` for the full list.")
        self.generated = generated
        self.sources = {p.path: p.source for p in generated.pages if p.source}
        self.rendered = {p.path: p for p in generated.pages}
        self.search_entries = []
        search = config.plugins.get("material/search")
        # Material's search reads the pages this plugin leaves to it; generated pages get their
        # entries from their blocks instead (searchindex.py). Any other search reads them all.
        self.own_search = search is not None and bool(getattr(search, "config", {}).get("enabled", True))
        if str(THEME_OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME_OVERRIDES))
        return config

    def _since(self, key, inputs: incremental.Snapshot) -> incremental.Earlier | None:
        """The last build's pages and the accounts edited since, when only account files changed."""
        if self.earlier is None or self.earlier[0] != key:
            return None
        edited = incremental.edited_accounts(incremental.changed(self.earlier[1], inputs))
        last = self.earlier[2]
        return None if edited is None else incremental.Earlier(last.pages, edited,
                                                               last.site.footprint if last.site else None)

    def _generated_file(self, config, path: str, content: str, made_from: object) -> File:
        """A generated file for mkdocs; in a dirty preview, one written only when what it is made
        from changed: mkdocs --dirty builds a file again only when its source is newer than its output."""
        if self.staged is None:
            return File.generated(config, path, content=content)
        source = os.path.join(self.staged, path)  # a string: pathlib costs more than the write, over thousands of pages
        if self.written.get(path) != made_from:  # the staging folder is this plugin's: nothing else writes there
            os.makedirs(os.path.dirname(source), exist_ok=True)
            with open(source, "w", encoding="utf-8") as out:
                out.write(content)
            self.written[path] = made_from
        return File.generated(config, path, abs_src_path=source)

    def on_files(self, files: Files, config) -> Files:
        assert self.generated is not None
        prefix = self.config.playbook_prefix.strip("/")
        out = Files([])
        self.authored = set()
        docs_dir = Path(config.docs_dir).resolve()
        for f in files:
            authored = f.generated_by is None and f.src_dir is not None and Path(f.src_dir).resolve() == docs_dir
            source = f.abs_src_path if authored else None  # a file read from docs_dir always has one
            if source is not None and not _inside(Path(source).resolve(), self.root):
                continue  # reached through a link that leaves the repository (E009): never published
            if source is not None and prefix:  # the authored playbook lives under playbook/; theme files stay put
                moved = File.generated(config, f"{prefix}/{f.src_uri}", abs_src_path=source)
                self.sources[moved.src_uri] = f"{Path(config.docs_dir).name}/{f.src_uri}"
                self.authored.add(moved.src_uri)
                out.append(moved)
            else:
                if authored:
                    self.sources[f.src_uri] = f"{Path(config.docs_dir).name}/{f.src_uri}"
                    self.authored.add(f.src_uri)
                out.append(f)
        for page in self.generated.pages:
            out.append(self._generated_file(config, page.path, page.compact, page))
        if self.staged is not None:
            # The playbook's pages may read the portfolio (macros) and carry Material's search
            # entries: a dirty preview builds them every time, as it builds a page with no output.
            for f in out:
                if f.src_uri in self.authored and os.path.exists(f.abs_dest_path):
                    os.remove(f.abs_dest_path)
        for path, content in review_redirects(self.generated, config.use_directory_urls):
            if out.get_file_from_path(path) is None:
                out.append(self._generated_file(config, path, content, content))
        for asset in ASSETS:
            out.append(File.generated(config, asset, abs_src_path=str(template_file(self.root / TEMPLATES, asset))))
        if self.generated.site is not None:  # links in a calendar are absolute: they need the site's address
            for path, ics in site_feeds(self.generated.site, config.site_url).items():
                out.append(File.generated(config, path, content=ics))
        self.split = (not self.serving and self.staged is None
                      and secondcore.may_split(config.plugins, len(self.generated.pages)))
        if SANITIZERS and not self.split:  # a split build starts its thread after the fork (threads do not survive one)
            self.pool = ThreadPoolExecutor(SANITIZERS, thread_name_prefix="kam-sanitize")
        return out

    def on_nav(self, nav, config, files):
        """A dirty preview does not read the pages it does not build again, and their titles
        would be empty in the navigation of the pages it builds: they keep those of the last build."""
        if self.staged is not None:
            for page in nav.pages:
                if page.file.src_uri in self.titles and not page.file.is_modified():
                    page.title = self.titles[page.file.src_uri]
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        chrome.install(env)  # the navigation rendered once for the pages that see the same one
        env.bytecode_cache = self.theme_templates
        if self.split and self.pending:
            self._split(env, config, files)
        return env

    def _split(self, env, config, files) -> None:
        """Every page has been read: the generated pages are written by this process and a second
        one, each taking them from one end of the list (secondcore.py)."""
        from mkdocs.structure.files import InclusionLevel

        order = list(self.pending)  # the order mkdocs read the pages in, and builds them in
        position = {uri: i for i, uri in enumerate(order)}
        ends = secondcore.Ends(len(order))
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = {f.src_uri: f.page for f in doc_files}
        self.second = secondcore.SecondProcess.start(lambda outcome: self._build_from_the_back(
            outcome, [pages[uri] for uri in reversed(order)], ends, position, config, doc_files, env))

        def take(page) -> bool:
            uri = page.file.src_uri
            if uri not in position or not ends.take_front(position[uri]):
                return False
            content, entries = self._written(page)
            if entries is not None:
                self.taken_entries[uri] = entries
            # Material's search has read the page (still empty) and taken its data-search attributes
            # out of the content: the content put in now is what that leaves.
            page.content = _SEARCH_ATTRIBUTES.sub("", content) if self.own_search else content
            return True

        own = {uri: pages[uri].meta.get("template", "main.html") for uri in order}
        secondcore.install(env, take, lambda page: own[page.file.src_uri])
        for uri in order:
            pages[uri].meta["template"] = secondcore.TAKE_OR_SKIP
        self.skipped_notice = secondcore.SkippedNotice(set(order))
        logging.getLogger("mkdocs.commands.build").addFilter(self.skipped_notice)

    def _build_from_the_back(self, outcome: secondcore.Outcome, pages, ends: secondcore.Ends,
                             position: dict[str, int], config, doc_files, env) -> None:
        """In the second process: pages from the back of the list, until the parent's reach them."""
        from mkdocs.commands.build import _build_page

        for page in pages:
            if not ends.take_back(position[page.file.src_uri]):
                return
            page.content, entries = self._written(page)
            if entries is not None:
                outcome.entries[page.file.src_uri] = entries
            _build_page(page, config, doc_files, self.nav, env)

    def _written(self, page) -> tuple[str, list[dict[str, str]] | None]:
        """A pending generated page's sanitised content, and its search entries if it has any."""
        rendered, html, indexed = self.pending[page.file.src_uri]
        entries = _entries(rendered, html, page.url, escape(page.title or "", quote=False)) if indexed else None
        return _sanitized(rendered, html), entries

    def _sanitize_later(self, page, rendered: RenderedPage, html: str, indexed: bool) -> None:
        if indexed:  # entries() keeps text and a few bare tags only; the index holds HTML, as Material writes it
            self.cutting[page.file.src_uri] = self._later(_entries, rendered, html, page.url,
                                                          escape(page.title or "", quote=False))
        # The page's content is read from on_page_context on, when mkdocs builds the pages after
        # reading them all: it is in place by then (see on_page_context), and never unsanitised.
        self.sanitized[page.file.src_uri] = self._later(_sanitized, rendered, html)

    @event_priority(100)  # before any other plugin reads the page, mkdocs-macros above all
    def on_page_markdown(self, markdown, page, config, files):
        """A playbook page as account_playbooks.site.playbookpage publishes it: macros expanded in the sandbox
        for pages that opt in, raw HTML shown as text unless mkdocs.yml allows it."""
        opted_in = page.meta.get("render_macros") is True
        if self.legacy_macros:  # mkdocs-macros renders no page whose meta says false, whatever else
            page.meta["render_macros"] = False
        if page.file.src_uri in self.rendered and self.markdown is not None:
            self.markdown.take_over(page)
        if page.file.src_uri not in self.authored:
            return markdown
        from .playbookpage import MacroFailure, publishable

        # on_config stops a build with errors, so a page is published only from a site
        assert self.generated is not None and self.generated.site is not None
        try:
            return publishable(markdown, site=self.generated.site, here=page.file.src_uri, macros=opted_in,
                               html=self.config.playbook_html, variables=page.meta)
        except MacroFailure as failure:
            where = self._located(page, markdown, failure)
            if not self.serving:
                raise PluginError(where) from None
            # A preview shows the error on the page, so that one mistake while editing does not stop the server.
            return f'!!! failure "This page failed to render"\n\n    {md_text(where)}\n'

    def _located(self, page, markdown: str, failure) -> str:
        from .playbookpage import body_start

        try:
            text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, TypeError, UnicodeDecodeError):
            text = markdown
        return failure.located(self.sources.get(page.file.src_uri, page.file.src_uri), body_start(text, markdown))

    def on_page_content(self, html, page, config, files):
        """A generated page gets its blocks of HTML back, and only safe markup leaves the build
        (generated pages carry text from account files); so does a playbook page when the
        repository does not allow raw HTML in the playbook (attribute lists can add attributes too)."""
        rendered = self.rendered.get(page.file.src_uri)
        if rendered is None:
            authored = page.file.src_uri in self.authored
            return sanitize_html(html) if authored and not self.config.playbook_html else html
        if lost := rendered.unplaced(html):
            log.warning(f"kam: {page.file.src_uri}: {lost} block(s) of HTML from site_templates/ were lost in "
                        "Markdown (a block inside a code block or an indented line?): put each "
                        "{% call block() %} on lines of its own")
        search = page.meta.get("search") or {}
        indexed = self.own_search and not search.get("exclude")
        if indexed:
            page.meta["search"] = {**search, "exclude": True}  # Material's search skips it: done here
        if self.split:  # sanitised and indexed by the process that writes it, once every page is read
            self.pending[page.file.src_uri] = (rendered, html, indexed)
            return ""
        self._sanitize_later(page, rendered, html, indexed)
        if self.pool is None:  # done already, in turn: the content goes back to mkdocs now
            return self.sanitized.pop(page.file.src_uri).result()
        return ""

    def _later(self, function, *args) -> Future:
        if self.pool is not None:
            return self.pool.submit(function, *args)
        done: Future = Future()
        done.set_result(function(*args))
        return done

    def on_pre_build(self, config):
        self.sanitized, self.cutting, self.pending, self.taken_entries = {}, {}, {}, {}
        shared = SHARE_MARKDOWN and shareable(config["markdown_extensions"])
        self.markdown = SharedMarkdown(config) if shared else None
        self.pool, self.split, self.second = None, False, None  # on_files decides (it knows the pages)

    def _stop_sanitizers(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.pool, self.sanitized, self.cutting, self.markdown, self.pending = None, {}, {}, None, {}
        if self.skipped_notice is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(self.skipped_notice)
            self.skipped_notice = None

    def on_build_error(self, error):
        if self.second is not None:
            self.second.abandon()
            self.second = None
        self._stop_sanitizers()

    def _second_outcome(self) -> None:
        """What the second process did, told as if it had happened here: its log records (so
        --strict counts its warnings), its failure, its pages' search entries."""
        if self.second is None:
            return
        outcome, self.second = self.second.finish(), None
        for name, level, message in outcome.records:
            logging.getLogger(name).log(level, message)
        if outcome.failure is not None:
            raise PluginError(f"kam: writing pages in the second process failed: {outcome.failure}")
        self.searched.update(outcome.entries)
        self.searched.update(self.taken_entries)
        self.taken_entries = {}

    @event_priority(-100)  # after Material's search has written its index
    def on_post_build(self, config):
        self._second_outcome()
        self.searched.update((path, future.result()) for path, future in self.cutting.items())
        self._stop_sanitizers()
        # A dirty preview keeps the entries of the pages it did not build again.
        self.search_entries = [e for path in self.rendered if path in self.searched for e in self.searched[path]]
        if self.staged is None:
            self.searched = {}
        if self.own_search and self.search_entries:
            index = Path(config.site_dir) / "search" / "search_index.json"
            if not searchindex.add_to_index(index, self.search_entries):
                log.warning("kam: no search index at search/search_index.json: generated pages are not searchable")

    @event_priority(100)  # the page's content in place before any other plugin reads it (search indexes it)
    def on_page_context(self, context, page, config, nav):
        if (content := self.sanitized.pop(page.file.src_uri, None)) is not None:
            page.content = content.result()
        if self.staged is not None and page.title is not None:
            self.titles[page.file.src_uri] = page.title
        source = self.sources.get(page.file.src_uri)
        if source and config.repo_url and config.edit_uri:
            page.edit_url = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/" + source
        else:
            page.edit_url = None
        return context

    def on_serve(self, server, config, builder):
        for name in WATCHED:
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        if server.server_address[1] == 0:
            _tell_chosen_port(server)
        return server


def _sanitized(rendered: RenderedPage, html: str) -> str:
    """A generated page's content: its blocks in place, then only safe markup."""
    return sanitize_html(rendered.fill(html))


def _entries(rendered: RenderedPage, html: str, url: str, title: str) -> list[dict[str, str]]:
    """A generated page's search entries, from its blocks marked searchable."""
    return searchindex.entries(rendered.fill(html, searchable_only=True), url, title)


def _tell_chosen_port(server) -> None:
    """Asked for port 0, the system chooses one when the server starts listening (after the first
    build): say which, and make mkdocs' own "Serving on" line say it too rather than port 0."""
    activate = server.server_activate

    def activate_and_tell() -> None:
        activate()
        host, port = server.server_address[:2]
        server.url = f"http://{host}:{port}{server.mount_path}"
        print(f"kam: serving on {server.url}", file=sys.stderr, flush=True)

    server.server_activate = activate_and_tell
