"""`kam`: the command line, a thin layer over the library: each command parses its options, calls
the library and prints. Everything a user can cause is a KamError, printed here once (stderr, never
a traceback) with its exit code (the table is account_playbooks.core.errors.EXIT_CODES).

Machine-readable output (CSV, JSON, annotations) goes to stdout alone; summaries and progress
go to stderr, so `kam score --csv > scores.csv` is always clean.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

import click

from ..core import diagnostics as diag
from ..core import tally
from ..core.codes import Severity
from ..core.collector import relaxed_collector
from ..core.errors import ExitCode, KamError, exit_code

# Each command imports what it needs when it runs: `kam --help` and the pre-commit hook start
# without pandas, pydantic, rich or mkdocs.

DISTRIBUTION = "account-playbooks"


class _Stderr:
    """rich's console on stderr, made on first use; never wraps a diagnostic line (tools parse them)."""

    def print(self, *args, **kwargs) -> None:
        console = getattr(self, "_console", None)
        if console is None:
            from rich.console import Console

            # No emoji codes: ":warning:" in a name is text like the rest of it.
            console = self._console = Console(stderr=True, soft_wrap=True, emoji=False)
        console.print(*args, **kwargs)

    def say(self, text: str) -> None:
        """A line as it is: repository text holds brackets and asterisks that are not markup."""
        self.print(text, highlight=False, markup=False)


stderr = _Stderr()


def _name(ctx: click.Context) -> str:
    """`kam import crm`, whatever the program was called (a test runner calls it by its function's name)."""
    names: list[str] = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["kam", *reversed(names)])


def _fail(ctx: click.Context, error: KamError):
    if error.option:  # an option the person typed: shown the way click shows its own usage errors
        raise click.BadParameter(str(error), ctx=ctx, param_hint=error.option) from None
    for d in error.diagnostics:
        stderr.say(diag.format_text(d))
    stderr.say(f"{_name(ctx)}: {error}")
    for line in error.details:
        stderr.say(f"  {line}")
    ctx.exit(int(error.exit_code))


class KamCommand(click.Command):
    """Every command ends here when the library raises a KamError: printed once, with its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KamError as error:
            _fail(ctx, error)


class KamGroup(click.Group):
    command_class = KamCommand
    group_class = type  # subgroups (kam new, kam import) are KamGroups too


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


# -- the options many commands share ----------------------------------------------------------------

def _reference_date(ctx, param, value: dt.date | None) -> dt.date:
    from ..scoring.check import reference_date

    try:
        return reference_date(value)
    except ValueError:
        raise click.BadParameter("$KAM_TODAY is not a date in the form YYYY-MM-DD", ctx=ctx, param=param) from None


today_option = click.option("--today", type=IsoDate(), default=None, callback=_reference_date,
                            help="Reference date for date rules (default: today, or $KAM_TODAY).")


def _set_root(ctx: click.Context, param, value: Path | None) -> None:
    if value is not None:
        ctx.obj = value.resolve()


ROOT_HELP = "The account repository (where criteria.yml is)."
# Before or after the command's name: `kam --root DIR validate` and `kam validate --root DIR`.
_root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                            expose_value=False, callback=_set_root, help=ROOT_HELP + " [default: .]")


def with_root(function):
    """The command takes --root and gets the repository's folder as its first argument."""
    return _root_option(click.pass_obj(function))


def in_repository(function):
    """with_root, for a command that reads an account repository: said plainly when there is none."""
    @functools.wraps(function)
    def checked(root: Path, *args, **kwargs):
        if not (root / "criteria.yml").is_file():
            raise KamError(f"no criteria.yml in {root}; run from the repository root or pass --root",
                           exit_code=ExitCode.USAGE)
        return function(root, *args, **kwargs)

    return with_root(checked)


# csvfile.py's rule, said where people choose the format.
CSV_HELP = ("Write CSV to stdout. A text cell that a spreadsheet would run as a formula (one starting with =, +, -, "
            "@, a tab or a carriage return) is written with a leading ' so that it opens as text; numbers stay numbers.")


