"""`kam import crm` and `kam import accept`: what to write into the repository, and writing it.

The export is read by crm.py and scored by proposals.py; here the repository as it is (the
loader and validator's view) decides what each account gets:

- an account the repository lacks gets a complete folder from the scaffold, as a candidate;
- an account it has is left alone, unless `--update`: then only the fields the import owns
  (`region`, `financials.currency`, `financials.annual_revenue`, `proposed_scores`, `crm`) are
  refreshed in place with ruamel.yaml, and a file whose owned fields already hold the export's
  figures is not rewritten at all;
- the sales teams' agents and managers missing from team.yml are appended to it.

Everything is decided first and then written in one `writes.commit`: all of it or none, and only
when the repository's criteria.yml and team.yml are usable, the export has accounts to import, and
none of the export's problems is an error under criteria.yml's `severity:` (`import_crm`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.codes import Severity, emits
from ..core.diagnostics import Diagnostic, apply_severity, diagnostic
from ..core.errors import ExitCode, KamError
from ..core.model import AccountProfile, CriteriaConfig, Portfolio
from ..core.writes import commit
from ..scaffold.account import IMPORT_NOTE, Draft, Proposal, account_files, yaml_quoted
from ..scoring.check import Validated
from ..validate.references import cycle_from
from .proposals import propose
from .reader import CrmExport, CrmProblem, Person, load_mapping, read_export
from .roundtrip import Document, block_list, flow_map, insert_last, set_value, update_entries

EMITS = emits("W505", "W508", "W509", "W510")  # what planning the import finds; the export's are reader.EMITS


@dataclass(frozen=True)
class ImportPlan:
    files: dict[str, str]  # repository-relative path -> new text
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()  # --update found nothing to refresh
    kept: tuple[str, ...] = ()  # exist already; left alone without --update
    team_added: tuple[str, ...] = ()
    problems: tuple[Diagnostic, ...] = ()  # W5xx found here (the export's own are in CrmExport)


@dataclass
class _Work:
    files: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def existing_folders(root: Path) -> frozenset[str]:
    accounts = root / "accounts"
    return frozenset(p.name for p in accounts.iterdir()) if accounts.is_dir() else frozenset()


def plan_import(root: Path, export: CrmExport, validated: Validated, *, update: bool, today: dt.date) -> ImportPlan:
    portfolio = validated.portfolio
    criteria = portfolio.criteria
    assert criteria is not None, "plan_import needs a valid criteria.yml"
    work = _Work()
    folders = existing_folders(root)
    proposals = propose(export.figures, criteria, export.mapping.proposals, export.currency, export.as_of)
    new = [a for a in export.accounts if a.id not in folders]
    parents = _parents(export, new, folders, portfolio, work.problems)
    record = {"source": export.source, "as_of": export.as_of, "fingerprint": export.fingerprint}
    for account in new:
        figures = export.figures.loc[account.id]
        draft = Draft(
            name=account.name, owner=account.owner, customer_since=account.customer_since,
            industry=account.industry, region=account.region, headquarters=account.headquarters,
            parent=parents.get(account.id), executive_sponsor=account.executive_sponsor,
            currency=export.currency, annual_revenue=float(figures["revenue"]),
            revenue_potential=float(figures["revenue"] + figures["pipeline"]),
            proposals=proposals.of(account.id),
            crm={"source": yaml_quoted(export.source), "as_of": export.as_of.isoformat(),
                 "imported_on": today.isoformat(), "fingerprint": yaml_quoted(export.fingerprint)},
            products=export.bought(account.id))
        for rel, text in account_files(draft, criteria, today).items():
            work.files[f"accounts/{account.id}/{rel}"] = text
        work.created.append(account.id)
    for account in export.accounts:
        if account.id not in folders:
            continue
        if not update:
            work.kept.append(account.id)
            continue
        _refresh(root, account.id, portfolio, export, proposals.of(account.id), record, today, work)
    added = _team(root, portfolio, export, [export.account(a) for a in work.created], work)
    return ImportPlan(work.files, tuple(work.created), tuple(work.updated), tuple(work.unchanged), tuple(work.kept),
                      added, tuple(work.problems))


def _parents(export: CrmExport, new: list, folders: frozenset[str], portfolio: Portfolio,
             problems: list[Diagnostic]) -> dict[str, str]:
    """Each new account's parent id: the parent must be an account of the export or of the
    repository, and must not close a loop of parents (E209 would refuse the repository)."""
    known = {a.id for a in export.accounts} | set(folders)
    edges: dict[str, str | None] = {a.id: a.profile.parent for a in portfolio.accounts}
    out: dict[str, str] = {}
    for account in new:
        if account.parent_name is None:
            continue
        where = export.where(account.id, "parent")
        if account.parent not in known:
            problems.append(diagnostic(where[0], where[1], "W505",
                                       f"'{account.name}' names '{account.parent_name}' as its parent, which is not an "
                                       "account of the export or of the repository; imported without a parent"))
            continue
        edges[account.id] = account.parent
        loop = [account.id, account.id] if account.parent == account.id else cycle_from(account.id, edges)
        if loop:
            edges[account.id] = None
            problems.append(diagnostic(where[0], where[1], "W510",
                                       f"'{account.name}' would close a loop of parent accounts ({' -> '.join(loop)}); "
                                       "imported without a parent"))
            continue
        out[account.id] = account.parent
    return out


def _refresh(root: Path, account_id: str, portfolio: Portfolio, export: CrmExport,
             proposals: dict[str, Proposal], record: dict, today: dt.date, work: _Work) -> None:
    """--update of one existing account: only the owned fields, and only when they differ."""
    rel = f"accounts/{account_id}/account.yml"
    account = portfolio.accounts_by_id.get(account_id)
    if account is None:
        work.problems.append(diagnostic(rel, (1, 1), "W509", "account.yml has errors (run `kam validate`); its "
                                        "figures were not refreshed"))
        return
    crm_account = export.account(account_id)
    figures = export.figures.loc[account_id]
    region = crm_account.region if crm_account.region != "Unknown" else None  # never blank a person's region
    bought = export.bought(account_id)
    if _current(account.profile, region, export.currency, float(figures["revenue"]), proposals, record, bought):
        work.unchanged.append(account_id)
        return
    doc = Document((root / rel).read_text(encoding="utf-8"))
    data = doc.data
    if region is not None:
        set_value(data, "region", region)
    set_value(data["financials"], "currency", export.currency)
    set_value(data["financials"], "annual_revenue", float(figures["revenue"]))
    entries = {cid: {"score": p.score, "why": p.why} for cid, p in proposals.items()}
    if isinstance(data.get("proposed_scores"), dict):
        update_entries(data["proposed_scores"], entries, quoted=("why",))
    else:
        proposed = flow_map({})
        proposed.fa.set_block_style()
        update_entries(proposed, entries, quoted=("why",))
        insert_last(data, "proposed_scores", proposed, IMPORT_NOTE.removeprefix("# "))
    fields = {**record, "imported_on": today}
    crm = data.get("crm")
    if isinstance(crm, dict):
        for key in [k for k in crm if k not in fields and k != "products"]:
            del crm[key]
        for key in ("source", "as_of", "imported_on", "fingerprint"):
            set_value(crm, key, fields[key], quoted=key in ("source", "fingerprint"))
    else:
        crm = flow_map({k: fields[k] for k in ("source", "as_of", "imported_on", "fingerprint")},
                       quoted=("source", "fingerprint"))
        insert_last(data, "crm", crm)
    _set_products(crm, bought)
    work.files[rel] = doc.text()
    work.updated.append(account_id)


def _set_products(crm, bought: tuple[dict[str, object], ...]) -> None:
    """The record's products as the export has them: one line each, the record in block style to
    hold them; left as written when they already say the same."""
    current = crm.get("products")
    if not bought:
        if "products" in crm:
            del crm["products"]
        return
    if isinstance(current, list) and [dict(p) for p in current] == list(bought):
        return
    crm.fa.set_block_style()
    crm["products"] = block_list([flow_map(p, quoted=("name", "family")) for p in bought])


def _current(profile: AccountProfile, region: str | None, currency: str, revenue: float,
             proposals: dict[str, Proposal], record: dict, bought: tuple[dict[str, object], ...]) -> bool:
    """Whether the owned fields already say what the import would write (then nothing is, and
    the `imported_on` date keeps the day the figures last changed)."""
    crm = profile.crm
    return ((region is None or profile.region == region)
            and profile.financials.currency == currency
            and profile.financials.annual_revenue == revenue
            and {k: (v.score, v.why) for k, v in profile.proposed_scores.items()}
            == {k: (float(p.score), p.why) for k, p in proposals.items()}
            and crm is not None
            and (crm.source, crm.as_of, crm.fingerprint) == (record["source"], record["as_of"], record["fingerprint"])
            and tuple(p.model_dump(exclude_none=True) for p in crm.products) == bought)


def _team(root: Path, portfolio: Portfolio, export: CrmExport, created: list, work: _Work) -> tuple[str, ...]:
    """Append the export's agents and managers that team.yml lacks (the owners and sponsors of
    new accounts among them); existing entries are never rewritten."""
    known = {p.id for p in portfolio.team}
    needed: dict[str, Person] = {i: p for i, p in export.people.items() if i not in known}
    if not needed:
        return ()
    doc = Document((root / "team.yml").read_text(encoding="utf-8"))
    people = block_list(doc.data)
    domain = export.mapping.email_domain
    for person_id in sorted(needed):
        person = needed[person_id]
        entry = flow_map({"id": person.id, "name": person.name, "role": person.role,
                          "email": f"{person.id.replace('-', '.')}@{domain}"})
        entry.fa.set_block_style()
        people.append(entry)
    doc.data = people
    work.files["team.yml"] = doc.text()
    work.problems.append(diagnostic("team.yml", (1, 1), "W508",
                                    f"{len(needed)} people added to team.yml with an email made up from their name "
                                    f"(@{domain}): {', '.join(sorted(needed)[:3])}"
                                    + (f" and {len(needed) - 3} more" if len(needed) > 3 else "")))
    return tuple(sorted(needed))


# -- kam import accept ------------------------------------------------------------------------------

class AcceptProblem(KamError):
    """Accounts named that cannot be accepted; nothing was written."""

    exit_code = ExitCode.USAGE


def accept(root: Path, ids: list[str], portfolio: Portfolio, criteria: CriteriaConfig) -> dict[str, str]:
    """account.yml texts with each named candidate's proposals copied into its scores (the
    proposals stay: they are the import's, and the next --update compares against them).
    Raises AcceptProblem naming every account that cannot be accepted."""
    problems, files = [], {}
    for account_id in ids:
        account = portfolio.accounts_by_id.get(account_id)
        if account is None:
            from ..core.text import suggest
            problems.append(f"no valid account '{account_id}'{suggest(account_id, portfolio.accounts_by_id)}")
            continue
        profile = account.profile
        if not profile.is_candidate:
            problems.append(f"'{account_id}' is not a candidate: " + (
                "it has accepted scores already" if profile.scores else "it has no proposed scores"))
            continue
        missing = [c.id for c in criteria.criteria if c.id not in profile.proposed_scores]
        if missing:
            problems.append(f"'{account_id}' has no proposal for {', '.join(missing)}; score "
                            f"{'them' if len(missing) > 1 else 'it'} in account.yml instead")
            continue
        rel = f"{account.dir}/account.yml"
        doc = Document((root / rel).read_text(encoding="utf-8"))
        scores = doc.data["scores"]
        scores.fa.set_block_style()
        update_entries(scores, {c.id: {"score": profile.proposed_scores[c.id].score,
                                       "why": profile.proposed_scores[c.id].why} for c in criteria.criteria},
                       quoted=("why",))
        files[rel] = doc.text()
    if problems:
        raise AcceptProblem("; ".join(problems))
    return files


# -- the report ----------------------------------------------------------------------------------

def report(export: CrmExport, plan: ImportPlan, problems: tuple[Diagnostic, ...], written: bool) -> str:
    """The --report file: what was done and every problem found, as JSON."""
    return json.dumps({
        "source": export.source,
        "fingerprint": export.fingerprint,
        "as_of": export.as_of.isoformat(),
        "written": written,
        "accounts": {"in_export": len(export.accounts), "created": list(plan.created), "updated": list(plan.updated),
                     "unchanged": list(plan.unchanged), "kept": list(plan.kept)},
        "team_added": list(plan.team_added),
        "problems": [d.as_dict() for d in problems],
    }, indent=2, ensure_ascii=False) + "\n"


# -- the policy: when an import may write ---------------------------------------------------------

class ImportRefused(KamError):
    """The export was read, but nothing of it is written: every problem found goes with it."""


@dataclass(frozen=True)
class Imported:
    export: CrmExport
    plan: ImportPlan
    problems: tuple[Diagnostic, ...]  # the export's and the plan's, under criteria.yml's severity


def usable(validated: Validated) -> Validated:
    """The repository as the validator sees it, when an import can write into it: criteria.yml and
    team.yml must be usable, since every imported account is written against them."""
    blocking = [d for d in validated.diagnostics
                if d.severity is Severity.ERROR and d.path in ("criteria.yml", "team.yml")]
    if blocking or validated.portfolio.criteria is None:
        raise KamError("fix criteria.yml and team.yml first; nothing was written", diagnostics=blocking)
    return validated


def _refusal(export: CrmExport, problems: tuple[Diagnostic, ...]) -> str | None:
    if not export.accounts:
        return "nothing could be imported: no account in the export is a customer with an id"
    raised = sum(d.severity is Severity.ERROR for d in problems)  # criteria.yml's severity made them errors
    return f"{raised} problem(s) are errors under criteria.yml's severity" if raised else None


def _save(path: Path | None, text: str) -> None:
    if path is not None:
        path.write_text(text, encoding="utf-8")


def import_crm(root: Path, export_dir: Path, validated: Validated, *, today: dt.date, mapping_path: Path | None = None,
               as_of: dt.date | None = None, update: bool = False, report_path: Path | None = None) -> Imported:
    """Read the export, decide what each account gets and write it all, or nothing. The report
    (`report_path`) is written whatever the outcome but a failed write. Raises CrmProblem (the
    export cannot be read), ImportRefused, WriteProblem."""
    usable(validated)
    try:
        mapping, _ = load_mapping(mapping_path)
        export = read_export(export_dir, mapping, as_of, today=today)
    except CrmProblem as problem:
        _save(report_path, json.dumps({"written": False, "problems": [d.as_dict() for d in problem.diagnostics]},
                                      indent=2) + "\n")
        raise
    plan = plan_import(root, export, validated, update=update, today=today)
    overrides = validated.portfolio.criteria.severity if validated.portfolio.criteria else {}
    problems = apply_severity((*export.problems, *plan.problems), overrides)
    if reason := _refusal(export, problems):
        _save(report_path, report(export, ImportPlan({}), problems, False))
        raise ImportRefused(f"{reason}; nothing was written", diagnostics=problems)
    commit(root, plan.files)
    _save(report_path, report(export, plan, problems, True))
    return Imported(export, plan, problems)


def accept_proposals(root: Path, validated: Validated, ids: list[str]) -> list[str]:
    """Accept the proposals of the candidates `ids` and write them, all or none; the paths written."""
    portfolio = usable(validated).portfolio
    assert portfolio.criteria is not None
    files = accept(root, ids, portfolio, portfolio.criteria)
    commit(root, files)
    return sorted(files)
