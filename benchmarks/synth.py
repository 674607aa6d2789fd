"""A synthetic portfolio of N accounts with the example accounts' shapes, for benchmarks."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["decision_maker", "champion", "economic_buyer", "influencer", "user", "gatekeeper"]
SENTIMENTS = ["advocate", "supporter", "neutral", "skeptic", "detractor"]
STATUSES = ["planned", "in_progress", "at_risk", "done"]
WORDS = ["platform", "rollout", "warehouse", "budget", "renewal", "pilot", "migration", "quarterly",
         "roadmap", "adoption", "service", "uptime", "pricing", "tender", "procurement", "integration",
         "analytics", "expansion", "region", "sponsor", "workshop"]


# The catalogue the synthetic accounts buy from: (product, family, typical won value).
PRODUCTS = [("Core Basic", "Core", 40_000), ("Core Pro", "Core", 180_000), ("Core Plus", "Core", 320_000),
            ("Edge Lite", "Edge", 25_000), ("Edge Fleet", "Edge", 260_000), ("Insight Reports", "Insight", 60_000),
            ("Insight Live", "Insight", 210_000), ("Care Standard", "Care", 30_000), ("Care Premier", "Care", 150_000),
            ("Training Days", "Services", 15_000)]


def _crm(rng: random.Random) -> str:
    """A crm record with two to six products bought, largest won value first."""
    bought = [(name, family, round(typical * rng.uniform(0.3, 3)), rng.randint(1, 30))
              for name, family, typical in rng.sample(PRODUCTS, rng.randint(2, 6))]
    lines = [f'    - {{name: "{n}", family: "{f}", won: {w}, deals: {d}}}'
             for n, f, w, d in sorted(bought, key=lambda b: -b[2])]
    return ('crm:\n  source: "synthetic"\n  as_of: 2026-10-31\n  imported_on: 2026-11-02\n'
            '  fingerprint: "sha256:0123456789abcdef"\n  products:\n' + "\n".join(lines) + "\n")


def _sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _contract(i: int, today: dt.date) -> str:
    """Every third account has a contract, renewing from a month ago to a year ahead (no draw from the
    random stream, so the rest of the portfolio is the same with or without contracts)."""
    if i % 3:
        return ""
    return f"contract: {{renewal: {today + dt.timedelta(days=(i * 37) % 400 - 30)}, term_months: {12 * (1 + i % 4)}}}\n"


def write_portfolio(target: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    products = random.Random(seed + 1)  # its own stream: every other figure stays as it was
    if target.exists():
        shutil.rmtree(target)
    (target / "accounts").mkdir(parents=True)
    for name in ("criteria.yml", "team.yml"):
        shutil.copy(ROOT / name, target / name)
    team = ["reed-clapper", "darcel-schlecht", "corliss-cosme", "rocco-neubert", "melvin-marxen", "ines-halvorsen"]
    today = dt.date(2026, 11, 24)
    for i in range(n):
        account_id = f"account-{i:05d}"
        folder = target / "accounts" / account_id
        (folder / "reviews").mkdir(parents=True)
        scores = {c: rng.randint(2, 10) for c in ("revenue_potential", "strategic_fit", "relationship_strength",
                                                  "growth_outlook")}
        score_lines = "\n".join(f'  {c}: {{score: {s}, why: "{_sentence(rng, 10)}"}}' for c, s in scores.items())
        (folder / "account.yml").write_text(f"""name: Account {i}
industry: {rng.choice(['Software', 'Retail', 'Medical', 'Finance', 'Services'])}
region: {rng.choice(['AMER', 'EMEA', 'APAC', 'LATAM'])}
headquarters: City {i % 97}, Country
parent: {f'account-{i - 1:05d}' if i % 10 == 1 else 'null'}
customer_since: 2019-04-01
owner: {team[i % 3]}
executive_sponsor: {team[3 + i % 2]}
team:
  - {{person: {team[5]}, role: Solutions engineer}}
financials: {{currency: USD, annual_revenue: {rng.randint(100, 9000) * 1000}, revenue_potential: {rng.randint(900, 20000) * 1000}}}
scores:
{score_lines}
tags: [{rng.choice(['expansion', 'renewal', 'pilot'])}]
{_contract(i, today)}
{_crm(products)}""", encoding="utf-8")
        people = []
        for j in range(6):
            people.append(f"""- id: person-{j}
  name: Person {j} of {i}
  title: Title {j}
  role: {ROLES[j]}
  influence: {rng.choice(['high', 'medium', 'low'])}
  sentiment: {rng.choice(SENTIMENTS)}
  reports_to: {'null' if j == 0 else f'person-{(j - 1) // 2}'}
  relationship_owner: {team[j % 3]}
  last_contact: {today - dt.timedelta(days=rng.randint(1, 120))}
  notes: {_sentence(rng)}
