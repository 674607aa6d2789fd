"""The theme's navigation, rendered once for the many pages that see the same one.

Material renders its whole navigation (the sidebar and the tabs) for every page, and it is
about a fifth of a build at 1,000 accounts. An account page is not in the navigation: nothing
in it is active, and every link in it is the same on every page whose relative links to the
navigation's pages are the same (accounts/a/goals/ and accounts/b/goals/, say). Such pages
share one rendering of the theme's own partials (the repository's custom_dir ones if it has
them), made the first time it is needed in a build; a page in the navigation renders its own.
The output is the same byte for byte: the template that renders it is the theme's, unchanged.

Only the kam plugin installs this, on the Jinja environment of one build; the tree `kam render
--out` writes does not depend on it.
"""

from __future__ import annotations

from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, PrefixLoader
from mkdocs.utils import normalize_url

THEME = "kam-theme"  # the theme's own templates, under this prefix
# The partials made only of the navigation: its sidebar, and its tabs along the top.
PARTIALS = ("partials/nav.html", "partials/tabs.html")


def _cached(name: str) -> str:
    """A template that renders the theme's `name`, or the rendering made for a page that sees the same."""
    return ("{%- set kam_key = kam_nav_key(page, nav, config) -%}"
            "{%- if kam_key is not none and ('" + name + "', kam_key) in kam_navs -%}"
            "{{- kam_navs[('" + name + "', kam_key)] -}}"
            "{%- else -%}{%- set kam_html -%}{%- include '" + THEME + "/" + name + "' -%}{%- endset -%}"
            "{{- kam_keep('" + name + "', kam_key, kam_html) -}}{%- endif -%}")


def _nav_urls(items) -> list[str]:
    found = []
    for item in items:
        if getattr(item, "url", None) is not None:
            found.append(item.url)
        found += _nav_urls(getattr(item, "children", None) or ())
    return found


def nav_key(page: Any, nav: Any, config: Any) -> tuple[str, ...] | None:
    """What the navigation's HTML depends on for `page`: every URL in it as the page links to it.
    None for a page in the navigation (its own entry is active there) or without one."""
    if page is None or nav is None or getattr(page, "url", None) is None or page in nav.pages:
        return None
    extra = config.extra or {}
    urls = [*_nav_urls(nav.items), getattr(nav.homepage, "url", None) or "", str(extra.get("homepage") or ""),
            str(config.theme.get("logo") or "")]
    return tuple(normalize_url(u, page=page) for u in urls)


def install(env: Environment) -> None:
    """Make PARTIALS of `env` the cached ones; the theme's stay reachable under THEME/."""
    navs: dict[tuple[str, tuple[str, ...]], str] = {}

    def keep(name: str, key: tuple[str, ...] | None, html: str) -> str:
        if key is not None:
            navs[(name, key)] = html
        return html

    theme = env.loader
    assert theme is not None  # mkdocs' theme environment always has its loader
    env.loader = ChoiceLoader([DictLoader({name: _cached(name) for name in PARTIALS}), theme,
                               PrefixLoader({THEME: theme})])
    env.globals.update(kam_nav_key=nav_key, kam_navs=navs, kam_keep=keep)
