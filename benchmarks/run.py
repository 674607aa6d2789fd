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
preview   `kam serve` on 1,000 accounts, with --focus and without: start-up, and saving an account
          file to the page served with the edit. Target: <= 10 s with --focus; a few seconds without,
          also as a ratio to a full build of the same repository in the same run.
engines   the `kam render` tree of 100 accounts built by MkDocs and by Zensical (the test extra installs it).
site      full site builds, each with 100 commits of history, by this checkout ("ours") and by
          today's pipeline (BASELINE_COMMIT, from a git worktree under the work folder, with its own
          mkdocs.yml, playbook and site templates), on the same account files and history; each
          build in a new process, interleaved baseline, ours, baseline, ours, best of each. At 1,000
          accounts: ours / baseline (target <= 0.5); the search index per account (target <= 12
          KB for ours) and its entries; the baseline's indexed words missing from ours (target 0);
          a bare mkdocs-material build of as many plain pages, as context. Ours once more at 2,000
          accounts: time per account against 1,000 (target <= 1.10x) and an account page's HTML
          size (target <= 1.2x). $KAM_BENCH_SITE_SIZES="50,100" sets the two sizes (a quick trial).
import    `kam import crm` of the CRM sample into a new repository, end to end as a process (target
          < 2 s); and reading and aggregating a synthetic export of 100,000 accounts and 1,000,000
          opportunities (everything but writing the account folders) against `pandas.read_csv` of
          the same files with its defaults (target <= 3x).
Each timing is the best of a few repeats; results are printed as a Markdown table and written
to benchmarks/results/latest.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import write_portfolio

# The generator is imported where it is used: `site` builds it in processes of their own, and
# carries on when this checkout's generator is broken mid-change.
HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 24)
WORK = Path(tempfile.gettempdir()) / "kam-bench"
# The pipeline before the work to make the full site build about 2x faster: `site` builds the same
# input with it (a git worktree of this commit under WORK) and with this checkout, as ratios.
BASELINE_COMMIT = "c76d73aa22022f102f2bb7c8b683b63a03658dff"
# The pipeline before the work to make a full build faster without --focus (issue 22): `site`
# builds the same input with it too, and checks that ours writes the same files, byte for byte.
PREVIOUS_COMMIT = "aeb4fc689238857b420f0f1e32e114165cb48ac2"
SITE_SIZES = "KAM_BENCH_SITE_SIZES"  # `site`'s two portfolio sizes, "1000,2000" unless set
CODE_FILES = ("mkdocs.yml", "playbook", "site_templates")  # what a site repository takes from the code
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
    from account_playbooks.core.load import split_front_matter

    for path in sorted(root.rglob("*")):
        if path.suffix == ".yml":
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        elif path.suffix == ".md":
            split = split_front_matter(path.read_text(encoding="utf-8"))
            yaml.load(split[0], Loader=yaml.CSafeLoader)


def bench_validate(rows: list[tuple[str, str]]) -> None:
    from account_playbooks.scoring.check import check

    per_account = []
    for n in (100, 1000, 5000):
        root = write_portfolio(WORK / f"validate-{n}", n)
        repeats = 3 if n <= 1000 else 1
        floor = best(lambda root=root: parse_with_libyaml_alone(root), repeats)
        ours = best(lambda root=root: check(root, TODAY), repeats)
        per_account.append(ours / n)
        rows.append((f"validate, {n:,} accounts", (f"{ours:.2f} s vs libyaml parse {floor:.2f} s: "
                                                   f"**{ours / floor:.2f}x** (target <= 2 at 1,000)")))
    rows.append(("validate, time per account 100 / 1,000 / 5,000",
                 " / ".join(f"{t * 1000:.2f} ms" for t in per_account)))


