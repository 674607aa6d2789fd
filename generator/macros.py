"""Live data for the authored playbook pages, through mkdocs-macros.

mkdocs.yml sets `render_by_default: false`, so only pages whose front matter says
`render_macros: true` are rendered as Jinja; generated account pages never are, so text from
account files can never run as a template. The tables come from generator.tables, the same
code the generated pages use.
"""

from __future__ import annotations

from . import tables

# What a playbook page may name: our macros, and what mkdocs-macros itself provides.
MACROS = ("criteria_table", "tier_table", "tier_counts", "required_sections", "promotion_candidates",
          "account_link")
PROVIDED_BY_MKDOCS_MACROS = ("config", "page", "extra", "environment", "plugin", "git", "macros", "filters",
                             "filters_builtin", "navigation", "files", "now", "context", "macros_info", "fix_url")


def define_env(env) -> None:
    def state():
        generated = env.conf["plugins"]["kam"].generated
        if generated is None or generated.site is None:
            raise RuntimeError("the kam plugin must run before macros (list it first under plugins)")
        return generated.site

    def here() -> str:
        return env.page.file.src_uri

    @env.macro
    def criteria_table():
        return tables.criteria_table(state().scores.criteria)

    @env.macro
    def tier_table():
        site = state()
        return tables.tier_table(site.scores.criteria, site.scores)

    @env.macro
    def tier_counts():
        site = state()
        return tables.tier_counts(site.scores, site.analytics)

    @env.macro
    def required_sections():
        return tables.required_sections(state().scores.criteria)

    @env.macro
    def promotion_candidates():
        site = state()
        return tables.promotion_candidates(site.portfolio, site.scores, here())

    @env.macro
    def account_link(account_id: str):
        return tables.account_link(state().portfolio, account_id, here())
