"""`kam`: the command line, a thin layer over the pipeline.

Machine-readable output (CSV, JSON, annotations) goes to stdout alone; summaries and progress
go to stderr, so `kam score --csv > scores.csv` is always clean.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import click

from ..core import diagnostics as diag
from ..core.codes import Severity
from ..core.collector import relaxed_collector

# Each command imports what it needs when it runs: `kam --help` and the pre-commit hook start
# without pandas, pydantic, rich or mkdocs.


class _Stderr:
    """rich's console on stderr, made on first use; never wraps a diagnostic line (tools parse them)."""

    def print(self, *args, **kwargs) -> None:
        console = getattr(self, "_console", None)
        if console is None:
            from rich.console import Console

            # No emoji codes: ":warning:" in a name is text like the rest of it.
            console = self._console = Console(stderr=True, soft_wrap=True, emoji=False)
        console.print(*args, **kwargs)


stderr = _Stderr()

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


def _today_option(function):
    return click.option("--today", type=IsoDate(), default=None,
                        help="Reference date for date rules (default: today, or $KAM_TODAY).")(function)


def _today(value: dt.date | None) -> dt.date:
    from ..scoring.check import reference_date

    try:
        return reference_date(value)
    except ValueError:
        raise click.BadParameter("$KAM_TODAY is not a date in the form YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The account repository (where criteria.yml is).")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Account playbooks as code: validate, score and publish key account plans."""
    ctx.with_resource(relaxed_collector())  # for the command's whole life, the mkdocs build included
    ctx.obj = root.resolve()


EXIT_USAGE = 2
# csvfile.py's rule, said where people choose the format.
CSV_HELP = ("Write CSV to stdout. A text cell that a spreadsheet would run as a formula (one starting with =, +, -, "
            "@, a tab or a carriage return) is written with a leading ' so that it opens as text; numbers stay numbers.")


def _require_repository(root: Path, command: str) -> None:
    """Commands that read an account repository say so plainly when there is none here."""
    if not (root / "criteria.yml").is_file():
        stderr.print(f"kam {command}: no criteria.yml in {root}; run from the repository root or pass --root",
                     highlight=False, markup=False)
        sys.exit(EXIT_USAGE)


def _print_diagnostics(found, output_format: str) -> None:
    if output_format == "json":
        click.echo(diag.as_json(found))
        return
    line = diag.format_github if output_format == "github" else diag.format_text
    for d in found:
        click.echo(line(d))


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "github", "json"]), default=None,
              help="Output format; github when $GITHUB_ACTIONS is set, else text.")
@click.option("--strict", is_flag=True, help="Exit 2 when there are warnings but no errors (not for a review, goal or "
                   "action that has fallen due: W301, W307, W308).")
@_today_option
@click.pass_obj
def validate(root: Path, output_format: str | None, strict: bool, today: dt.date | None) -> None:
    """Check every account file; print every problem, sorted. The CI gate."""
    from ..scoring.check import check

    _require_repository(root, "validate")
    output_format = output_format or ("github" if os.environ.get("GITHUB_ACTIONS") else "text")
    result = check(root, _today(today))
    _print_diagnostics(result.diagnostics, output_format)
    click.echo(f"kam validate: {len(result.portfolio.accounts)} accounts, {diag.summary(result.diagnostics)}", err=True)
    sys.exit(_exit_code(result.diagnostics, strict))


def _exit_code(found, strict: bool) -> int:
    if diag.has_errors(found):
        return EXIT_ERRORS
    if strict and any(diag.stops_strict(d) for d in found):
        return EXIT_WARNINGS
    return EXIT_OK


@main.command()
@click.option("--csv", "as_csv", is_flag=True, help=CSV_HELP)
@click.option("--json", "as_json", is_flag=True, help="Write JSON to stdout.")
@click.option("--weights", help="What-if: other weights, e.g. revenue_potential=40,strategic_fit=20.")
@click.option("--sort", "sort_by", default="score", show_default=True, help="Column to sort by.")
@click.option("--tier", "tier_filter", help="Only accounts in this tier (or 'standard').")
@_today_option
@click.pass_obj
def score(root: Path, as_csv: bool, as_json: bool, weights: str | None, sort_by: str,
          tier_filter: str | None, today: dt.date | None) -> None:
    """Print the portfolio: weighted score, tier and each criterion's contribution."""
    from ..scoring.check import check

    _require_repository(root, "score")
    from ..analysis.analytics import analyse
    from ..analysis.ranking import OptionProblem, parse_weights, ranking, tier_id
    from ..analysis.ranking import as_csv as csv_text
    from ..analysis.ranking import as_json as json_text

    result = check(root, _today(today))
    if result.scores is None or diag.has_errors(result.diagnostics):
        for d in result.diagnostics:
            if d.severity is Severity.ERROR:
                stderr.print(diag.format_text(d), highlight=False, markup=False)
        stderr.print("kam score: fix the errors above first (run `kam validate`).")
        sys.exit(EXIT_ERRORS)
    criteria = result.scores.criteria
    try:
        ranked = ranking(result.scores, analyse(result.portfolio, result.scores, _today(today)),
                         weights=parse_weights(weights, criteria),
                         tier=tier_id(tier_filter, criteria) if tier_filter else None, sort=sort_by)
    except OptionProblem as problem:
        raise click.BadParameter(str(problem), param_hint=problem.option) from None
    if ranked.what_if:
        stderr.print(f"{ranked.changed} account(s) would change tier with these weights.", highlight=False)
    if as_csv:
        click.echo(csv_text(ranked.table), nl=False)
    elif as_json:
        click.echo(json_text(ranked.table), nl=False)
    else:
        from rich.console import Console

        from .terminal import print_score_table

        print_score_table(ranked.table, Console())


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (mkdocs --strict and kam warnings, except a review, goal "
                   "or action that has fallen due).")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None, help="Where to write the site.")
