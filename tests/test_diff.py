"""`kam diff` on real git repositories built in a temporary folder."""

from __future__ import annotations

import html
import json
import re
import subprocess

import pytest
from click.testing import CliRunner

from account_playbooks.cli.commands import main
from account_playbooks.history.diff import AccountChange, CriterionMove, PortfolioDiff
from account_playbooks.history.diffreport import COMMENT_BUDGET, COMMENT_LIMIT, MARKER, as_markdown, as_text

from .gitrepo import ENV, edit, git, portfolio_repo
from .hostile import TEXT_PAYLOADS

pytestmark = pytest.mark.slow  # replays git history

TODAY = "2026-11-24"


@pytest.fixture
def repo(tmp_path):
    return portfolio_repo(tmp_path / "repo")


def kam_diff(repo, *args):
    return CliRunner().invoke(main, ["--root", str(repo), "diff", *args, "--today", TODAY])


def test_a_score_edit_is_reported_with_its_criterion_and_tier(repo):
    edit(repo, "accounts/bluth-company/account.yml", "revenue_potential: {score: 7", "revenue_potential: {score: 9")
    result = kam_diff(repo, "main", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (change,) = data["accounts"]
    assert change["id"] == "bluth-company" and change["status"] == "changed"
    assert (change["tier_before"], change["tier_after"]) == ("Standard", "Silver")
    assert change["criteria"][0]["criterion"] == "revenue_potential"
    assert (change["criteria"][0]["before"], change["criteria"][0]["after"]) == (7, 9)
    assert change["tier_by_criteria_alone"] is False
    assert git(repo, "status", "--porcelain").strip() == "M accounts/bluth-company/account.yml"  # work tree untouched


def test_a_criteria_change_is_told_apart_from_the_accounts_own_edits(repo):
    edit(repo, "criteria.yml", "min_score: 5.0", "min_score: 4.8")
    git(repo, "commit", "-qam", "lower silver")
    result = kam_diff(repo, "HEAD~1", "--head", "HEAD")
    assert result.exit_code == 0, result.output
    assert "criteria: Silver threshold: 5 → 4.8" in result.stdout
    assert "bluth-company: Standard → Silver (by the criteria change alone)" in result.stdout


def test_a_moved_folder_is_a_rename_and_new_errors_are_listed(repo):
    git(repo, "mv", "accounts/codehow", "accounts/codehow-inc")
    edit(repo, "accounts/kan-code/stakeholders.yml", "reports_to: helen-okoro", "reports_to: helen-okor")
    result = kam_diff(repo, "main", "--format", "json")
    data = json.loads(result.stdout)
    statuses = {c["id"]: (c["status"], c["previous_id"]) for c in data["accounts"]}
    assert statuses["codehow-inc"] == ("renamed", "codehow") and "codehow" not in statuses
    assert any("E204" in line and "helen-okor" in line for line in data["introduced"])


def test_committed_links_out_of_the_repository_are_reported_at_both_revisions_not_a_traceback(repo, tmp_path):
    (tmp_path / "secret.yml").write_text("name: Not ours\n", encoding="utf-8")
    links = {"accounts/kan-code/notes.md": "/etc/hostname",  # absolute: tarfile's AbsoluteLinkError
             "accounts/kan-code/strategy.md": "../../../secret.yml",  # relative, leaving: LinkOutsideDestinationError
             "accounts/codehow/reviews/old": "/etc", "playbook-link": "/etc/passwd"}
    for name, target in links.items():
        path = repo / name
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(target)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "links")
    (repo / "accounts/kan-code/notes.md").unlink()
    result = kam_diff(repo, "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    e009 = "error[E009] symbolic link points outside the repository; not followed"
    assert data["fixed"] == [f"accounts/kan-code/notes.md:1:1: {e009}"]
    assert data["introduced"] == []
    result = kam_diff(repo, "HEAD~1", "--head", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    introduced = json.loads(result.stdout)["introduced"]
    assert [line for line in introduced if "E009" in line] == [
        f"accounts/codehow/reviews/old:1:1: {e009}", f"accounts/kan-code/notes.md:1:1: {e009}",
        f"accounts/kan-code/strategy.md:1:1: {e009}"]


@pytest.mark.parametrize("default", ["master", "trunk"])
def test_without_a_base_the_default_branch_is_found_the_way_git_finds_it(repo, default):
    """A repository whose default branch is master (or what init.defaultBranch names) compares a
    feature branch with it, as it does with main."""
    git(repo, "branch", "-m", "main", default)
    if default == "trunk":
        git(repo, "config", "init.defaultBranch", "trunk")
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, "accounts/bluth-company/account.yml", "revenue_potential: {score: 7", "revenue_potential: {score: 9")
    git(repo, "commit", "-qam", "rescore")
    result = kam_diff(repo, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["accounts"]] == ["bluth-company"]


def test_an_unknown_base_exits_2_and_says_how_to_fetch(repo):
    result = kam_diff(repo, "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch': no branch, tag or commit" in result.stderr
    assert "`git fetch origin`" in result.stderr


@pytest.mark.parametrize("revision", ["--upload-pack=touch /tmp/pwned", "main;rm -rf ~", "x\x1b]52;c;aGk=\x07\n$(id)"])
def test_an_unknown_revision_is_never_pasted_into_the_command_to_run(repo, revision):
    result = kam_diff(repo, "main", f"--head={revision}")
    assert result.exit_code == 2, result.output
    assert f"unknown revision {revision!r}:" in result.stderr  # quoted, escapes visible
    assert "`git fetch origin`" in result.stderr and "\x1b]" not in result.stderr
    assert "upload-pack" not in result.stderr.split("`")[1] and result.stderr.count("`") == 2


def test_in_a_shallow_clone_the_missing_base_says_to_unshallow(repo, tmp_path):
    edit(repo, "criteria.yml", "min_score: 5.0", "min_score: 4.9")
    git(repo, "commit", "-qam", "second")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True, env=ENV)
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    result = kam_diff(shallow, first)
    assert result.exit_code == 4 and "git fetch --unshallow" in result.stderr  # the clone lacks it: the environment


# What an author would put in a name, a tier, a reason or a note to take the comment over.
COMMENT_PAYLOADS = [
    "Acme\n\n# All checks passed\n\n![t](https://tracker.example/p.png)\n\n[review](https://evil.example)\n\n```\n",
    "</summary></details>\n\n## Approved by the account team",
    "@org/team and @someone, please approve",
    "Fixes #123 and GH-45, see https://evil.example/x and www.evil.example or a@evil.example",
    "| forged | row |\n|---|---|\n| x | y |",
    "`code` *em* _em_ ~~gone~~ $x^2$ trailing\\",
    "<img src=https://tracker.example/p.png>",
    "&lt;b&gt; &amp; &#64;someone &#x23;12",
    "line\r\nbreaks\u2028and\u0085more\x0bvt\x0cff",
    "\x1b]52;c;aGk=\x07 \x1b[2K\r fake \x9b31m \u202eevil",
    "***\n---\n===\n> quote\n    indented\n1. list\n- item",
    "<!-- an open comment",
    "[ref]: https://evil.example",
    "x" * 5000,
]
ALL_PAYLOADS = COMMENT_PAYLOADS + TEXT_PAYLOADS


def hostile_diff(payloads: list[str]) -> PortfolioDiff:
    """Every text that reaches the comment carries a payload: names, tiers, criteria, reasons, notes,
    and the diagnostics (whose messages quote repository text)."""
    accounts = [AccountChange(f"a{n}", text, "changed", None, 1.0, 2.0, f"{text} (before)", text, False, 40, 60,
                              [CriterionMove(text, 3, 5, text)], [f"new stakeholder {text}", text])
                for n, text in enumerate(payloads)]
    accounts.append(AccountChange("new", payloads[0], "added", tier_after=payloads[-1]))
    accounts.append(AccountChange("gone", payloads[-1], "removed", tier_before=payloads[0]))
    return PortfolioDiff("base", "head", [f"{t} threshold: 5 → 4.8" for t in payloads], accounts,
                         [f"accounts/a/account.yml:1:1: error[E201] {t}" for t in payloads],
                         [f"accounts/a/account.yml:2:1: warning[W301] {t}" for t in payloads])


def comment_structure(text: str) -> tuple[list, str]:
    """The comment as GitHub's CommonMark would read it (tables and strikethrough on): its tokens,
    and the text a reader sees."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(text)
    flat = [t for token in tokens for t in [token, *(token.children or [])]]
    seen = html.unescape(re.sub(r"<[^>]*>", "", md.render(text)))
    return flat, seen


def assert_inert(text: str, payloads: list[str], accounts: int, tier_rows: int, cut_lines: int = 0) -> None:
    tokens, seen = comment_structure(text)
    kinds = [t.type for t in tokens]
    assert not set(kinds) & {"heading_open", "image", "link_open", "fence", "code_block", "hr", "blockquote_open",
                             "ordered_list_open", "s_open"}, kinds
    assert kinds.count("em_open") == cut_lines and kinds.count("code_inline") == 2 * (cut_lines > 0)  # ours
    blocks = [t.content.strip() for t in tokens if t.type in ("html_block", "html_inline")]
    assert blocks[0] == MARKER and blocks[1:] == [b for b in blocks[1:] if re.fullmatch(
        r"<details><summary>[^<>]*</summary>|</details>", b)], blocks
    assert sum(b.startswith("<details>") for b in blocks) == sum(b == "</details>" for b in blocks) == accounts + 1
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == tier_rows + 1  # the header, then one row per tier change: no row forged
    assert kinds.count("strong_open") == 1 + bool(payloads) + (cut_lines > 0)  # ours: summary, criteria, cut
    # GitHub would link or notify for these in the rendered text: a zero-width space breaks each one.
    for pattern in (r"@[A-Za-z0-9]", r"#\d", r"GH-\d", r"[A-Za-z0-9]://", r"www\."):
        assert not re.search(pattern, seen, re.IGNORECASE), (pattern, re.search(pattern, seen, re.IGNORECASE))


@pytest.mark.parametrize("payload", ALL_PAYLOADS, ids=range(len(ALL_PAYLOADS)))
def test_each_payload_through_every_text_of_the_comment_stays_text(payload):
    d = hostile_diff([payload])
    text = as_markdown(d)
    assert_inert(text, [payload], accounts=len(d.accounts), tier_rows=3)
    shown = comment_structure(text)[1].replace("\u200b", "")
    words = " ".join(payload.split())[:400]
    visible = re.sub(r"[\x00-\x1f\x7f-\x9f\u202e]", lambda m: f"\\x{ord(m.group()):02x}"
                     if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", words)
    assert visible in shown  # shown as written, whitespace made single spaces and controls made visible


def test_all_payloads_at_once_make_one_summary_line_per_account_and_no_markup():
    d = hostile_diff(ALL_PAYLOADS)
    text = as_markdown(d, full=True)
    assert_inert(text, ALL_PAYLOADS, accounts=len(d.accounts), tier_rows=len(d.accounts))


def test_a_mention_gets_a_zero_width_space_and_stays_readable():
    text = as_markdown(hostile_diff(["@org/team #12"]))
    assert "@&#8203;org/team #&#8203;12" in text and "@org" not in text


def large_diff() -> PortfolioDiff:
    """As a real pull request that adds 1,500 stakeholders to one account, moves 600 tiers and brings
    400 new warnings."""
    people = AccountChange("acme", "Acme", "changed", None, 5.0, 7.0, "Silver", "Gold",
                           notes=[f"new stakeholder Person Number {n} of the procurement board" for n in range(1500)])
    moved = [AccountChange(f"a{n}", f"Account {n}", "changed", None, 4.0, 5.5, "Standard", "Silver",
                           criteria=[CriterionMove("revenue_potential", 3, 5, "A reason of some length " * 4)])
             for n in range(600)]
    found = [f"accounts/a{n}/stakeholders.yml:{n}:3: warning[W305] stakeholder has no last contact" for n in range(400)]
    return PortfolioDiff("base", "head", ["Gold threshold: 7 → 6.5"], [people, *moved], found, [])


CUT_LINE = r"(- |\| )_[\d,]+ more not shown_( \| \| \|)?"


def test_a_comment_over_githubs_limit_is_cut_between_lines_and_says_what_was_cut():
    d = large_diff()
    full, comment = as_markdown(d, full=True), as_markdown(d)
    assert len(full) > 3 * COMMENT_LIMIT
    assert len(comment.encode("utf-8")) <= COMMENT_BUDGET < COMMENT_LIMIT
    assert comment.startswith(MARKER + "\n**Account plans:** 601 account(s) changed; 601 tier change(s)")
    note = next(line for line in comment.splitlines() if line.startswith("**This comment is cut"))
    extra = set(comment.splitlines()) - set(full.splitlines()) - {note}
    assert extra and all(re.fullmatch(CUT_LINE, line) for line in extra), extra
    shown_rows = sum(line.startswith("| A") for line in comment.splitlines()) - 1  # less the header
    assert_inert(comment, ["the criteria"], accounts=comment.count("<details><summary>A"), tier_rows=shown_rows + 1,
                 cut_lines=sum(bool(re.fullmatch(CUT_LINE, line)) for line in comment.splitlines()))
    # What the note says was left out is what was left out, kind by kind.
    said = {kind: int(n.replace(",", "")) for n, kind in re.findall(r"([\d,]+) ([a-z ]+)\(s\)", note)}
    assert said["tier change"] == 601 - shown_rows
    assert said["diagnostic"] == 400 - comment.count("- new: ")
    shown_sections = comment.count("<details><summary>Account ")
    assert said["account section"] == 600 - shown_sections
    assert "job summary" in note and "kam-diff-report" in note


def test_the_comment_gives_every_part_room_and_tier_changes_the_rest():
    comment = as_markdown(large_diff())
    assert comment.count("- new: ") >= 10 and comment.count("new stakeholder Person") >= 9
    assert comment.count("<details><summary>Account ") >= 100
    assert comment.count("| Account ") >= 200  # the table before more account sections: each repeats its row


def test_a_comment_within_the_limit_is_the_whole_report():
    d = hostile_diff(["Acme"])
    assert as_markdown(d) == as_markdown(d, full=True) and "This comment is cut" not in as_markdown(d)


def test_the_terminal_report_shows_escape_sequences_instead_of_sending_them():
    text = as_text(hostile_diff(["Acme\x1b]52;c;aGk=\x07\x1b[2K\r\x9b\u202e"]))
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", text)
    assert "Acme\\x1b]52;c;aGk=\\x07\\x1b[2K\\x0d\\x9b\\u202e" in text


def test_kam_diff_with_1500_new_stakeholders_comments_within_the_limit_and_writes_the_whole_report(repo, tmp_path):
    people = "".join(f"- id: person-{n}\n  name: \"Person {n}\\n\\n# All checks passed @org/team\"\n  title: Buyer\n"
                     f"  role: user\n  influence: low\n  sentiment: neutral\n  reports_to: null\n"
                     f"  relationship_owner: donn-cantrell\n  last_contact: 2026-10-06\n" for n in range(1500))
    with (repo / "accounts/bluth-company/stakeholders.yml").open("a", encoding="utf-8") as file:
        file.write(people)
    full = tmp_path / "kam-diff-full.md"
    result = kam_diff(repo, "main", "--format", "markdown", "--full-report", str(full))
    assert result.exit_code == 0, result.output
    whole = full.read_text(encoding="utf-8")
    assert whole.count("new stakeholder Person") == 1500 and len(whole) > COMMENT_LIMIT
    assert len(result.stdout.encode("utf-8")) <= COMMENT_BUDGET and "This comment is cut" in result.stdout
    assert "\n#" not in result.stdout + whole and "@org" not in result.stdout + whole
