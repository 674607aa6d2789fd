"""Benchmarks, reported as ratios measured in one run on the same input.

    python benchmarks/run.py            # everything (several minutes: builds a 1,000-account site)
    python benchmarks/run.py validate   # one part: validate | score | startup | history | preview | engines | site | import

validate  `kam validate`'s work (load + validate) against parsing the same YAML with libyaml
          alone, for N = 100, 1,000, 5,000. Target: ratio <= 2 at 1,000; time linear in N.
score     scoring and analytics for 10,000 accounts against loading and validating them.
          Target: <= 10%.
startup   `kam --help` against `python -c 'import yaml'` (target <= 4x), and `kam validate` of
          1,000 accounts as a process against a process parsing the same files with libyaml.
history   `kam history` of 1,000 accounts over 500 commits (one git log, one cat-file batch)
          against parsing the blobs it reads with libyaml alone. Target: <= 2x.
preview   `kam serve --focus` on 1,000 accounts: start-up, and saving an account file to the page
          served with the edit. Target: <= 10 s.
engines   the `kam render` tree of 100 accounts built by MkDocs and, when installed, by Zensical.
site      full site builds at 100 and 1,000 accounts, each with 100 commits of history: the generator's share of the build
          (target <= 15%), an account page's HTML size (target: at most 1.2x from 100 to
          1,000), the search index per account (target <= 12 KB at 1,000), and a bare
          mkdocs-material build of as many plain pages, built in the same run.
import    `kam import crm` of the CRM sample into a new repository, end to end as a process (target
          < 2 s); and reading and aggregating a synthetic export of 100,000 accounts and 1,000,000
          opportunities (everything but writing the account folders) against `pandas.read_csv` of
          the same files with its defaults (target <= 3x).
Each timing is the best of a few repeats; results are printed as a Markdown table and written
to benchmarks/results/latest.md.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.synth import write_portfolio  # noqa: E402
from generator.analytics import analyse  # noqa: E402
from generator.load import load, split_front_matter  # noqa: E402
from generator.pipeline import check, generate  # noqa: E402
from generator.score import score_portfolio  # noqa: E402
from generator.validate import validate  # noqa: E402

TODAY = dt.date(2026, 11, 24)
WORK = Path(tempfile.gettempdir()) / "kam-bench"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def best(function, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def parse_with_libyaml_alone(root: Path) -> None:
    """The floor: read every YAML file and front matter and parse it with the C loader."""
    for path in sorted(root.rglob("*")):
        if path.suffix == ".yml":
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        elif path.suffix == ".md":
            split = split_front_matter(path.read_text(encoding="utf-8"))
            yaml.load(split[0], Loader=yaml.CSafeLoader)


def bench_validate(rows: list[tuple[str, str]]) -> None:
    per_account = []
    for n in (100, 1000, 5000):
        root = write_portfolio(WORK / f"validate-{n}", n)
        repeats = 3 if n <= 1000 else 1
        floor = best(lambda: parse_with_libyaml_alone(root), repeats)
        ours = best(lambda: check(root, TODAY), repeats)
        per_account.append(ours / n)
        rows.append((f"validate, {n:,} accounts", f"{ours:.2f} s vs libyaml parse {floor:.2f} s: "
                                                  f"**{ours / floor:.2f}x** (target <= 2 at 1,000)"))
    rows.append(("validate, time per account 100 / 1,000 / 5,000",
                 " / ".join(f"{t * 1000:.2f} ms" for t in per_account)))


def bench_score(rows: list[tuple[str, str]]) -> None:
    n = 10_000
    root = write_portfolio(WORK / f"score-{n}", n)
    validated = None

    def load_and_validate():
        nonlocal validated
        validated = validate(load(root), TODAY)

    front = best(load_and_validate, 1)

    def score_and_analyse():
        scores = score_portfolio(validated.portfolio)
        analyse(validated.portfolio, scores, TODAY)

    back = best(score_and_analyse, 3)
    rows.append((f"score + analytics, {n:,} accounts", f"{back:.2f} s vs load + validate {front:.2f} s: "
                                                        f"**{back / front:.1%}** (target <= 10%)"))


def _build(root: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def run():
        generated = generate(root, TODAY)
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        config.plugins["kam"].pregenerated = generated
        build(config)

    return best(run, 1)


def _site_repo(n: int, name: str = "site") -> Path:
    root = write_portfolio(WORK / f"{name}-{n}", n)
    for name in ("mkdocs.yml", "playbook", "site_templates"):
        source = HERE.parent / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    # The playbook's worked example names accounts of the example portfolio.
    for page in (root / "playbook").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("acme-corporation", "account-00000").replace("codehow", "account-00001")
                        .replace("kan-code", "account-00002"),
                        encoding="utf-8")
    # A git history, so that the generator's share includes reading it (`kam history`'s work).
    from benchmarks.synth import write_history

    write_history(root, 100)
    return root


def _bare_site(pages: int, words_per_page: int) -> float:
    root = WORK / f"bare-{pages}"
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    docs.mkdir(parents=True)
    text = " ".join(["account plan review stakeholder goal"] * (words_per_page // 5))
    (docs / "index.md").write_text("# Home\n\n" + text, encoding="utf-8")
    for i in range(pages):
        folder = docs / f"p{i // 100}"
        folder.mkdir(exist_ok=True)
        (folder / f"page-{i}.md").write_text(f"# Page {i}\n\n## Section\n\n{text}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: bare\ntheme: {name: material, font: false}\nplugins: [search]\n"
                                     "nav: [index.md]\nvalidation: {nav: {omitted_files: ignore}}\n", encoding="utf-8")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    return best(lambda: build(load_config(config_file=str(root / "mkdocs.yml"))), 1)


def bench_site(rows: list[tuple[str, str]]) -> None:
    sizes = {}
    for n in (100, 1000):
        root = _site_repo(n)
        generator = best(lambda: generate(root, TODAY), 1)
        full = _build(root)
        site = root / "site"
        pages = sum(1 for _ in site.rglob("index.html"))
        page = site / "accounts" / "account-00002" / "index.html"
        sizes[n] = page.stat().st_size
        index = (site / "search" / "search_index.json").stat().st_size
        markdown_words = statistics.mean(len(p.read_text(encoding="utf-8").split())
                                         for p in (site / "accounts" / "account-00002").rglob("index.html"))
        bare = _bare_site(pages, int(markdown_words // 4))
        rows.append((f"site, {n:,} accounts ({pages:,} pages)",
                     f"full build {full:.1f} s; generator {generator:.1f} s = **{generator / full:.0%}** of it "
                     f"(target <= 15%); bare mkdocs-material, {pages:,} plain pages: {bare:.1f} s "
                     f"(ours {full / bare:.2f}x)"))
        rows.append((f"search index, {n:,} accounts", f"{index / 1024:,.0f} KB = **{index / n / 1024:.1f} KB per account**"
                                                      " (target <= 12 KB at 1,000)"))
    rows.append(("account page HTML, 100 -> 1,000 accounts",
                 f"{sizes[100] / 1024:.1f} KB -> {sizes[1000] / 1024:.1f} KB: **{sizes[1000] / sizes[100]:.2f}x** "
                 "(target <= 1.2x)"))


def _process_time(command: list[str], repeats: int = 5) -> float:
    import subprocess

    return best(lambda: subprocess.run(command, check=False, capture_output=True), repeats)


def bench_startup(rows: list[tuple[str, str]]) -> None:
    """`kam` is also the pre-commit hook: what a person waits for, as separate processes."""
    kam = str(Path(sys.executable).parent / "kam")
    floor = _process_time([sys.executable, "-c", "import yaml"])
    help_time = _process_time([kam, "--help"])
    rows.append(("`kam --help` vs `python -c 'import yaml'`",
                 f"{help_time:.2f} s vs {floor:.2f} s: **{help_time / floor:.1f}x** (target <= 4)"))
    root = write_portfolio(WORK / "validate-1000", 1000)
    # The floor process imports yaml alone (importing this module would import the generator).
    parse = (f"import yaml\nfrom pathlib import Path\n"
             f"for p in sorted(Path({str(root)!r}).rglob('*')):\n"
             f"    if p.suffix == '.yml': yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
             f"    elif p.suffix == '.md': yaml.load(p.read_text(encoding='utf-8').split('---')[1], Loader=yaml.CSafeLoader)\n")
    parse_time = _process_time([sys.executable, "-c", parse], 3)
    validate_time = _process_time([kam, "--root", str(root), "validate", "--today", TODAY.isoformat()], 3)
    rows.append(("`kam validate`, 1,000 accounts, vs a process parsing the same files with libyaml",
                 f"{validate_time:.2f} s vs {parse_time:.2f} s: **{validate_time / parse_time:.2f}x** (target <= 1.3)"))


def bench_history(rows: list[tuple[str, str]]) -> None:
    """`kam history` over 1,000 accounts and 500 commits against parsing, with libyaml alone, the
    blobs it has to read (every version of every file the commits changed)."""
    from benchmarks.synth import write_history
    from generator.gitlog import read_blobs, read_log
    from generator.timeline import history

    root = write_portfolio(WORK / "history-1000", 1000)
    write_history(root, 500)
    log = read_log(root)
    paths = {c.blob: c.new_path for commit in log.commits for c in commit.changes if c.blob}
    blobs = read_blobs(root, paths)

    def floor() -> None:
        for blob, path in paths.items():
            text = blobs[blob].decode("utf-8")
            if path.endswith(".md"):
                text = split_front_matter(text)[0]
            yaml.load(text, Loader=yaml.CSafeLoader)

    ours, base = best(lambda: history(root), 3), best(floor, 3)
    points = len(history(root).points)
    rows.append((f"`kam history`, 1,000 accounts x {len(log.commits)} commits ({points:,} points, {len(blobs):,} blobs) "
                 "vs libyaml parsing those blobs (target <= 2x)",
                 f"{ours / base:.2f}x ({ours:.2f} s vs {base:.2f} s)"))


def _wait_for(url: str, text: str, limit: float = 900) -> float:
    """Seconds until the page at `url` holds `text` (polled every 0.2 s)."""
    import urllib.request

    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            if text in urllib.request.urlopen(url, timeout=5).read().decode("utf-8"):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} never showed {text!r}")


def bench_preview(rows: list[tuple[str, str]]) -> None:
    """`kam serve --focus` on 1,000 accounts: start-up, then saving one account file to the
    page served with the edit (target <= 10 s)."""
    import signal
    import socket
    import subprocess

    root = _site_repo(1000, "preview")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "KAM_TODAY": TODAY.isoformat()}
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "--root", str(root), "serve", "--port", str(port),
                               "--focus", "account-00002"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/accounts/account-00002/"
    try:
        started = _wait_for(url, "Account 2")
        edits = []
        for n in range(3):
            account = root / "accounts" / "account-00002" / "account.yml"
            text = account.read_text(encoding="utf-8")
            name = f"Account 2 edit {n}"
            account.write_text(text.replace(text.split("\n", 1)[0], f"name: {name}", 1), encoding="utf-8")
            edits.append(_wait_for(url, name))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    rows.append(("`kam serve --focus`, 1,000 accounts: start-up; save -> page served with the edit (target <= 10 s)",
                 f"start-up {started:.1f} s; edit -> preview **{statistics.median(edits):.1f} s** "
                 f"(median of {len(edits)}: {', '.join(f'{e:.1f}' for e in edits)})"))


def bench_engines(rows: list[tuple[str, str]]) -> None:
    """The tree `kam render` writes, built by MkDocs and, when installed, by Zensical
    (`zensical` on PATH, or $ZENSICAL naming the program). A measurement, not a test."""
    import subprocess

    from click.testing import CliRunner

    from generator.cli import main as kam

    root = _site_repo(100, "engines")
    tree = WORK / "engines-tree"
    if tree.exists():
        shutil.rmtree(tree)
    result = CliRunner().invoke(kam, ["--root", str(root), "render", "--out", str(tree), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output

    def pages(site: Path) -> int:
        return sum(1 for _ in site.rglob("*.html"))

    def mkdocs_build() -> None:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tree / "mkdocs.yml"), "-d",
                        str(WORK / "engines-mkdocs")], check=True, cwd=tree, capture_output=True)

    with_mkdocs = best(mkdocs_build, 1)
    line = f"MkDocs {with_mkdocs:.1f} s ({pages(WORK / 'engines-mkdocs'):,} pages)"
    zensical = os.environ.get("ZENSICAL") or shutil.which("zensical")
    if zensical:
        def zensical_build() -> None:
            shutil.rmtree(tree / "site", ignore_errors=True)
            subprocess.run([zensical, "build", "-c", "-f", str(tree / "mkdocs.yml")], check=True, cwd=tree,
                           capture_output=True)

        with_zensical = best(zensical_build, 1)
        line += (f"; Zensical {with_zensical:.1f} s ({pages(tree / 'site'):,} pages): "
                 f"**{with_zensical / with_mkdocs:.2f}x** MkDocs' time")
    else:
        line += "; Zensical not installed (pip install zensical, or set $ZENSICAL)"
    rows.append(("engines: `kam render` tree of 100 accounts, built by each", line))


def bench_import(rows: list[tuple[str, str]]) -> None:
    """The CRM import: the sample end to end, and a large export's reading and aggregating."""
    import pandas as pd

    from benchmarks.synth_crm import write_export
    from generator.crm import load_mapping, read_export
    from generator.proposals import propose

    sample = HERE.parent / "tests" / "fixtures" / "crm-sales-opportunities"
    kam = str(Path(sys.executable).parent / "kam")
    fresh = WORK / "import-fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    import subprocess

    subprocess.run([kam, "init", str(fresh)], check=True, capture_output=True)

    def import_sample() -> None:
        repo = WORK / "import-sample"
        shutil.rmtree(repo, ignore_errors=True)
        shutil.copytree(fresh, repo)
        subprocess.run([kam, "--root", str(repo), "import", "crm", str(sample), "--today", TODAY.isoformat()],
                       check=True, capture_output=True)

    rows.append(("`kam import crm` of the sample (85 accounts, 8,800 opportunities) into a new repository, "
                 "as a process", f"**{best(import_sample):.2f} s** (target < 2 s)"))
    export = write_export(WORK / "crm-100k", 100_000, 1_000_000)
    mapping, _ = load_mapping(None)
    criteria = check(fresh, TODAY).portfolio.criteria
    files = ("accounts.csv", "sales_pipeline.csv", "sales_teams.csv", "products.csv")

    def floor() -> None:
        for name in files:
            pd.read_csv(export / name)

    def ours() -> None:
        read = read_export(export, mapping)
        propose(read.figures, criteria, mapping.proposals, read.currency, read.as_of)

    base, mine = best(floor, 5), best(ours, 5)  # both read in threads: the machine's load shows; best of 5
    rows.append(("import: reading, checking and aggregating 100,000 accounts and 1,000,000 opportunities, with "
                 "proposals, vs `pandas.read_csv` of the same files",
                 f"{mine:.2f} s vs {base:.2f} s: **{mine / base:.2f}x** (target <= 3)"))


def main(parts: list[str]) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str]] = []
    for name, function in (("validate", bench_validate), ("score", bench_score), ("startup", bench_startup),
                           ("history", bench_history), ("preview", bench_preview), ("engines", bench_engines),
                           ("site", bench_site), ("import", bench_import)):
        if not parts or name in parts:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            function(rows)
    table = "| measure | result |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)
    header = f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} cores, Python {sys.version.split()[0]}.\n\n"
    print(header + table)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(header + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