def table_output(function):
    """--csv and --json: machine-readable output on stdout instead of the terminal's table."""
    function = click.option("--json", "as_json", is_flag=True, help="Write JSON to stdout.")(function)
    return click.option("--csv", "as_csv", is_flag=True, help=CSV_HELP)(function)


@click.group(cls=KamGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help=ROOT_HELP + " Also accepted after the command's name.")
@click.version_option(package_name=DISTRIBUTION, prog_name="kam", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Account playbooks as code: validate, score and publish key account plans."""
    ctx.with_resource(relaxed_collector())  # for the command's whole life, the mkdocs build included
    ctx.obj = root.resolve()


def _print_diagnostics(found, output_format: str) -> None:
    if output_format == "json":
        click.echo(diag.as_json(found))
        return
    line = diag.format_github if output_format == "github" else diag.format_text
    for d in found:
        click.echo(line(d))


def _report(found) -> None:
    for d in found:
        stderr.say(diag.format_text(d))


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "github", "json"]), default=None,
              help="Output format; github when $GITHUB_ACTIONS is set, else text.")
@click.option("--strict", is_flag=True, help="Exit 3 when there are warnings but no errors (not for a review, goal or "
                   "action that has fallen due: W301, W307, W308, nor for a notice).")
@click.option("--errors-only", is_flag=True, help="Print only the errors; warnings and notices are counted in one "
                   "line (the pre-commit hook's view). The exit code is the same as without it.")
@today_option
@in_repository
def validate(root: Path, output_format: str | None, strict: bool, errors_only: bool, today: dt.date) -> None:
    """Check every account file; print each problem, then a count by code."""
    from ..scoring.check import check

    result = check(root, today)
    shown = [d for d in result.diagnostics if d.severity is Severity.ERROR] if errors_only else result.diagnostics
    _print_diagnostics(shown, output_format or ("github" if os.environ.get("GITHUB_ACTIONS") else "text"))
    counted = tally.errors_only_summary(result.diagnostics) if errors_only else diag.summary(result.diagnostics)
    click.echo(f"kam validate: {len(result.portfolio.accounts)} accounts, {counted}", err=True)
    _print_tally(shown)
    click.get_current_context().exit(int(exit_code(result.diagnostics, strict)))


def _print_tally(found) -> None:
    for line in tally.table(found):
        stderr.say(line)


@main.command()
@table_output
@click.option("--weights", help="What-if: other weights, e.g. revenue_potential=40,strategic_fit=20.")
@click.option("--sort", "sort_by", default="score", show_default=True, help="Column to sort by.")
@click.option("--tier", "tier_filter", help="Only accounts in this tier (or 'standard').")
@today_option
@in_repository
def score(root: Path, as_csv: bool, as_json: bool, weights: str | None, sort_by: str,
          tier_filter: str | None, today: dt.date) -> None:
    """Print the portfolio: weighted score, tier and each criterion's contribution."""
    from ..analysis.analytics import analyse
    from ..analysis.ranking import as_csv as csv_text
    from ..analysis.ranking import as_json as json_text
    from ..analysis.ranking import parse_weights, ranking, tier_id
    from ..scoring.check import check

    result = check(root, today)
    if result.scores is None or diag.has_errors(result.diagnostics):
        raise KamError("fix the errors above first (run `kam validate`)",
                       diagnostics=[d for d in result.diagnostics if d.severity is Severity.ERROR])
    criteria = result.scores.criteria
    ranked = ranking(result.scores, analyse(result.portfolio, result.scores, today),
                     weights=parse_weights(weights, criteria),
                     tier=tier_id(tier_filter, criteria) if tier_filter else None, sort=sort_by)
    if ranked.what_if:
        stderr.say(f"{ranked.changed} account(s) would change tier with these weights.")
    if as_csv:
        click.echo(csv_text(ranked.table), nl=False)
    elif as_json:
        click.echo(json_text(ranked.table), nl=False)
    else:
        from rich.console import Console

        from .terminal import print_score_table

        print_score_table(ranked.table, Console())


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too, with exit 3 (mkdocs --strict and kam warnings, "
                   "except a review, goal or action that has fallen due).")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None, help="Where to write the site.")
