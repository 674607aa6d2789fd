"""The QBR brief on paper and on screen: analysis.brief's record laid out as HTML, for the site's page
and for `kam brief`, which writes it as a page of its own and prints it to PDF with headless Chromium.

`render_brief(brief)` is the one layout for both versions. The customer's version is a different record
(analysis.brief.customer_brief_of, built from what the files mark as shared), not this layout hiding
parts of ours: it has no internal part, so the page has nothing of tier, score, watch, plan health or
the stakeholder map to print. Every text comes from account files and is escaped by the template.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..analysis.brief import Brief
from ..core.errors import ExitCode, KamError
from ..core.formats import label
from .escape import BRACES_AS_ENTITIES
from .safety import sanitize_html
from .templates import DEFAULT_TEMPLATES, template_file

TEMPLATE = "brief.html.j2"
STYLESHEET = "assets/brief.css"
PDF_SECONDS = 90  # a cold Chromium on a busy machine takes seconds; a hung one must not hang the command


def amount(value: float) -> str:
    """Money to three figures, 1950000 as 1.95M and 3899140 as 3.90M, where the pages' one decimal shows 2.0M
    for 1.95M and 2.03M alike; below a thousand, as it is."""
    rounded = float(f"{value:.3g}")  # first, so that 999,999 is 1.00M rather than 1.00e+03k
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(rounded) >= limit:
            scaled = rounded / limit
            # "#" keeps the zeros that are figures (3.90, not 3.9) and a point after a whole number, dropped here.
            return (format(scaled, "#.3g").rstrip(".") if abs(scaled) < 1000 else format(scaled, ",.0f")) + suffix
    return format(rounded, ",.10g")


def figure(value: float | None, money: bool = False) -> str:
    """A measure or KPI value: money short (its currency is in the column's heading), other figures with
    thousands separated."""
    if value is None:
        return "—"
    return amount(value) if money else format(value, ",.10g")


def change(value: float | None, money: bool = False) -> str:
    """A delta with its sign always shown: +7, −1.5, +49.9k; "±0" when nothing moved."""
    if value is None:
        return "—"
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "−"  # a real minus: a hyphen reads as a dash in print
    return sign + (amount(abs(value)) if money else format(abs(value), ",.10g"))


def day(value: dt.date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "—"


@functools.lru_cache(maxsize=8)  # a site renders a brief per account: the template is compiled once
def _environment(templates: Path | None) -> Environment:
    folders = [str(templates)] if templates is not None else []
    env = Environment(loader=ChoiceLoader([FileSystemLoader(folders + [str(DEFAULT_TEMPLATES)])]), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(figure=figure, change=change, day=day, label=label)
    return env


def render_brief(brief: Brief, templates: Path | None = None) -> Markup:
    """The brief as an HTML fragment (one <div>), sanitised like every generated page; a repository's
    own site_templates/brief.html.j2 (in `templates`) comes before the generator's."""
    html = _environment(templates).get_template(TEMPLATE).render(b=brief, internal=brief.internal is not None)
    # Braces as character references: on an engine that reads attribute lists in the tree, `{: onclick }`
    # in a name must stay text (the audit, E425, refuses a tree that carries one).
    return Markup(sanitize_html(html).translate(BRACES_AS_ENTITIES))


def stylesheet(templates: Path | None = None) -> str:
    path = template_file(templates, STYLESHEET) if templates is not None else DEFAULT_TEMPLATES / STYLESHEET
    return path.read_text(encoding="utf-8")


def brief_document(brief: Brief, templates: Path | None = None) -> str:
    """A page of its own: the fragment with its stylesheet inlined, nothing fetched from anywhere."""
    audience = "" if brief.internal is not None else " (customer version)"
    title = Markup("QBR brief: {}{}").format(brief.name, audience)
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title>\n<style>\n{stylesheet(templates)}</style></head>\n"
            f'<body class="kb-standalone">\n{render_brief(brief, templates)}\n</body></html>\n')


# -- the PDF --------------------------------------------------------------------------------------------

def find_chromium() -> str:
    """Chromium where scripts/ensure-browser looks for it: $KAM_BROWSER_PATH when set (and then only there),
    else `chromium` on the PATH or Debian's /usr/bin/chromium; an environment error (exit 4) when there is none."""
    chosen = os.environ.get("KAM_BROWSER_PATH")
    candidates = [chosen] if chosen else [shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    where = f"KAM_BROWSER_PATH ({chosen}) is not an executable" if chosen else "no Chromium found"
    raise KamError(f"cannot print the PDF: {where}; install Chromium (Debian: sudo apt-get install chromium) or set "
                   "KAM_BROWSER_PATH to its executable", exit_code=ExitCode.ENVIRONMENT)


def print_pdf(page: Path, pdf: Path) -> None:
    """`page` printed to `pdf` by headless Chromium, without the browser's header and footer; the page's
    own @page rule gives the paper (A4) and margins. Printed aside first, so that a failed run never
    leaves an old PDF looking like a new one."""
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="kam-brief-") as work:
        printed = Path(work) / "brief.pdf"
        command = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={Path(work) / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={printed}",
                   page.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PDF_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise KamError(f"Chromium could not print the PDF: {exc}", exit_code=ExitCode.ENVIRONMENT) from None
        if done.returncode != 0 or not printed.is_file() or printed.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise KamError(f"Chromium could not print the PDF (exit {done.returncode}): {last}",
                           exit_code=ExitCode.ENVIRONMENT)
        try:
            shutil.copyfile(printed, pdf)
        except OSError as exc:
            raise KamError(f"could not write {pdf}: {exc.strerror or exc}", exit_code=ExitCode.ENVIRONMENT) from None
