"""Live data for the authored playbook pages: the only code a page can reach.

A playbook page whose front matter says `render_macros: true` may call these macros with literal
arguments and use `{% if %}`, `{% for %}` and `{% set name = literal %}`:

    ---
    render_macros: true
    ---
    {{ tier_table() }}
    {% for id in ['acme-corporation', 'kan-code'] %}- {{ account_link(id) }}
    {% endfor %}

Nothing else: no attribute or item access (`x.__class__`, `x['k']`), no `config` or `page`, no
imports or includes, no filters outside a short list. account_playbooks.site.playbookpage checks that on the
parsed template (`kam validate`: E215, E216) and renders in Jinja's sandbox with only these
macros as globals; the kam plugin and `kam render --out` both publish through it. Generated
account pages are never rendered as Jinja, so text from account files never runs as a template.
The tables come from account_playbooks.site.tables, the same code the generated pages use.

Every macro is a plain function of (site, here, *what the page passes) listed in MACROS; the
names and parameters validation checks are declared in validate/pagerules.py (the validation
stage cannot import the site's), and a test keeps the two equal. A new
macro is a reviewed change to this file; it gets the site and the page's path, and returns
Markup built from escaped values.
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


def page_parameters(name: str) -> tuple[str, ...]:
    """What a page passes to the macro: its parameters after the site and the page's path (a test
    holds them equal to validate/pagerules.py's MACRO_PARAMETERS, which validation checks against)."""
    return tuple(inspect.signature(MACROS[name]).parameters)[2:]


def define_env(env) -> None:
    """What mkdocs-macros calls for a repository whose mkdocs.yml still lists it with
    `modules: [account_playbooks.site.macros]`: nothing is registered, since the kam plugin expands every page's
    macros itself and keeps mkdocs-macros from rendering any page (see KamPlugin.on_config)."""