@click.option("--force", is_flag=True, help="Write into --site-dir even if it holds files that are not a site.")
@click.option("--site-url", default=None, metavar="URL",
              help="Where the site will be served, e.g. https://example.github.io/accounts/ (overrides mkdocs.yml); "
                   "pages under a sub-path, the 404 page included, then find their assets.")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", metavar="NAME",
              help="mkdocs (default: through the kam plugin) or zensical (builds the tree `kam render` writes, "
                   "checked to be inert before the engine runs).")
@click.option("--audience", default="internal", show_default=True, metavar="NAME",
              help="Whom the build is for: internal (the team's site, without confidential accounts), customer (one "
                   "account's joint plan, with --account), or an audience criteria.yml declares (e.g. leadership).")
@click.option("--account", "account_id", default=None, metavar="ID",
              help="With --audience customer: the account whose joint plan to write.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write: the joint plan's folder [default: joint-plan-ID], or the site's (as --site-dir; "
                   "a site for an audience other than internal defaults to site-NAME).")
@today_option
@in_repository
def build(root: Path, strict: bool, site_dir: Path | None, force: bool, site_url: str | None, engine: str,
          audience: str, account_id: str | None, out: Path | None, today: dt.date) -> None:
    """Validate, then build the site (mkdocs, or --engine zensical; refuses on errors), or a customer's joint plan."""
    from ..site.build import generate
    from ..site.publish import check_site_dir, publish

    if audience == "customer":
        site_only = [name for name, given in (("--strict", strict), ("--site-dir", site_dir is not None),
                                              ("--site-url", site_url is not None), ("--engine", engine != "mkdocs"))
                     if given]
        if site_only:  # said, not ignored: the joint plan is one page, built by no engine, checked by the gate
            raise KamError(f"{', '.join(site_only)} {'is' if len(site_only) == 1 else 'are'} for a site; the customer's joint plan takes --account, --out "
                           "and --force", exit_code=ExitCode.USAGE, option=site_only[0])
        _joint_plan(root, account_id, out, force, today)
        return
    if account_id is not None:
        raise KamError("--account is for the customer's joint plan (--audience customer)", exit_code=ExitCode.USAGE,
                       option="--account")
    if out is not None and site_dir is not None:
        raise KamError("--out and --site-dir name the same folder: give one", exit_code=ExitCode.USAGE, option="--out")
    site_dir = site_dir or out or (root / f"site-{audience}" if audience != "internal" else None)
    check_site_dir(root, site_dir, force=force)
    if engine != "mkdocs":  # before the portfolio is read: a missing engine is said at once
        from ..site.engines import publish_with, zensical_command

        zensical_command()
    generated = generate(root, today, audience=audience, split=True)
    _report(generated.validated.diagnostics)
    _print_tally(generated.validated.diagnostics)
    if engine == "mkdocs":
        published = publish(root, generated, strict=strict, site_dir=site_dir, site_url=site_url, force=force)
    else:
        published = publish_with(engine, root, generated, strict=strict, site_dir=site_dir, site_url=site_url,
                                 force=force)
    for note in published.notes:
        stderr.say(f"kam build: {note}")
    stderr.say(f"kam build: site for the {audience} audience written to {published.site}")


def _joint_plan(root: Path, account_id: str | None, out: Path | None, force: bool, today: dt.date) -> None:
    from ..site.bundle import customer_bundle

    validated, bundle, plan = customer_bundle(root, today, account_id, out, force=force)
    _report(validated.diagnostics)
    if plan.is_empty:
        stderr.say(f"kam build: nothing of {account_id} is marked shared yet (goals, actions, review summaries, "
                   "plan sections): the page says so")
    stderr.say(f"kam build: joint plan of {account_id} for the customer written to {bundle.page}")


@main.command()
@click.option("--port", default=8000, show_default=True,
              help="0: any free port, printed once the site is built and the server listens.")
@click.option("--focus", "focus", multiple=True, metavar="ACCOUNT",
              help="Preview only these accounts' pages (repeat for several): seconds per edit on a large portfolio.")