@click.option("--force", is_flag=True, help="Write into --site-dir even if it holds files that are not a site.")
@click.option("--site-url", default=None, metavar="URL",
              help="Where the site will be served, e.g. https://example.github.io/accounts/ (overrides mkdocs.yml); "
                   "pages under a sub-path, the 404 page included, then find their assets.")
@_today_option
@click.pass_obj
def build(root: Path, strict: bool, site_dir: Path | None, force: bool, site_url: str | None,
          today: dt.date | None) -> None:
    """Validate, then build the site with mkdocs (refuses to build on errors)."""
    _require_repository(root, "build")
    from ..site.build import generate

    if site_dir is not None and not force:
        refusal = _unsafe_site_dir(root, site_dir.resolve())
        if refusal:
            stderr.print(f"kam build: {refusal}; nothing was written (use --force to build there anyway)",
                         highlight=False, markup=False)
            sys.exit(EXIT_ERRORS)

    from ..site.render import TemplateProblem

    try:
        generated = generate(root, _today(today))
    except TemplateProblem as exc:
        stderr.print(f"kam build: site_templates/{exc}", highlight=False, markup=False)
        sys.exit(EXIT_ERRORS)
    found = generated.validated.diagnostics
    for d in found:
        stderr.print(diag.format_text(d), highlight=False, markup=False)
    if not generated.pages or (strict and any(diag.stops_strict(d) for d in found)):
        stderr.print(f"kam build: not building: {diag.summary(found)}")
        sys.exit(EXIT_ERRORS)
    site = _mkdocs_build(root, strict, site_dir, generated, site_url)
    stderr.print(f"kam build: site written to {site}", highlight=False)


def _unsafe_site_dir(root: Path, site_dir: Path) -> str | None:
    """mkdocs empties the site folder before writing; never let that folder hold the user's files."""
    if site_dir == root or site_dir in root.parents:
        return f"{site_dir} contains the repository"
    if site_dir.is_dir() and any(site_dir.iterdir()):
        built_before = (site_dir / "sitemap.xml").exists() or (site_dir / "404.html").exists()
        if not built_before:
            return f"{site_dir} is not empty and does not hold a previous build"
    return None


