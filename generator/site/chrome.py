"""The theme's page chrome, rendered once for the many pages that see the same one.

Material renders its whole navigation (the sidebar and the tabs), its header and its settings
script for every page, and they were about a third of mkdocs' page building at 1,000 accounts.
An account page is not in the navigation: nothing in it is active, and every link in it is the
same on every page whose relative links to the navigation's pages are the same
(accounts/a/goals/ and accounts/b/goals/, say). Such pages share one rendering of each partial,
made the first time it is needed in a build, when it and every template it includes are the
theme's own; a page in the navigation renders its own, and so does every page for a partial the
repository overrides in its custom_dir (or one that the partial includes, or the translations):
that may write anything of the page. The header differs between such pages by the page's title
alone: it is rendered once with a mark where the title goes, and each page's title is written
there as the theme's own expression writes it. The settings script differs only by how deep the
page is: it is rendered once per depth. The translations are looked up once per build and key.
The output is the same byte for byte: the templates that render it are the theme's, unchanged.

Only the kam plugin installs this, on the Jinja environment of one build; the tree `kam render
--out` writes does not depend on it.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, PrefixLoader, TemplateNotFound, meta, nodes, pass_context
from jinja2.runtime import Context
from mkdocs.utils import get_theme_dir, normalize_url

THEME = "kam-theme"  # the theme's own templates, under this prefix
# The partials made only of the navigation: its sidebar, and its tabs along the top.
NAVIGATION = ("partials/nav.html", "partials/tabs.html")
HEADER = "partials/header.html"
PARTIALS = (*NAVIGATION, HEADER)
# Where the header's title goes in its one rendering for many pages. Markup, both cases and NULs:
# it comes out verbatim only from a header that writes the title as it is (Material's does), and
# no title that went through escaping, striptags or a change of case can look like it.
MARK = "\x00<Kam&Title>\x00"
# Material's header writes the page's title with this expression (partials/header.html); the digit
# says which branch the page takes, so that the header made for it has the same whitespace around it.
TITLE = "{% if page.meta and page.meta.title %}1{{ page.meta.title }}{% else %}0{{ page.title }}{% endif %}"
# Material's translations, imported by base.html for every page and looked up a dozen times in each: the same
# text for a key in every page of a build. Each key is looked up in the theme's module once.
LANGUAGE = "partials/language.html"
LANGUAGE_TEMPLATE = ("{%- if kam_language_shared(config) -%}{%- macro t(key) -%}{{ kam_t(key) }}{%- endmacro -%}"
                     "{%- else -%}{%- import '" + THEME + "/" + LANGUAGE + "' as kam_language with context -%}"
                     "{%- set t = kam_language.t -%}{%- endif -%}")
# Material's base.html ends with a script of its settings, block `config`: the same on every page with the
# same base_url. The page template stays the one it extends; only that block is shared.
PAGE = "main.html"
PAGE_TEMPLATE = ("{%- extends '" + THEME + "/" + PAGE + "' -%}{%- block config -%}"
                 "{%- set kam_key = kam_config_key(page, base_url, config) -%}"
                 "{%- if kam_key is none -%}{{- super() -}}"
                 "{%- else -%}{{- kam_configs[kam_key] if kam_key in kam_configs else kam_keep_config(kam_key, super()) -}}"
                 "{%- endif -%}{%- endblock -%}")


def _nav_urls(items) -> list[str]:
    found = []
    for item in items:
        if getattr(item, "url", None) is not None:
            found.append(item.url)
        found += _nav_urls(getattr(item, "children", None) or ())
    return found


def _linked(nav: Any, config: Any) -> list[str]:
    """Every URL the navigation partials and the header link to, as written before mkdocs makes it relative."""
    extra = config.extra or {}
    return [*_nav_urls(nav.items), getattr(nav.homepage, "url", None) or "", str(extra.get("homepage") or ""),
            str(config.theme.get("logo") or "")]


def nav_key(page: Any, nav: Any, config: Any) -> tuple[str, ...] | None:
    """What the navigation's HTML depends on for `page`: every URL in it as the page links to it.
    None for a page in the navigation (its own entry is active there) or without one."""
    if page is None or nav is None or getattr(page, "url", None) is None or page in nav.pages:
        return None
    return tuple(normalize_url(u, page=page) for u in _linked(nav, config))


def _parts(path: str) -> tuple[str, ...]:
    """`path`'s segments as mkdocs.utils.get_relative_url splits both its arguments (normalised, no leading /)."""
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return tuple(path.split("/")) if path else ()