""")
        (folder / "stakeholders.yml").write_text("".join(people), encoding="utf-8")
        goals = []
        for j, horizon in enumerate(["short", "mid", "long", "short"]):
            goals.append(f"""- id: goal-{j}
  title: {_sentence(rng, 6)}
  horizon: {horizon}
  owner: {team[j % 3]}
  due: {today + dt.timedelta(days=60 + 200 * j)}
  status: {STATUSES[j % 3]}
  measure: {{metric: Sites live, current: {j}, target: {j + 5}}}
  sponsor: person-{j}
""")
        (folder / "goals.yml").write_text("".join(goals), encoding="utf-8")
        sections = ["Relationships", "Customer's Business", "Account Goals", "Account Strategy", "Executive Sponsor Plan"]
        body = "\n".join(f"## {s}\n\n{_sentence(rng, 40)} {_sentence(rng, 30)} [[{account_id}#person-1]]\n" for s in sections)
        (folder / "strategy.md").write_text(f"---\nupdated: 2026-10-15\n---\n# Account {i} plan\n\n{body}", encoding="utf-8")
        for k, days in enumerate((200, 110, 20)):
            date = today - dt.timedelta(days=days)
            (folder / "reviews" / f"{date}-review-{k}.md").write_text(f"""---
date: {date}
type: qbr
attendees: [person-0, person-1, {team[i % 3]}]
satisfaction: {rng.randint(5, 10)}
kpis: {{revenue: {rng.randint(100, 9000) * 1000}, retention_pct: {rng.randint(80, 100)}, nps: {rng.randint(-10, 60)}}}
actions:
  - {{title: {_sentence(rng, 5)}, owner: {team[i % 3]}, due: {date + dt.timedelta(days=30 + 60 * k)}, goal: goal-{k}}}
---
# Review {k}

{_sentence(rng, 60)}
""", encoding="utf-8")
    return target


def write_history(root: Path, commits: int, seed: int = 11) -> None:
    """Commit the portfolio under `root`, then `commits - 1` more commits on top through one
    `git fast-import`: each edits one to three accounts' scores, every 50th moves a weight in
    criteria.yml (a portfolio-wide rescore)."""
    import re
    import subprocess

    rng = random.Random(seed)
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com"}

    def run(*args, **kw):
        return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True, **kw)

    run("init", "-q", "-b", "main")
    # No background `git gc --auto` after the first commit's thousands of loose objects: it packs them
    # while the bench copies the repository, and the copy fails on objects that moved.
    run("config", "gc.auto", "0")
    run("add", "-A")
    run("commit", "-q", "-m", "portfolio")
    ids = sorted(p.name for p in (root / "accounts").iterdir())
    texts: dict[str, str] = {}
    stream: list[bytes] = []

    def data(payload: str) -> None:
        raw = payload.encode()
        stream.append(b"data %d\n" % len(raw) + raw + b"\n")

    for n in range(1, commits):
        changed: dict[str, str] = {}
        if n % 50 == 0:
            path = "criteria.yml"
            text = texts.get(path) or (root / path).read_text(encoding="utf-8")
            step = 5 if n % 100 == 0 else -5  # down and back up: every one of them a real change
            changed[path] = re.sub(r"weight: (\d+)", lambda m, step=step: f"weight: {int(m.group(1)) + step}", text, count=1)
        else:
            for account in rng.sample(ids, rng.randint(1, 3)):
                path = f"accounts/{account}/account.yml"
                text = texts.get(path) or (root / path).read_text(encoding="utf-8")
                current = int(re.search(r"\{score: (\d+)", text).group(1))
                score = rng.choice([v for v in range(2, 11) if v != current])  # never a no-op commit
                changed[path] = re.sub(r"\{score: \d+", f"{{score: {score}", text, count=1)
        texts.update(changed)
        stream.append(b"commit refs/heads/main\ncommitter Bench <b@example.com> %d +0000\n" % (1_700_000_000 + n * 3600))
        data(f"commit {n}")
        if n == 1:
            stream.append(b"from refs/heads/main^0\n")
        for path, text in changed.items():
            stream.append(f"M 100644 inline {path}\n".encode())
            data(text)
    run("fast-import", "--quiet", input=b"".join(stream))
    run("reset", "-q", "--hard")
