"""The customer's joint plan as a bundle: one folder, one self-contained page (HTML with its CSS inside,
no script, nothing loaded from elsewhere) that a KAM can send, open offline or print.

It renders a `SharedPlan` (analysis.sharing), never an Account, so what the page can show is what the
projection holds. Authored text (shared plan sections, review summaries) goes through the site's
authored-Markdown renderer, then a stricter sanitiser: no images, no ids, links only to full addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..analysis.sharing import SharedPlan
from ..core.errors import ExitCode, KamError
from ..core.formats import label, num
from ..core.urls import url_scheme
from ..core.writes import commit
from .authored import AuthoredRenderer, Heading
from .escape import md_text
from .render import REVIEW_TYPE_NAMES
from .templates import DEFAULT_TEMPLATES, template_file

TEMPLATE = "joint-plan.html.j2"
STYLESHEET = "assets/joint-plan.css"
PAGE = "index.html"
HORIZON_NAMES = {"short": "Short term", "mid": "Mid term", "long": "Long term"}
NOT_SHARED = "(not shared)"  # a wiki-link the projection gave no name: validation (E604) stops it first

# What authored HTML may keep on the customer's page: the prose and tables Markdown writes, without
# images (nothing is loaded), ids (no page to link into) or anything the site's own markup adds.
_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h3", "h4",
         "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
         "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "div": {"class"}, "p": {"class"}, "td": {"align"}, "th": {"align"}}


@dataclass(frozen=True)
class Bundle:
    folder: Path
    page: Path


def _full_address(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if url_scheme(value) in ("http", "https", "mailto") else None
    return value


# nh3's output never nests links, so a link's text runs to the first </a>.
_LINK_WITHOUT_HREF = re.compile(r"<a(?=[\s>])(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)


def clean(html: str) -> str:
    """Authored HTML as the customer's page may hold it; a link whose address was dropped becomes its text."""
    import nh3

    kept = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_full_address,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return _LINK_WITHOUT_HREF.sub(r"\1", kept)


class _Text:
    """Authored Markdown of the shared plan to inert HTML; wiki-links become the names the plan holds."""

    def __init__(self, plan: SharedPlan) -> None:
        self.names = plan.names
        self.renderer = AuthoredRenderer(())

    def __call__(self, text: str) -> Markup:
        out = []
        for piece in self.renderer.render(text, self._name, set()):
            if isinstance(piece, Heading):  # under the section's own h2 (h3 in a review): one level down at least
                level = min(piece.level + 2, 6)
                out.append(f"<h{level}>{Markup.escape(piece.text)}</h{level}>")
            else:
                out.append(clean(piece.html))
        return Markup("\n".join(out))

    def _name(self, target: str) -> str:
        return str(md_text(self.names.get(target, NOT_SHARED)))


def page(plan: SharedPlan, templates: Path) -> str:
    """The bundle's page: the template with its stylesheet written in."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(templates)), FileSystemLoader(str(DEFAULT_TEMPLATES))]),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(label=label, num=num)
    css = template_file(templates, STYLESHEET).read_text(encoding="utf-8")
    return env.get_template(TEMPLATE).render(
        plan=plan, text=_Text(plan), css=Markup(css.replace("</", "<\\/")), horizons=HORIZON_NAMES,
        review_types=REVIEW_TYPE_NAMES)


def check_out(out: Path, force: bool) -> None:
    """Refuse a folder that holds anything but a previous bundle (unless `force`): nothing else is overwritten."""
    if force or not out.is_dir():
        return
    others = sorted(p.name for p in out.iterdir() if p.name != PAGE)
    if others:
        raise KamError(f"{out} holds files that are not a joint plan ({', '.join(others[:3])}); nothing was "
                       "written (use --force, or another --out)", exit_code=ExitCode.USAGE, option="--out")


def write_bundle(plan: SharedPlan, out: Path, templates: Path, *, force: bool = False) -> Bundle:
    check_out(out, force)
    commit(out, {PAGE: page(plan, templates)})
    return Bundle(out, out / PAGE)


def customer_bundle(root: Path, today, account_id: str | None, out: Path | None, *, force: bool = False):
    """`kam build --audience customer --account ID`: validate (the whole repository, as for a site), then
    write the account's joint plan. Returns (what validation found, the bundle, the plan)."""
    from ..analysis.sharing import shared_plan
    from ..core.diagnostics import summary
    from ..core.text import suggest
    from ..scoring.check import check
    from .build import TEMPLATES

    if not account_id:
        raise KamError("the customer audience gets one account's joint plan: name it with --account ID",
                       exit_code=ExitCode.USAGE, option="--account")
    target = (out or Path(f"joint-plan-{account_id}")).resolve()
    check_out(target, force)
    validated = check(root, today)
    if not validated.ok:
        raise KamError(f"not building: {summary(validated.diagnostics)}", diagnostics=validated.diagnostics)
    account = validated.portfolio.accounts_by_id.get(account_id)
    if account is None:
        known = sorted(validated.portfolio.accounts_by_id)
        raise KamError(f"no account {account_id!r} in accounts/{suggest(account_id, known)}",
                       exit_code=ExitCode.USAGE, option="--account")
    plan = shared_plan(account, validated.portfolio.team_by_id, today)
    return validated, write_bundle(plan, target, root / TEMPLATES, force=force), plan