def _folders(url: str) -> tuple[str, ...]:
    """The folders get_relative_url climbs out of from a page at `url`: a last segment with a dot is a file."""
    folder, _, name = url.rpartition("/")
    return _parts(folder if "." in name else url)


class Keys:
    """nav_key of the pages of one build, each computed once per class of pages that share it.

    get_relative_url(u, page.url) is `..` once for each of the page's folders F after the first
    c it shares with u's segments U, then U after c: it depends on len(F) and c alone. Let S be
    the longest start of F that is a start of any linked URL's segments. F[:c] is a start of U,
    so c <= len(S), and F and S share the same first c segments with U: c is the same computed
    from S. So (len(F), S) determines every relative URL of the key, and nav_key is computed once
    for each (len(F), S): at 1,000 accounts a few dozen times instead of 11,000.
    """

    def __init__(self, nav: Any, config: Any) -> None:
        self.nav, self.config = nav, config
        self.listed = {id(page) for page in nav.pages}  # pages are never copied: identity is `page in nav.pages`
        self.starts = {parts[:n] for parts in map(_parts, _linked(nav, config)) for n in range(len(parts) + 1)}
        self.known: dict[tuple[int, tuple[str, ...]], tuple[str, ...] | None] = {}

    def __call__(self, page: Any) -> tuple[str, ...] | None:
        if page is None or getattr(page, "url", None) is None or id(page) in self.listed:
            return None
        folders = _folders(page.url)
        shared = next(folders[:n] for n in range(len(folders), -1, -1) if folders[:n] in self.starts)
        kind = (len(folders), shared)
        if kind not in self.known:
            self.known[kind] = nav_key(page, self.nav, self.config)
        return self.known[kind]


class _Titled:
    """`page` as the header sees it, with MARK for its title in the place the page's own is read from."""

    def __init__(self, page: Any, in_meta: bool) -> None:
        self._page = page
        self.title = MARK
        self.meta = {**page.meta, "title": MARK} if in_meta else page.meta

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def _theme_own(loader: Any, env: Environment, name: str, theme_dir: str, seen: set[str]) -> bool:
    """Whether the template `name` and every template it includes or imports by a constant name come from the
    theme's folder. Icons are included by computed names: they are SVG files, the same on every page."""
    try:
        source, filename, _ = loader.get_source(env, name)
    except TemplateNotFound:
        return False
    if not filename or os.path.commonpath([os.path.abspath(filename), theme_dir]) != theme_dir:
        return False
    for included in meta.find_referenced_templates(env.parse(source)):
        if included is not None and included not in seen:
            seen.add(included)
            if not _theme_own(loader, env, included, theme_dir, seen):
                return False
    return True