@in_repository
def serve(root: Path, port: int, focus: tuple[str, ...]) -> None:
    """Preview the site with live reload (watches accounts/, criteria.yml, team.yml)."""
    from ..site import publish

    if publish.check_focus(root, focus):
        stderr.say(f"kam serve: previewing {', '.join(focus)}; only their pages are built (scores and checks "
                   "still cover the whole portfolio), links to other pages lead nowhere here")
    # Ctrl-C and a process manager's SIGTERM both stop the server cleanly (mkdocs removes its
    # temporary site on KeyboardInterrupt), even when started from a shell that ignores SIGINT
    # for background jobs: the ignored disposition would otherwise be inherited.
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    # The first build takes a while on a large portfolio: say where to look before it starts.
    said = (f"http://127.0.0.1:{port}/ (building the site; the page loads when it is ready)" if port else
            "building the site; its address, on a free port, follows when it is ready")
    stderr.say(f"kam serve: {said}")
    publish.serve(root, port, focus)


@main.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the docs tree and its mkdocs.yml.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
@today_option
@in_repository
def render(root: Path, out: Path, force: bool, today: dt.date) -> None:
    """Write the complete docs tree (pages, playbook, assets, mkdocs.yml) for any MkDocs-compatible engine."""
    from ..site.build import generate
    from ..site.export import export

    generated = generate(root, today, split=True)
    _report(generated.validated.diagnostics)
    _print_tally(generated.validated.diagnostics)
    exported = export(root, out.resolve(), generated, force=force)
    stderr.say(f"kam render: {exported.pages} generated pages and the playbook written to {exported.folder}; "
               f"build it with `mkdocs build -f {exported.folder / 'mkdocs.yml'}`")


@main.command("diff")
@click.argument("base", required=False)
@click.option("--head", "head_rev", default=None, help="Compare with this revision instead of the working tree.")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True)
@click.option("--full-report", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Also write the whole report as Markdown to this file, not cut to fit a pull-request comment "
                   "(for the job summary and an artifact).")
@today_option
@in_repository
def diff_command(root: Path, base: str | None, head_rev: str | None, output_format: str, full_report: Path | None,
                 today: dt.date) -> None:
    """What a change does to scores, tiers, plan health and diagnostics (BASE: the merge base with main)."""
    from ..history import diffreport
    from ..history.gitsource import compare

    result = compare(root, base, head_rev, today)
    render = {"text": diffreport.as_text, "markdown": diffreport.as_markdown, "json": diffreport.as_json}
    click.echo(render[output_format](result), nl=False)
    if full_report is not None:
        full_report.write_text(diffreport.as_markdown(result, full=True), encoding="utf-8")


@main.command("history")
@click.argument("accounts", nargs=-1)
@click.option("--since", type=IsoDate(), default=None, help="Only points on or after this date.")
@table_output
@in_repository
def history_command(root: Path, accounts: tuple[str, ...], since: dt.date | None, as_csv: bool, as_json: bool) -> None:
    """Each account's score, tier and plan health at every commit that could move them."""
    from ..history import historyreport
    from ..history.gitlog import in_git
    from ..history.timeline import history

    if not in_git(root):
        stderr.say(f"kam history: {root} is not in a git repository (or has no commits): there is no history")
        return
    found = history(root)
    unknown = [a for a in accounts if not found.of(a)]
    if unknown:
        from ..core.text import suggest

        raise KamError("no history for " + ", ".join(f"{a!r}{suggest(a, sorted(found.series))}" for a in unknown),
                       exit_code=ExitCode.USAGE)
    if note := historyreport.cut_note(found):
        stderr.say(f"kam history: {note}")
    points = historyreport.select(found, accounts, since)
    if as_json:
        click.echo(historyreport.as_json(found, points), nl=False)
    elif as_csv:
        click.echo(historyreport.as_csv(points), nl=False)
    else:
        from rich.console import Console

        historyreport.print_table(points, Console())


class Days(click.ParamType):
    """A span of days: "7d", "2w" or a bare number of days."""
    name = "DAYS"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        number, unit = (text[:-1], text[-1]) if text[-1:] in ("d", "w") else (text, "d")
        if not number.isdigit() or not 0 < int(number) <= 3660:
            self.fail(f"{value!r} is not a number of days such as 7d or 2w", param, ctx)
        return int(number) * (7 if unit == "w" else 1)