def bench_hostile(rows: list[tuple[str, str]]) -> None:
    """One line that made the build take hours: each 1 MB runaway body through the renderer's
    Markdown, against 1 MB of prose, as a ratio in this run (the test suite checks the bound
    structurally; this is the time)."""
    import markdown

    from account_playbooks.site.escape import markdown_body
    from tests.test_mdtext import MKDOCS_EXTENSIONS, _runaway_bodies

    def render(text: str) -> None:
        markdown.Markdown(extensions=MKDOCS_EXTENSIONS).convert(str(markdown_body(text, lambda target: target)))

    size = 1_000_000
    prose = ("Renewal pricing goes to tender in 2029; sourcing wants line items. " * (size // 67 + 1))[:size]
    floor = best(lambda: render(prose), 2)
    worst = max((best(lambda text=text: render(text), 1), name) for name, text in _runaway_bodies(size).items())
    rows.append(("hostile body render, 1 MB, the slowest of 9 runaway constructs vs 1 MB of prose",
                 f"{worst[0]:.2f} s ({worst[1]}) vs {floor:.2f} s: **{worst[0] / floor:.2f}x** (was hours; bound 5x)"))


def bench_score(rows: list[tuple[str, str]]) -> None:
    from account_playbooks.analysis.analytics import analyse
    from account_playbooks.core.load import load
    from account_playbooks.scoring.score import score_portfolio
    from account_playbooks.validate import validate

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
    rows.append((f"score + analytics, {n:,} accounts", (f"{back:.2f} s vs load + validate {front:.2f} s: "
                                                         f"**{back / front:.1%}** (target <= 10%)")))


def _install_code_files(root: Path, code: Path) -> None:
    """The files a repository takes from the code that builds it (mkdocs.yml, the playbook, the
    site templates, which come first when rendering), copied from the tree at `code`."""
    for name in CODE_FILES:
        source, target = code / name, root / name
        if target.is_dir():
            shutil.rmtree(target)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    # The playbook's worked example names accounts of the example portfolio.
    for page in (root / "playbook").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("acme-corporation", "account-00000").replace("codehow", "account-00001")
                        .replace("kan-code", "account-00002"),
                        encoding="utf-8")


def _site_repo(n: int, name: str = "site", code: Path = HERE.parent) -> Path:
    root = write_portfolio(WORK / f"{name}-{n}", n)
    _install_code_files(root, code)
    # A git history, so that the generator's share includes reading it (`kam history`'s work).
    from benchmarks.synth import write_history

    write_history(root, 100)
    return root


def _input_made_by(code: Path, n: int, name: str) -> Path:
    """A portfolio of `n` accounts with 100 commits, made by the synth.py of the tree at `code` (an
    older generator refuses what today's synth writes, such as products and contracts), with that
    tree's mkdocs.yml, playbook and templates."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"synth_of_{code.name.replace('-', '_')}",
                                                  code / "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    root = synth.write_portfolio(WORK / f"{name}-{n}", n)
    _install_code_files(root, code)
    # No background `git gc --auto` in that synth's git commands: it would pack the history while it is copied.
    saved = {key: os.environ.get(key) for key in ("GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0")}
    os.environ.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="gc.auto", GIT_CONFIG_VALUE_0="0")
    try:
        synth.write_history(root, 100)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return root


def _baseline_input(root: Path, n: int, code: Path, name: str = "site-baseline") -> Path:
    """The input at `root` (its account files and its git history, byte for byte) with the
    baseline's own mkdocs.yml, playbook and site templates in the working tree: the baseline
    pipeline is its generator with its templates. Those files are not in the history read."""
    copy = WORK / f"{name}-{n}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns("site", "site-baseline"))
    _install_code_files(copy, code)
    return copy


def _git(*args: str, check: bool = True) -> str:
    import subprocess

    done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def _baseline_worktree(commit: str = BASELINE_COMMIT, name: str = "baseline-code") -> Path:
    """A detached git worktree of `commit` under WORK, made once and reused while it is at that
    commit with no tracked file changed. The working tree of this checkout is never touched."""
    repo, tree = str(HERE.parent), WORK / name
    listed = _git("-C", repo, "worktree", "list", "--porcelain")
    registered = tree.resolve() in {Path(line.removeprefix("worktree ")).resolve()
                                    for line in listed.splitlines() if line.startswith("worktree ")}
    if registered and tree.is_dir():
        head = _git("-C", str(tree), "rev-parse", "HEAD", check=False)
        changed = _git("-C", str(tree), "status", "--porcelain", "--untracked-files=no", check=False)
        if head == commit and not changed:
            return tree
    print(f"making a worktree of {commit[:9]} at {tree} ...", file=sys.stderr, flush=True)
    if registered:
        _git("-C", repo, "worktree", "remove", "--force", "--force", str(tree), check=False)
    if tree.exists():
        shutil.rmtree(tree)
    _git("-C", repo, "worktree", "prune")
    _git("-C", repo, "worktree", "add", "--detach", str(tree), commit)
    return tree


# What `_build` did in this process before the 2x work, run in a process of its own with the
# package (and so the mkdocs plugin `kam`, which its entry point names as account_playbooks) of the
# tree `code`: the tree's generator/ folder is registered as `account_playbooks` before anything is
# imported (the package imports itself relatively, so a tree from before the rename loads the same
# way), and the editable install is never asked. The build fails if any of it came from elsewhere.
_BUILD_SCRIPT = r"""
import importlib.util, sys
code, root, site, today = sys.argv[1:5]
sys.path.insert(0, code)
import datetime as dt, inspect, json, time
from pathlib import Path
_folder = Path(code) / "generator"
_spec = importlib.util.spec_from_file_location("account_playbooks", _folder / "__init__.py",
                                               submodule_search_locations=[str(_folder)])
generator = importlib.util.module_from_spec(_spec)
sys.modules["account_playbooks"] = generator
_spec.loader.exec_module(generator)
if not (_folder / "site" / "build.py").exists():  # a tree from before the packages by stage (the baseline)
    import importlib, types
    sys.modules["account_playbooks.site"] = types.ModuleType("account_playbooks.site")  # never this checkout's
    sys.modules["account_playbooks.site.build"] = importlib.import_module("account_playbooks.pipeline")
    sys.modules["account_playbooks.site.plugin"] = importlib.import_module("account_playbooks.plugin")
from account_playbooks.site.build import generate
from mkdocs.commands.build import build
from mkdocs.config import load_config

def outside(path):
    return path is not None and not Path(path).resolve().is_relative_to(Path(code).resolve())

if outside(generator.__file__):
    sys.exit(f"kam-bench: generator imported from {generator.__file__}, not from {code}")
start = time.perf_counter()
options = {"split": True} if "split" in inspect.signature(generate).parameters else {}  # as `kam build` calls it
generated = generate(Path(root), dt.date.fromisoformat(today), **options)
config = load_config(config_file=str(Path(root) / "mkdocs.yml"), site_dir=site)
plugin = config.plugins["kam"]
if "pregenerated" in plugin.config:  # a configuration option now; an attribute in versions before it
    plugin.config.pregenerated = generated
else:
    plugin.pregenerated = generated
build(config)
seconds = time.perf_counter() - start
plugin_file = sys.modules[type(plugin).__module__].__file__
used = {name: getattr(module, "__file__", None) for name, module in list(sys.modules.items())
        if name == "account_playbooks" or name.startswith("account_playbooks.")}
used["plugin " + type(plugin).__qualname__] = plugin_file
for module, attribute in (("account_playbooks.site.build", "THEME_OVERRIDES"), ("account_playbooks.site.render", "DEFAULT_TEMPLATES")):
    used[module + "." + attribute] = getattr(sys.modules.get(module), attribute, None)
strays = {name: str(path) for name, path in used.items() if outside(path)}
if strays:
    sys.exit(f"kam-bench: not from {code}: {strays}")
print("KAM-BENCH " + json.dumps({"seconds": seconds, "generator": generator.__file__, "plugin": plugin_file}))
"""


def _build_process(code: Path, root: Path, site: Path, label: str) -> tuple[float, float] | str:
    """Build the site of `root` into `site` with the code at `code`, in a new process: (seconds of
    generate + load_config + build, seconds of the whole process), or why it failed."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(NO_MKDOCS_2_WARNING="1", KAM_TODAY=TODAY.isoformat())
    print(f"  building {label} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _BUILD_SCRIPT, str(code), str(root), str(site), TODAY.isoformat()],
                              cwd=root, env=env, capture_output=True, text=True, timeout=3600, check=False)
    except subprocess.TimeoutExpired:
        print(f"  {label}: timed out after 3600 s", file=sys.stderr, flush=True)
        return "timed out after 3600 s"
    wall = time.perf_counter() - start
    marks = [line for line in done.stdout.splitlines() if line.startswith("KAM-BENCH ")]
    if done.returncode != 0 or not marks:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        tail = "\n".join("    " + line for line in lines[-40:])
        print(f"  {label}: FAILED (exit {done.returncode}); the end of its stderr:\n{tail}", file=sys.stderr, flush=True)
        last = (lines[-1].strip() if lines else "no output")[:160]
        return f"exit {done.returncode}: {last}".replace("|", "\\|")
    result = json.loads(marks[-1].removeprefix("KAM-BENCH "))
    print(f"  {label}: {result['seconds']:.1f} s (process {wall:.1f} s); generator {result['generator']}, "
          f"plugin {result['plugin']}", file=sys.stderr, flush=True)
    return result["seconds"], wall


def _best_run(runs: list[tuple[float, float] | str]) -> tuple[float, float] | str:
    """The fastest of the runs that succeeded (by build time), or the first failure."""
    good = [r for r in runs if not isinstance(r, str)]
    return min(good) if good else runs[0]


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _index_words(site: Path) -> tuple[set[str], int] | None:
    """Lower-cased words of three or more characters (runs of letters and digits) in the titles
    and texts of a site's search index, and the number of its entries."""
    try:
        docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    words: set[str] = set()
    for entry in docs:
        for field in ("title", "text"):
            words.update(w for w in re.findall(r"[^\W_]+", str(entry.get(field) or "").lower()) if len(w) >= 3)
    return words, len(docs)


def _site_sizes() -> tuple[int, int]:
    raw = os.environ.get(SITE_SIZES, "1000,2000")
    try:
        small, large = (int(v) for v in raw.split(","))
    except ValueError:
        raise SystemExit(f"${SITE_SIZES} must be two account counts, such as 1000,2000; it is {raw!r}") from None
    if not 3 <= small < large:
        raise SystemExit(f"${SITE_SIZES}: need 3 <= first < second; it is {raw!r}")
    return small, large


def _kb(size: int | None) -> str:
    return "missing" if size is None else f"{size / 1024:,.1f} KB"


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
    n, large = _site_sizes()
    base_code, our_code, previous_code = _baseline_worktree(), HERE.parent, _baseline_worktree(PREVIOUS_COMMIT, "previous-code")
    root = _site_repo(n)
    # The older builds refuse what today's synth writes (products, contracts): each builds the input its
    # own synth.py writes, and ours builds the same input beside it (with our templates and playbook).
    base_root = _input_made_by(base_code, n, "site-baseline")
    ours_on_base = _baseline_input(base_root, n, our_code, "site-ours-on-baseline")
    previous_root = _input_made_by(previous_code, n, "site-previous")
    ours_on_previous = _baseline_input(previous_root, n, our_code, "site-ours-on-previous")
    our_site, base_site, previous_site = root / "site", base_root / "site", previous_root / "site"
    base_runs: list[tuple[float, float] | str] = []
    our_runs: list[tuple[float, float] | str] = []
    previous_runs: list[tuple[float, float] | str] = []
    ours_previous_runs: list[tuple[float, float] | str] = []
    ours_base_runs: list[tuple[float, float] | str] = []
    for _ in range(2):  # interleaved, best of each: the machine is shared
        base_runs.append(_build_process(base_code, base_root, base_site, f"baseline, {n:,} accounts"))
        ours_base_runs.append(_build_process(our_code, ours_on_base, ours_on_base / "site",
                                             f"ours on the baseline's input, {n:,} accounts"))
        previous_runs.append(_build_process(previous_code, previous_root, previous_site, f"previous, {n:,} accounts"))
        ours_previous_runs.append(_build_process(our_code, ours_on_previous, ours_on_previous / "site",
                                                 f"ours on the previous input, {n:,} accounts"))
        our_runs.append(_build_process(our_code, root, our_site, f"ours, {n:,} accounts"))
    base, ours, previous = _best_run(base_runs), _best_run(our_runs), _best_run(previous_runs)
    ours_base = _best_run(ours_base_runs)
    rows.append(_previous_row(n, _best_run(ours_previous_runs), previous, ours_on_previous / "site", previous_site))
    failed = sum(isinstance(r, str) for r in base_runs + ours_base_runs)
    note = f"; {failed} of 4 builds failed (see stderr)" if failed else ""
    shown = our_site if not isinstance(ours, str) else None
    pages = sum(1 for _ in shown.rglob("index.html")) if shown else 0
    label = f"site, {n:,} accounts, ours vs the baseline {BASELINE_COMMIT[:9]}, on the baseline's synthetic input"
    if isinstance(base, str) or isinstance(ours_base, str):
        rows.append((label, f"**failed**: baseline {_seconds(base)}, ours {_seconds(ours_base)}{note}"))
    else:
        rows.append((label, (f"{ours_base[0]:.1f} s vs {base[0]:.1f} s: **{ours_base[0] / base[0]:.2f}x** (target <= 0.5); "
                            f"whole processes {ours_base[1]:.1f} s vs {base[1]:.1f} s ({ours_base[1] / base[1]:.2f}x); "
                            f"best of 2 each, interleaved, each in a new process{note}")))
    if not isinstance(ours, str):
        rows.append((f"site, {n:,} accounts ({pages:,} pages) of today's synthetic input (products, contracts), ours",
                     f"{ours[0]:.1f} s; whole process {ours[1]:.1f} s"))

    # A failed build's folder may hold part of a site: only built sites are measured (on the same input).
    sites = {name: site for name, site, run in (("ours", ours_on_base / "site", ours_base), ("baseline", base_site, base))
             if not isinstance(run, str)}
    indexes = {name: _size(site / "search" / "search_index.json") for name, site in sites.items()}
    words = {name: _index_words(site) for name, site in sites.items()}

    def index_line(name: str, bold: bool) -> str:
        if name not in sites:
            return f"{name}: not built"
        size, read = indexes[name], words[name]
        if size is None:
            return f"{name}: missing"
        per = f"{size / n / 1024:.1f} KB per account"
        return (f"{name} {size / 1024:,.0f} KB = {f'**{per}**' if bold else per}, "
                f"{'?' if read is None else f'{read[1]:,}'} entries")

    rows.append((f"search index, {n:,} accounts",
                 f"{index_line('ours', True)} (target <= 12 KB per account); {index_line('baseline', False)}"))
    if words.get("ours") is None or words.get("baseline") is None:
        coverage = "not compared: a site was not built, or its search index is missing or unreadable"
    else:
        ours_words, base_words = words["ours"][0], words["baseline"][0]
        missing = sorted(base_words - ours_words)
        coverage = (f"**{len(missing):,}** of the baseline's {len(base_words):,} (target 0)"
                    + (f": {', '.join(missing[:10])}" + (", ..." if len(missing) > 10 else "") if missing else "")
                    + f"; words in ours the baseline lacks: {', '.join(sorted(ours_words - base_words)[:10]) or 'none'}")
    rows.append(((f"search coverage, {n:,} accounts: the baseline's indexed words (3+ characters, titles and texts) "
                 "missing from ours"), coverage))

    root_large = _site_repo(large)
    ours_large = _build_process(our_code, root_large, root_large / "site", f"ours, {large:,} accounts")
    if isinstance(ours, str) or isinstance(ours_large, str):
        scaling = f"**failed**: {n:,}: {_seconds(ours)}; {large:,}: {_seconds(ours_large)}"
    else:
        ratio = (ours_large[0] / large) / (ours[0] / n)
        scaling = (f"{ours_large[0]:.1f} s for {large:,} vs {ours[0]:.1f} s for {n:,}: "
                   f"{ours_large[0] / large * 1000:.0f} vs {ours[0] / n * 1000:.0f} ms per account, "
                   f"**{ratio:.2f}x** (target <= 1.10)")
    rows.append((f"site, ours, time per account, {n:,} -> {large:,} accounts", scaling))

    page = Path("accounts") / "account-00002" / "index.html"
    small_page = None if isinstance(ours, str) else _size(our_site / page)
    large_page = None if isinstance(ours_large, str) else _size(root_large / "site" / page)
    growth = f"**{large_page / small_page:.2f}x**" if small_page and large_page else "not compared"
    rows.append((f"account page HTML, ours, {n:,} -> {large:,} accounts",
                 (f"{_kb(small_page)} -> {_kb(large_page)}: {growth} (target <= 1.2x); "
                 f"the baseline's at {n:,}: {_kb(None if isinstance(base, str) else _size(base_site / page))}")))

    if not isinstance(ours, str):  # the morning view at scale (issue: under 250 KB, one screen to read)
        home = (our_site / "index.html").read_text(encoding="utf-8")
        shown_rows = home.count("<tr data-kind=")
        carried = home.count('<tr class="kam-extra" hidden data-kind=')
        total = (our_site / "attention" / "index.html").read_text(encoding="utf-8").count("<tr data-kind=")
        rows.append((f"home page, {n:,} accounts", (f"{_kb(len(home.encode()))} (target < 250 KB); attention rows "
                     f"{shown_rows} shown + {carried} carried for filters, of {total:,} on the full list; "
                     f"{home.count('<tr')} table rows in all")))

    footprint = Path("footprint") / "index.html"  # capped (site/render.py's FOOTPRINT_LIMITS): flat with size
    sizes = [None if isinstance(run, str) else _size(site / footprint)
             for run, site in ((ours, our_site), (ours_large, root_large / "site"))]
    rows.append((f"footprint page HTML, ours, {n:,} -> {large:,} accounts",
                 f"{_kb(sizes[0])} -> {_kb(sizes[1])} (target < 250 KB, about flat)"))

    if pages:
        markdown_words = statistics.mean(len(p.read_text(encoding="utf-8").split())
                                         for p in (shown / "accounts" / "account-00002").rglob("index.html"))
        bare = _bare_site(pages, int(markdown_words // 4))
        versus = "; ".join(f"{name} {r[0] / bare:.2f}x" for name, r in (("ours", ours), ("baseline", base))
                           if not isinstance(r, str))
        rows.append((f"bare mkdocs-material, {pages:,} plain pages (context for {n:,} accounts)",
                     f"{bare:.1f} s ({versus})"))


def _previous_row(n: int, ours, previous, our_site: Path, previous_site: Path) -> tuple[str, str]:
    label = (f"site, {n:,} accounts, ours vs the build before issue 22's speed work ({PREVIOUS_COMMIT[:9]}), "
             "on that build's synthetic input")
    if isinstance(ours, str) or isinstance(previous, str):
        return label, f"**failed**: previous {_seconds(previous)}, ours {_seconds(ours)}"
    # Since then the site gained pages (briefs, the footprint, calendars): the files are compared step by
    # step instead (tests, and benchmarks/README.md's rounds), not against this build.
    written = sum(1 for p in our_site.rglob("*") if p.is_file())
    theirs = sum(1 for p in previous_site.rglob("*") if p.is_file())
    return label, (f"{ours[0]:.1f} s vs {previous[0]:.1f} s: **{ours[0] / previous[0]:.2f}x** (target: under 25 s where "
                   f"it was 48 s, 0.52x); whole processes {ours[1]:.1f} s vs {previous[1]:.1f} s; "
                   f"files written {written:,} vs {theirs:,}")


def _seconds(run: tuple[float, float] | str) -> str:
    return run if isinstance(run, str) else f"{run[0]:.1f} s"


def _process_time(command: list[str], repeats: int = 5) -> float:
    import subprocess

    return best(lambda: subprocess.run(command, check=False, capture_output=True), repeats)


def _interleaved(floor: list[str], ours: list[str], repeats: int = 5) -> tuple[float, float]:
    """Best of `repeats` for each command, run in turns: a slow spell on a shared machine then
    falls on both sides of the ratio, not on one."""
    import subprocess

    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for command, found in zip((floor, ours), times):
            start = time.perf_counter()
            subprocess.run(command, check=False, capture_output=True)
            found.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


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
    parse_time, validate_time = _interleaved([sys.executable, "-c", parse],
                                             [kam, "--root", str(root), "validate", "--today", TODAY.isoformat()])
    rows.append(("`kam validate`, 1,000 accounts, vs a process parsing the same files with libyaml",
                 f"{validate_time:.2f} s vs {parse_time:.2f} s: **{validate_time / parse_time:.2f}x** (target <= 1.3)"))


def bench_history(rows: list[tuple[str, str]]) -> None:
    """`kam history` over 1,000 accounts and 500 commits against parsing, with libyaml alone, the
    blobs it has to read (every version of every file the commits changed)."""
    from account_playbooks.core.load import split_front_matter
    from account_playbooks.history.gitlog import read_blobs, read_log
    from account_playbooks.history.timeline import history
    from benchmarks.synth import write_history

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
    rows.append(((f"`kam history`, 1,000 accounts x {len(log.commits)} commits ({points:,} points, {len(blobs):,} blobs) "
                 "vs libyaml parsing those blobs (target <= 2x)"),
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


def _serve_and_edit(root: Path, *extra: str, edits: int = 3) -> tuple[float, list[float]]:
    """`kam serve` of `root` (with `extra` options): seconds until account-00002's page is served,
    then, for each of `edits` saves of its account.yml, seconds until the page shows the edit."""
    import signal
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "KAM_TODAY": TODAY.isoformat()}
    server = subprocess.Popen([sys.executable, "-m", "account_playbooks.cli.commands", "--root", str(root), "serve", "--port",
                               str(port), *extra], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/accounts/account-00002/"
    account = root / "accounts" / "account-00002" / "account.yml"
    original = account.read_text(encoding="utf-8")
    try:
        started = _wait_for(url, "Account 2")
        times = []
        for n in range(edits):
            name = f"Account 2 edit {n}"
            account.write_text(original.replace(original.split("\n", 1)[0], f"name: {name}", 1), encoding="utf-8")
            times.append(_wait_for(url, name))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        account.write_text(original, encoding="utf-8")
    return started, times


def bench_preview(rows: list[tuple[str, str]]) -> None:
    """`kam serve` on 1,000 accounts, with --focus (target <= 10 s from a save to the page served
    with the edit) and without it, where a save builds again only the pages it reaches (target:
    a few seconds, measured against a full build of the same repository in the same run)."""
    root = _site_repo(1000, "preview")
    started, edits = _serve_and_edit(root, "--focus", "account-00002")
    rows.append(("`kam serve --focus`, 1,000 accounts: start-up; save -> page served with the edit (target <= 10 s)",
                 (f"start-up {started:.1f} s; edit -> preview **{statistics.median(edits):.1f} s** "
                 f"(median of {len(edits)}: {', '.join(f'{e:.1f}' for e in edits)})")))
    started, edits = _serve_and_edit(root)
    full = _build_process(HERE.parent, root, root / "site", "ours, 1,000 accounts (a full build, for the preview)")
    edit = statistics.median(edits)
    versus = "not compared: the full build failed" if isinstance(full, str) else \
        f"full build {full[0]:.1f} s: **{edit / full[0]:.2f}x**"
    rows.append(("`kam serve` without --focus, 1,000 accounts: start-up; save -> page served with the edit, "
                 "against a full build (target: a few seconds)",
                 (f"start-up {started:.1f} s; edit -> preview **{edit:.1f} s** (median of {len(edits)}: "
                  f"{', '.join(f'{e:.1f}' for e in edits)}); {versus}")))


def bench_engines(rows: list[tuple[str, str]]) -> None:
    """The tree `kam render` writes, built by MkDocs and by Zensical (found as `kam build --engine
    zensical` finds it, or $ZENSICAL naming the program), best of two each, in this run. A
    measurement, not a test."""
    import subprocess

    from click.testing import CliRunner

    from account_playbooks.cli.commands import main as kam
    from account_playbooks.site.engines import EngineMissing, zensical_command

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

    with_mkdocs = best(mkdocs_build, 2)
    line = f"MkDocs {with_mkdocs:.1f} s ({pages(WORK / 'engines-mkdocs'):,} pages)"
    try:
        zensical = [os.environ["ZENSICAL"]] if os.environ.get("ZENSICAL") else zensical_command()
    except EngineMissing:
        zensical = None
    if zensical:
        def zensical_build() -> None:
            shutil.rmtree(tree / "site", ignore_errors=True)
            subprocess.run([*zensical, "build", "--clean", "-f", str(tree / "mkdocs.yml")], check=True, cwd=tree,
                           capture_output=True)

        with_zensical = best(zensical_build, 2)
        line += (f"; Zensical {with_zensical:.1f} s ({pages(tree / 'site'):,} pages): "
                 f"**{with_zensical / with_mkdocs:.2f}x** MkDocs' time")
    else:
        line += "; Zensical not installed (pip install -e '.[test]', or set $ZENSICAL)"
    rows.append(("engines: `kam render` tree of 100 accounts, built by each", line))


def bench_import(rows: list[tuple[str, str]]) -> None:
    """The CRM import: the sample end to end, and a large export's reading and aggregating."""
    import pandas as pd

    from account_playbooks.crm.proposals import propose
    from account_playbooks.crm.reader import load_mapping, read_export
    from account_playbooks.scoring.check import check
    from benchmarks.synth_crm import write_export

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

    rows.append((("`kam import crm` of the sample (85 accounts, 8,800 opportunities) into a new repository, "
                 "as a process"), f"**{best(import_sample):.2f} s** (target < 2 s)"))
    export = write_export(WORK / "crm-100k", 100_000, 1_000_000)
    mapping, _ = load_mapping(None)
    criteria = check(fresh, TODAY).portfolio.criteria
    files = ("accounts.csv", "sales_pipeline.csv", "sales_teams.csv", "products.csv")

    def floor() -> None:
        for name in files:
            pd.read_csv(export / name)

    def ours() -> None:
        read = read_export(export, mapping, today=TODAY)
        propose(read.figures, criteria, mapping.proposals, read.currency, read.as_of)

    base, mine = best(floor, 5), best(ours, 5)  # both read in threads: the machine's load shows; best of 5
    rows.append((("import: reading, checking and aggregating 100,000 accounts and 1,000,000 opportunities, with "
                 "proposals, vs `pandas.read_csv` of the same files"),
                 f"{mine:.2f} s vs {base:.2f} s: **{mine / base:.2f}x** (target <= 3)"))


def main(parts: list[str]) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str]] = []
    for name, function in (("validate", bench_validate), ("hostile", bench_hostile), ("score", bench_score), ("startup", bench_startup),
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
    from account_playbooks.core.collector import relaxed_collector

    with relaxed_collector():  # as the CLI holds it: the in-process figures measure what `kam` does
        main(sys.argv[1:])
