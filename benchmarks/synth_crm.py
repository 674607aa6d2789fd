"""A synthetic CRM export in the sample's layout (accounts, sales teams, products, pipeline), of
any size, for `benchmarks/run.py import`. Written with numpy and pandas; the same seed gives
the same files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SECTORS = np.array(["retail", "technolgy", "medical", "marketing", "finance", "software", "entertainment"])
COUNTRIES = np.array(["United States", "Kenya", "Philipines", "Japan", "Italy", "Norway", "Brazil"])
PRODUCTS = pd.DataFrame({"product": ["GTX Basic", "GTX Pro", "MG Special", "MG Advanced", "GTX Plus Pro",
                                     "GTX Plus Basic", "GTK 500"],
                         "series": ["GTX", "GTX", "MG", "MG", "GTX", "GTX", "GTK"],
                         "sales_price": [550, 4821, 55, 3393, 5482, 1096, 26768]})
STAGES = np.array(["Won", "Lost", "Engaging", "Prospecting"])


def write_export(folder: Path, accounts: int, opportunities: int, agents: int = 300, seed: int = 7) -> Path:
    """Write the export unless it is there already (it takes a few seconds at a million rows)."""
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    names = np.array([f"Company {i:06d}" for i in range(accounts)], dtype=object)
    parent = np.where(rng.random(accounts) < 0.05, names[rng.integers(0, accounts, accounts)], "")
    parent = np.where(parent == names, "", parent)  # nobody is their own parent
    pd.DataFrame({"account": names, "sector": SECTORS[rng.integers(0, len(SECTORS), accounts)],
                  "year_established": rng.integers(1950, 2015, accounts),
                  "revenue": np.round(rng.gamma(2, 500, accounts), 2), "employees": rng.integers(10, 30000, accounts),
                  "office_location": COUNTRIES[rng.integers(0, len(COUNTRIES), accounts)],
                  "subsidiary_of": parent}).to_csv(folder / "accounts.csv", index=False)
    agent_names = np.array([f"Agent {i:04d}" for i in range(agents)], dtype=object)
    managers = np.array([f"Manager {i:03d}" for i in range(agents // 6)], dtype=object)
    pd.DataFrame({"sales_agent": agent_names, "manager": managers[np.arange(agents) % len(managers)],
                  "regional_office": np.array(["Central", "East", "West"])[np.arange(agents) % 3]}).to_csv(
        folder / "sales_teams.csv", index=False)
    PRODUCTS.to_csv(folder / "products.csv", index=False)
    stage = STAGES[rng.choice(4, opportunities, p=[0.48, 0.28, 0.18, 0.06])]
    closed = np.isin(stage, ["Won", "Lost"])
    engage = pd.Timestamp("2016-10-20") + pd.to_timedelta(rng.integers(0, 400, opportunities), unit="D")
    close = engage + pd.to_timedelta(rng.integers(1, 140, opportunities), unit="D")
    product = PRODUCTS["product"].to_numpy()[rng.integers(0, len(PRODUCTS), opportunities)]
    price = PRODUCTS.set_index("product")["sales_price"].reindex(product).to_numpy()
    value = np.where(stage == "Won", np.round(price * rng.uniform(0.8, 1.2, opportunities)), 0)
    account = names[rng.integers(0, accounts, opportunities)]
    account = np.where(rng.random(opportunities) < 0.15, "", account)  # pipeline rows without an account
    pd.DataFrame({
        "opportunity_id": np.char.add("OP", np.arange(opportunities).astype(str)),
        "sales_agent": agent_names[rng.integers(0, agents, opportunities)],
        "product": product, "account": account, "deal_stage": stage,
        "engage_date": engage.strftime("%Y-%m-%d"),
        "close_date": np.where(closed, close.strftime("%Y-%m-%d"), ""),
        "close_value": np.where(closed, value.astype(int).astype(str), ""),
    }).to_csv(folder / "sales_pipeline.csv", index=False)
    done.write_text("", encoding="utf-8")
    return folder