class Chrome:
    """The cached partials of one build: `render` is what each of PARTIALS renders."""

    def __init__(self, env: Environment, theme: Any) -> None:
        self.env, self.theme = env, theme
        self.keys: Keys | None = None
        self.navs: dict[tuple[str, tuple[str, ...]], str] = {}
        self.headers: dict[tuple[tuple[str, ...], str], tuple[str, str]] = {}
        self.shared: dict[str, bool] = {}  # by partial, decided on the first page that could share it
        self.title = env.from_string(TITLE)
        self.configs: dict[str, str] = {}
        self.translations: dict[str, str] = {}
        self.language: Any = None  # the theme's module, made on the first lookup

    def key(self, page: Any, nav: Any, config: Any) -> tuple[str, ...] | None:
        if nav is None:
            return None
        if self.keys is None or self.keys.nav is not nav or self.keys.config is not config:
            self.keys = Keys(nav, config)
        return self.keys(page)

    def _include(self, context: Context, name: str, **changed: Any) -> str:
        """What `{% include THEME/name %}` writes in `context` (with `changed` variables)."""
        template = self.env.get_template(f"{THEME}/{name}")
        variables = {**context.get_all(), **changed} if changed else context.get_all()
        return self.env.concat(template.root_render_func(template.new_context(variables, True)))

    def _shareable(self, name: str, config: Any) -> bool:
        """A partial can be shared if it is the theme's own, and so is every template it includes, and the translations
        it is handed: a repository's own navigation, header, logo, repository link or translations may write anything
        of the page, and render for each."""
        if name not in self.shared:
            theme_dir = self._theme_dir(config)
            self.shared[name] = (bool(theme_dir) and _theme_own(self.theme, self.env, name, theme_dir, {name})
                                 and self.language_shared(config))  # base.html hands every partial its `lang`
        return self.shared[name]

    def _theme_dir(self, config: Any) -> str:
        return os.path.abspath(get_theme_dir(config.theme.name)) if config.theme.name else ""

    def config_key(self, page: Any, base_url: str, config: Any) -> str | None:
        """What the settings script depends on for `page`: base_url, which says how deep the page is. The script
        also links to the theme's search worker in assets/, as deep but not the same from a page under assets/."""
        if page is None or getattr(page, "url", None) is None or _folders(page.url)[:1] == ("assets",):
            return None
        if "config" not in self.shared:
            self.shared["config"] = self._config_shareable(self._theme_dir(config)) and self.language_shared(config)
        return base_url if self.shared["config"] else None

    def _config_shareable(self, theme_dir: str) -> bool:
        """Whether block `config` is the theme's base.html's: base.html is the theme's own, and the page template
        this extends extends it without a block of that name."""
        try:
            source, _, _ = self.theme.get_source(self.env, PAGE)
            _, filename, _ = self.theme.get_source(self.env, "base.html")
        except TemplateNotFound:
            return False
        tree = self.env.parse(source)
        extends = [node.template for node in tree.find_all(nodes.Extends)]
        return (bool(theme_dir) and os.path.commonpath([os.path.abspath(filename), theme_dir]) == theme_dir
                and len(extends) == 1 and isinstance(extends[0], nodes.Const) and extends[0].value == "base.html"
                and all(block.name != "config" for block in tree.find_all(nodes.Block)))

    def keep_config(self, key: str, html: str) -> str:
        self.configs[key] = html
        return html

    def language_shared(self, config: Any) -> bool:
        """Whether the translations are the theme's own: a repository's may say anything, of the page too."""
        if LANGUAGE not in self.shared:
            theme_dir = self._theme_dir(config)
            chosen = f"partials/languages/{config.theme.get('language')}.html"  # imported by a computed name
            self.shared[LANGUAGE] = bool(theme_dir) and all(
                _theme_own(self.theme, self.env, name, theme_dir, {name}) for name in (LANGUAGE, chosen))
        return self.shared[LANGUAGE]

    @pass_context
    def translate(self, context: Context, key: str) -> str:
        if key not in self.translations:
            if self.language is None:
                self.language = self.env.get_template(f"{THEME}/{LANGUAGE}").make_module(context.get_all())
            self.translations[key] = str(self.language.t(key))
        return self.translations[key]

    @pass_context
    def render(self, context: Context, name: str) -> str:
        page, config = context.get("page"), context.get("config")
        key = self.key(page, context.get("nav"), config)
        if key is None or not self._shareable(name, config):
            return self._include(context, name)
        if name != HEADER:
            if (name, key) not in self.navs:
                self.navs[(name, key)] = self._include(context, name)
            return self.navs[(name, key)]
        title = self.title.render(page=page)
        branch, text = title[0], title[1:]
        if (key, branch) not in self.headers:
            html = self._include(context, name, page=_Titled(page, in_meta=branch == "1"))
            if html.count(MARK) != 1:  # the header does not write the title as it is: it renders for every page
                self.shared[name] = False
                return self._include(context, name)
            before, _, after = html.partition(MARK)
            self.headers[(key, branch)] = (before, after)
        before, after = self.headers[(key, branch)]
        return before + text + after


def install(env: Environment) -> None:
    """Make PARTIALS of `env` the cached ones, and PAGE one whose settings script is; the theme's stay
    reachable under THEME/."""
    theme = env.loader
    assert theme is not None  # mkdocs' theme environment always has its loader
    chrome = Chrome(env, theme)
    cached = {name: "{{- kam_chrome('" + name + "') -}}" for name in PARTIALS}
    own = {**cached, PAGE: PAGE_TEMPLATE, LANGUAGE: LANGUAGE_TEMPLATE}
    env.loader = ChoiceLoader([DictLoader(own), theme, PrefixLoader({THEME: theme})])
    env.globals.update(kam_chrome=chrome.render, kam_config_key=chrome.config_key, kam_configs=chrome.configs,
                       kam_keep_config=chrome.keep_config, kam_language_shared=chrome.language_shared,
                       kam_t=chrome.translate)