def _mkdocs_build(root: Path, strict: bool, site_dir: Path | None, generated, site_url: str | None = None) -> Path:
    """Build into a fresh folder beside the site and swap it in only when mkdocs succeeds, so a
    failed build of any kind leaves the previous site as it was, byte for byte."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    options: dict = {"strict": strict}
    if site_dir is not None:
        options["site_dir"] = str(site_dir.resolve())
    if site_url:
        options["site_url"] = site_url if site_url.endswith("/") else site_url + "/"
    staging = None
    # mkdocs' own command line prints its warnings; called as a library, under --strict it only
    # counts them. Print them, so that "Aborted with 1 warnings" says which one.
    shown = logging.StreamHandler(sys.stderr)
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
    logging.getLogger("mkdocs").addHandler(shown)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), **options)
        target = Path(config.site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.building-"))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a site is read by a web server
        config.site_dir = str(staging)
        plugin = config.plugins.get("kam")
        if plugin is not None:  # hand over what we generated, the date with it: nothing is done twice
            plugin.pregenerated = generated
        if config.plugins.get("macros") is not None:  # the plugin logs it at info level, which kam build hides
            from ..site.plugin import RETIRED_MACROS_PLUGIN

            stderr.print(f"kam build: {RETIRED_MACROS_PLUGIN}", highlight=False, markup=False)
        mkdocs_build(config)
        _swap_in(staging, target)
        staging = None
    except MkDocsException as exc:
        stderr.print(f"kam build: {exc}; the previous site was left as it was", highlight=False, markup=False)
        sys.exit(EXIT_ERRORS)
    finally:
        logging.getLogger("mkdocs").removeHandler(shown)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _swap_in(built: Path, target: Path) -> None:
    """Replace `target` with `built`: two renames in one folder, the old site removed last."""
    if not target.exists():
        built.rename(target)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
    old.rmdir()
    target.rename(old)
    try:
        built.rename(target)
    except OSError:
        old.rename(target)  # put the previous site back: never leave no site at all
        raise
    shutil.rmtree(old, ignore_errors=True)


@main.command()
@click.option("--port", default=8000, show_default=True,
              help="0: any free port, printed once the site is built and the server listens.")
@click.option("--focus", "focus", multiple=True, metavar="ACCOUNT",
              help="Preview only these accounts' pages (repeat for several): seconds per edit on a large portfolio.")
@click.pass_obj
def serve(root: Path, port: int, focus: tuple[str, ...]) -> None:
    """Preview the site with live reload (watches accounts/, criteria.yml, team.yml)."""
    _require_repository(root, "serve")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve as mkdocs_serve

    from ..site.plugin import FOCUS_VARIABLE

    if focus:
        known = sorted(p.name for p in (root / "accounts").iterdir() if p.is_dir()) if (root / "accounts").is_dir() else []
        unknown = [a for a in focus if a not in known]
        if unknown:
            from ..core.text import suggest

            stderr.print("kam serve: no account " + ", ".join(f"{a!r}{suggest(a, known)}" for a in unknown),
                         highlight=False, markup=False)
            sys.exit(EXIT_USAGE)
        os.environ[FOCUS_VARIABLE] = ",".join(focus)
        stderr.print(f"kam serve: previewing {', '.join(focus)}; only their pages are built (scores and checks "
                     "still cover the whole portfolio), links to other pages lead nowhere here",
                     highlight=False, markup=False)
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
    stderr.print(f"kam serve: {said}", highlight=False, markup=False)
    mkdocs_serve(config_file=str(root / "mkdocs.yml"), livereload=True, dev_addr=f"127.0.0.1:{port}")


@main.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the docs tree and its mkdocs.yml.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
@_today_option
@click.pass_obj
def render(root: Path, out: Path, force: bool, today: dt.date | None) -> None:
    """Write the complete docs tree (pages, playbook, assets, mkdocs.yml) for any MkDocs-compatible engine."""
    _require_repository(root, "render")
    from ..site.build import generate
    from ..site.export import ExportProblem, export

    generated = generate(root, _today(today))
    for d in generated.validated.diagnostics:
        stderr.print(diag.format_text(d), highlight=False, markup=False)
    try:
        exported = export(root, out.resolve(), generated, force=force)
    except ExportProblem as problem:
        stderr.print(f"kam render: {problem}", highlight=False, markup=False)
        sys.exit(EXIT_ERRORS if generated.site is None else EXIT_USAGE)
    stderr.print(f"kam render: {exported.pages} generated pages and the playbook written to {exported.folder}; "
                 f"build it with `mkdocs build -f {exported.folder / 'mkdocs.yml'}`", highlight=False, markup=False)


@main.command("diff")
@click.argument("base", required=False)
@click.option("--head", "head_rev", default=None, help="Compare with this revision instead of the working tree.")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True)
@click.option("--full-report", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Also write the whole report as Markdown to this file, not cut to fit a pull-request comment "
                   "(for the job summary and an artifact).")
@_today_option
@click.pass_obj
def diff_command(root: Path, base: str | None, head_rev: str | None, output_format: str, full_report: Path | None,
                 today: dt.date | None) -> None:
    """What a change does to scores, tiers, plan health and diagnostics (BASE: the merge base with main)."""
    _require_repository(root, "diff")
    import tempfile as temp

    from ..history import diffreport
    from ..history.diff import diff
    from ..history.gitsource import RevisionProblem, default_base, is_repository, materialise, resolve
    from ..scoring.check import check

    if not is_repository(root):
        stderr.print(f"kam diff: {root} is not a git repository; there is nothing to compare with",
                     highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    date = _today(today)
    try:
        base_commit = resolve(root, base) if base else default_base(root)
        head_commit = resolve(root, head_rev) if head_rev else None
        with temp.TemporaryDirectory(prefix="kam-diff-") as scratch:
            before = check(materialise(root, base_commit, Path(scratch) / "base"), date)
            head_root = materialise(root, head_commit, Path(scratch) / "head") if head_commit else root
            after = check(head_root, date)
    except RevisionProblem as problem:
        stderr.print(f"kam diff: {problem}", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    result = diff(before, after, date, base_commit, head_commit or "working tree")
    render = {"text": diffreport.as_text, "markdown": diffreport.as_markdown, "json": diffreport.as_json}
    click.echo(render[output_format](result), nl=False)
    if full_report is not None:
        full_report.write_text(diffreport.as_markdown(result, full=True), encoding="utf-8")


@main.command("history")
@click.argument("accounts", nargs=-1)
@click.option("--since", type=IsoDate(), default=None, help="Only points on or after this date.")
@click.option("--csv", "as_csv", is_flag=True, help=CSV_HELP)
@click.option("--json", "as_json", is_flag=True, help="Write JSON to stdout.")
@click.pass_obj
def history_command(root: Path, accounts: tuple[str, ...], since: dt.date | None, as_csv: bool, as_json: bool) -> None:
    """Each account's score, tier and plan health at every commit that could move them."""
    _require_repository(root, "history")
    from ..history import historyreport
    from ..history.gitlog import in_git
    from ..history.timeline import HistoryProblem, history

    if not in_git(root):
        stderr.print(f"kam history: {root} is not in a git repository (or has no commits): there is no history",
                     highlight=False, markup=False)
        return
    try:
        found = history(root)
    except HistoryProblem as problem:
        stderr.print(f"kam history: git failed: {problem}", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    unknown = [a for a in accounts if not found.of(a)]
    if unknown:
        from ..core.text import suggest

        known = sorted(found.series)
        stderr.print("kam history: no history for " + ", ".join(
            f"{a!r}{suggest(a, known)}" for a in unknown), highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    note = historyreport.cut_note(found)
    if note:
        stderr.print(f"kam history: {note}", highlight=False, markup=False)
    points = historyreport.select(found, accounts, since)
    if as_json:
        click.echo(historyreport.as_json(found, points), nl=False)
    elif as_csv:
        click.echo(historyreport.as_csv(points), nl=False)
    else:
        from rich.console import Console

        historyreport.print_table(points, Console())


@main.group()
def new() -> None:
    """Scaffold new files."""


@new.command("account")
@click.argument("account_id")
@click.option("--name", help="Display name (default: from the id).")
@click.option("--owner", help="The KAM's team.yml id (default: the first person in team.yml).")
@_today_option
@click.pass_obj
def new_account(root: Path, account_id: str, name: str | None, owner: str | None, today: dt.date | None) -> None:
    """Create accounts/ACCOUNT_ID with every file and every required plan section."""
    from ..scoring.check import check

    _require_repository(root, "new account")
    from ..scaffold.account import ScaffoldError
    from ..scaffold.account import new_account as scaffold

    result = check(root, _today(today))
    team_ids = [p.id for p in result.portfolio.team]
    owner = owner or (team_ids[0] if team_ids else None)
    if owner is None or owner not in team_ids:
        raise click.BadParameter(f"{owner!r} is not in team.yml", param_hint="--owner")
    display = name or account_id.replace("-", " ").title()
    try:
        written = scaffold(root, account_id, display, owner, result.portfolio.criteria, _today(today))
    except ScaffoldError as exc:
        stderr.print(f"kam new account: {exc}", highlight=False, markup=False)
        sys.exit(EXIT_ERRORS)
    for path in written:
        click.echo(path.relative_to(root).as_posix())


# -- kam init, kam import: a new repository, and accounts from a CRM export -------------------

@main.command("init")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The site's name (default: Key account playbooks).")
@click.option("--force", is_flag=True, help="Overwrite the files of a new repository that exist already.")
@click.pass_obj
def init_command(root: Path, directory: Path | None, name: str | None, force: bool) -> None:
    """Create a new account repository in DIRECTORY (default: --root): criteria, team, site,
    playbook, workflows and schemas. It validates and builds with no account at all."""
    from ..core.writes import WriteProblem
    from ..scaffold.repository import DEFAULT_NAME, ExistingFiles, InitProblem, init

    target = (directory or root).resolve()
    try:
        written = init(target, name=name or DEFAULT_NAME, force=force)
    except ExistingFiles as exc:
        stderr.print(f"kam init: {target} already has {len(exc.paths)} of the files a new repository needs; "
                     "nothing was written (use --force to overwrite them):", highlight=False, markup=False)
        for path in exc.paths:
            stderr.print(f"  {path}", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    except (InitProblem, WriteProblem) as exc:
        stderr.print(f"kam init: {exc}", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    stderr.print(f"kam init: {len(written)} files written to {target}. Next: add people to team.yml or run "
                 "`kam import crm EXPORT_DIR`, then `kam validate` and `kam build`.", highlight=False, markup=False)


@main.group("import")
def import_group() -> None:
    """Accounts from a CRM export, and accepting the scores it proposes."""


def _repository_for_import(root: Path, command: str, today: dt.date):
    """The repository as the validator sees it; criteria.yml and team.yml must be usable, since
    every imported account is written against them."""
    from ..scoring.check import check

    _require_repository(root, command)
    validated = check(root, today)
    blocking = [d for d in validated.diagnostics
                if d.severity is Severity.ERROR and d.path in ("criteria.yml", "team.yml")]
    if blocking or validated.portfolio.criteria is None:
        for d in blocking:
            stderr.print(diag.format_text(d), highlight=False, markup=False)
        stderr.print(f"kam {command}: fix criteria.yml and team.yml first; nothing was written",
                     highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    return validated


@import_group.command("crm")
@click.argument("export_dir", type=click.Path(path_type=Path))
@click.option("--mapping", "mapping_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML file saying which file and column holds each field (default: the sample's layout).")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Count figures up to this day (default: the latest close date in the export).")
@click.option("--update", is_flag=True, help="Refresh the imported figures of accounts that exist already.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write what was done and every problem found to this JSON file.")
@_today_option
@click.pass_obj
def import_crm(root: Path, export_dir: Path, mapping_path: Path | None, as_of: dt.date | None, update: bool,
               report_path: Path | None, today: dt.date | None) -> None:
    """Create an account folder for every customer in EXPORT_DIR, with figures from the CRM and
    proposed scores; existing accounts are left alone unless --update."""
    from ..core.writes import WriteProblem, commit
    from ..crm.importer import ImportPlan, plan_import, report
    from ..crm.reader import CrmProblem, load_mapping, read_export
    from ..crm.report import print_problems, print_summary

    date = _today(today)
    validated = _repository_for_import(root, "import crm", date)
    try:
        mapping, _ = load_mapping(mapping_path)
        export = read_export(export_dir, mapping, as_of, today=date)
    except CrmProblem as problem:
        for d in problem.diagnostics:
            stderr.print(diag.format_text(d), highlight=False, markup=False)
        stderr.print(f"kam import crm: {diag.summary(problem.diagnostics)} in the export; nothing was written",
                     highlight=False, markup=False)
        if report_path is not None:
            report_path.write_text(json.dumps({"written": False, "problems": [
                {"code": d.code, "severity": d.severity.value, "path": d.path, "line": d.line, "column": d.column,
                 "message": d.message} for d in problem.diagnostics]}, indent=2) + "\n", encoding="utf-8")
        sys.exit(EXIT_USAGE)
    plan = plan_import(root, export, validated, update=update, today=date)
    overrides = validated.portfolio.criteria.severity
    problems = diag.apply_severity((*export.problems, *plan.problems), overrides)
    print_problems(problems, stderr)
    raised = [d for d in problems if d.severity is Severity.ERROR]  # criteria.yml's severity made them errors
    if not export.accounts or raised:
        if report_path is not None:
            report_path.write_text(report(export, ImportPlan({}), problems, False), encoding="utf-8")
        reason = ("nothing could be imported: no account in the export is a customer with an id"
                  if not export.accounts else f"{len(raised)} problem(s) are errors under criteria.yml's severity")
        stderr.print(f"kam import crm: {reason}; nothing was written", highlight=False, markup=False)
        sys.exit(EXIT_ERRORS if not export.accounts else EXIT_USAGE)
    try:
        commit(root, plan.files)
    except WriteProblem as problem:
        stderr.print(f"kam import crm: {problem}", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    if report_path is not None:
        report_path.write_text(report(export, plan, problems, True), encoding="utf-8")
    print_summary(export, plan, stderr)


@import_group.command("accept")
@click.argument("accounts", nargs=-1)
@click.option("--all", "accept_all", is_flag=True, help="Accept the proposals of every candidate.")
@_today_option
@click.pass_obj
def import_accept(root: Path, accounts: tuple[str, ...], accept_all: bool, today: dt.date | None) -> None:
    """Accept the proposed scores of candidate ACCOUNTS: copy them into `scores`, keeping the rest
    of each account.yml as it is. Read the proposals first: from then on they place the account."""
    from ..core.writes import WriteProblem, commit
    from ..crm.importer import AcceptProblem, accept

    validated = _repository_for_import(root, "import accept", _today(today))
    portfolio = validated.portfolio
    ids = list(accounts) or ([a.id for a in portfolio.accounts if a.profile.is_candidate] if accept_all else [])
    if not ids:
        raise click.UsageError("name the accounts whose proposals to accept, or pass --all")
    try:
        files = accept(root, ids, portfolio, portfolio.criteria)
        commit(root, files)
    except (AcceptProblem, WriteProblem) as problem:
        stderr.print(f"kam import accept: {problem}; nothing was written", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    for path in sorted(files):
        click.echo(path)
    stderr.print(f"kam import accept: {len(files)} account(s) scored with their proposals; run `kam score` to see "
                 "their tiers", highlight=False, markup=False)


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the schema files (default: schemas/ in the repository).")
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the committed schemas are out of date.")
@click.option("--force", is_flag=True, help="Overwrite schema files that differ.")
@click.pass_obj
def schema(root: Path, out: Path | None, check_only: bool, force: bool) -> None:
    """Write the JSON Schema of every file kind (for editors and CI)."""
    from ..core.schemas import schema_files, write_schemas

    folder = out or root / "schemas"
    if check_only:
        stale = [name for name, text in schema_files().items()
                 if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]
        for name in stale:
            click.echo(f"{(folder / name).as_posix()}: out of date; run `kam schema --force`")
        sys.exit(EXIT_ERRORS if stale else EXIT_OK)
    try:
        for path in write_schemas(folder, overwrite=force):
            click.echo(path.as_posix())
    except FileExistsError as exc:
        stderr.print(f"kam schema: {exc} differs; use --force to overwrite it", highlight=False, markup=False)
        sys.exit(EXIT_ERRORS)


if __name__ == "__main__":
    main()