def _site_link(root: Path):
    """Links to the published site when mkdocs.yml names its site_url; None otherwise (plain text)."""
    from ..core import siteconfig
    from ..site.pages import site_link

    config_file = root / "mkdocs.yml"
    config = siteconfig.read(config_file.read_text(encoding="utf-8") if config_file.is_file() else None)
    url = config.get("site_url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    return functools.partial(site_link, url, directory_urls=siteconfig.directory_urls(config))


@main.command("digest")
@click.option("--owner", default=None, metavar="ID", help="Only this person's items (a team.yml id).")
@click.option("--manager", default=None, metavar="ID",
              help="Only the items on accounts this person sponsors (their executive_sponsor), per person who acts.")
@click.option("--since", "since_days", type=Days(), default="7d", show_default=True,
              help="Compare with the last commit this long before --today.")
@click.option("--format", "output_format", type=click.Choice(["markdown", "text", "json"]), default="text",
              show_default=True)
@today_option
@in_repository
def digest_command(root: Path, owner: str | None, manager: str | None, since_days: int, output_format: str,
                   today: dt.date) -> None:
    """What is new in each person's attention since last week: newly late, newly due, new risks, tier watch
    changes, what was closed, and the counts against then."""
    from ..history import digestreport
    from ..history.digest import digest

    if owner and manager:
        raise click.UsageError("give --owner or --manager, not both")
    found = digest(root, today, since_days, owner=owner, manager=manager)
    if output_format == "text":
        click.echo(digestreport.as_text(found), nl=False)
        return
    render = digestreport.as_markdown if output_format == "markdown" else digestreport.as_json
    click.echo(render(found, _site_link(root)), nl=False)


@main.command("brief")
@click.argument("account_id", metavar="ACCOUNT")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the page [default: ACCOUNT-brief.html, or ACCOUNT-agenda.html with --customer].")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also print the page to this PDF (one A4 page) with headless Chromium.")
@click.option("--customer", is_flag=True,
              help="The customer's version, the agenda: only the goals, actions, asks and last review marked shared; no "
                   "tier, score, KPIs, plan health, watch or stakeholder map.")
@today_option
@in_repository
def brief_command(root: Path, account_id: str, out: Path | None, pdf: Path | None, customer: bool,
                  today: dt.date) -> None:
    """The QBR brief of one account: objectives with the change since the last review, KPI trend, stakeholder
    map, actions, asks and the next review, as one printable page."""
    from ..analysis.brief import brief_in
    from ..scoring.check import check
    from ..site.brief import brief_document, find_chromium, print_pdf
    from ..site.build import TEMPLATES

    brief = brief_in(check(root, today), account_id, today, customer=customer)
    if pdf is not None:
        find_chromium()  # before writing anything: without a browser the command changes nothing
    page = out or Path(f"{account_id}-{'agenda' if customer else 'brief'}.html")
    try:
        page.write_text(brief_document(brief, root / TEMPLATES), encoding="utf-8")
    except OSError as exc:
        raise KamError(f"could not write {page}: {exc.strerror or exc}", exit_code=ExitCode.ENVIRONMENT) from None
    stderr.say(f"kam brief: wrote {page}")
    if pdf is not None:
        print_pdf(page, pdf)
        stderr.say(f"kam brief: wrote {pdf}")


@main.group()
def new() -> None:
    """Scaffold new files."""


@new.command("account")
@click.argument("account_id")
@click.option("--name", help="Display name (default: from the id).")
@click.option("--owner", help="The KAM's team.yml id (default: the first person in team.yml).")
@today_option
@in_repository
def new_account(root: Path, account_id: str, name: str | None, owner: str | None, today: dt.date) -> None:
    """Create accounts/ACCOUNT_ID with every file and every required plan section."""
    from ..scaffold.account import new_account as scaffold
    from ..scoring.check import check

    result = check(root, today)
    team_ids = [p.id for p in result.portfolio.team]
    owner = owner or (team_ids[0] if team_ids else None)
    if owner is None or owner not in team_ids:
        raise click.BadParameter(f"{owner!r} is not in team.yml", param_hint="--owner")
    display = name or account_id.replace("-", " ").title()
    for path in scaffold(root, account_id, display, owner, result.portfolio.criteria, today):
        click.echo(path.relative_to(root).as_posix())


