"""Live data for the authored playbook pages, through mkdocs-macros.

mkdocs.yml sets `render_by_default: false`, so only pages whose front matter says
`render_macros: true` are rendered as Jinja; generated account pages never are, so text from
account files can never run as a template. The tables come from generator.tables, the same
code the generated pages use.

Every macro is a plain function of (site, here, *what the page passes) listed once in
MACROS: what mkdocs-macros registers, the names a page may use and the arguments validation
checks all come from that one table.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import tables

if TYPE_CHECKING:
    from .render import SiteInput


def criteria_table(site: SiteInput, here: str) -> Markup:
    return tables.criteria_table(site.scores.criteria)


def tier_table(site: SiteInput, here: str) -> Markup:
    return tables.tier_table(site.scores.criteria, site.scores)


def tier_counts(site: SiteInput, here: str) -> Markup:
    return tables.tier_counts(site.scores, site.analytics)


def required_sections(site: SiteInput, here: str) -> Markup:
    return tables.required_sections(site.scores.criteria)


def promotion_candidates(site: SiteInput, here: str) -> Markup:
    return tables.promotion_candidates(site.portfolio, site.scores, here)


def account_link(site: SiteInput, here: str, account_id: str) -> Markup:
    return tables.account_link(site.portfolio, account_id, here)


MACROS = {f.__name__: f for f in (criteria_table, tier_table, tier_counts, required_sections,
                                  promotion_candidates, account_link)}
# What mkdocs-macros itself gives a page.
PROVIDED_BY_MKDOCS_MACROS = ("config", "page", "extra", "environment", "plugin", "git", "macros", "filters",
                             "filters_builtin", "navigation", "files", "now", "context", "macros_info", "fix_url")


def page_signature(name: str) -> inspect.Signature:
    """The macro as a page calls it: without the site and page the build supplies."""
    signature = inspect.signature(MACROS[name])
    return signature.replace(parameters=list(signature.parameters.values())[2:])


def define_env(env) -> None:
    def site() -> SiteInput:
        generated = env.conf["plugins"]["kam"].generated
        if generated is None or generated.site is None:
            raise RuntimeError("the kam plugin must run before macros (list it first under plugins)")
        return generated.site

    def bound(function):
        def macro(*args, **kwargs):
            return function(site(), env.page.file.src_uri, *args, **kwargs)
        return macro

    for name, function in MACROS.items():
        env.macro(bound(function), name)