# -- kam init, kam import: a new repository, and accounts from a CRM export -------------------

@main.command("init")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The site's name (default: Key account playbooks).")
@click.option("--force", is_flag=True, help="Overwrite the files of a new repository that exist already.")
@with_root
def init_command(root: Path, directory: Path | None, name: str | None, force: bool) -> None:
    """Create a new account repository in DIRECTORY (default: --root): criteria, team, site,
    playbook, workflows and schemas. It validates and builds with no account at all."""
    from ..scaffold.repository import DEFAULT_NAME, init

    target = (directory or root).resolve()
    written = init(target, name=name or DEFAULT_NAME, force=force)
    stderr.say(f"kam init: {len(written)} files written to {target}. Next: add people to team.yml or run "
               "`kam import crm EXPORT_DIR`, then `kam validate` and `kam build`.")


@main.group("import")
def import_group() -> None:
    """Accounts from a CRM export, and accepting the scores it proposes."""


@import_group.command("crm")
@click.argument("export_dir", type=click.Path(path_type=Path))
@click.option("--mapping", "mapping_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML file saying which file and column holds each field (default: the sample's layout).")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Count figures up to this day (default: the latest close date in the export).")
@click.option("--update", is_flag=True, help="Refresh the imported figures of accounts that exist already.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write what was done and every problem found to this JSON file.")
@today_option
@in_repository
def import_crm(root: Path, export_dir: Path, mapping_path: Path | None, as_of: dt.date | None, update: bool,
               report_path: Path | None, today: dt.date) -> None:
    """Create an account folder for every customer in EXPORT_DIR, with figures from the CRM and
    proposed scores; existing accounts are left alone unless --update."""
    from ..crm import importer
    from ..crm.report import print_problems, print_summary
    from ..scoring.check import check

    done = importer.import_crm(root, export_dir, check(root, today), today=today, mapping_path=mapping_path,
                               as_of=as_of, update=update, report_path=report_path)
    print_problems(done.problems, stderr)
    print_summary(done.export, done.plan, stderr)


@import_group.command("accept")
@click.argument("accounts", nargs=-1)
@click.option("--all", "accept_all", is_flag=True, help="Accept the proposals of every candidate.")
@today_option
@in_repository
def import_accept(root: Path, accounts: tuple[str, ...], accept_all: bool, today: dt.date) -> None:
    """Accept the proposed scores of candidate ACCOUNTS: copy them into `scores`, keeping the rest
    of each account.yml as it is. Read the proposals first: from then on they place the account."""
    from ..crm.importer import accept_proposals
    from ..scoring.check import check

    validated = check(root, today)
    candidates = [a.id for a in validated.portfolio.accounts if a.profile.is_candidate]
    ids = list(accounts) or (candidates if accept_all else [])
    if not ids:
        raise click.UsageError("name the accounts whose proposals to accept, or pass --all")
    written = accept_proposals(root, validated, ids)
    for path in written:
        click.echo(path)
    stderr.say(f"kam import accept: {len(written)} account(s) scored with their proposals; run `kam score` to see "
               "their tiers")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the schema files (default: schemas/ in the repository).")
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the committed schemas are out of date.")
@click.option("--force", is_flag=True, help="Overwrite schema files that differ.")
@with_root
def schema(root: Path, out: Path | None, check_only: bool, force: bool) -> None:
    """Write the JSON Schema of every file kind (for editors and CI)."""
    from ..core.schemas import schema_files, write_schemas

    folder = out or root / "schemas"
    if check_only:
        stale = [name for name, text in schema_files().items()
                 if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]
        for name in stale:
            click.echo(f"{(folder / name).as_posix()}: out of date; run `kam schema --force`")
        click.get_current_context().exit(int(ExitCode.ERRORS if stale else ExitCode.OK))
    try:
        for path in write_schemas(folder, overwrite=force):
            click.echo(path.as_posix())
    except FileExistsError as exc:
        raise KamError(f"{exc} differs; use --force to overwrite it", exit_code=ExitCode.USAGE) from None


if __name__ == "__main__":
    main()
