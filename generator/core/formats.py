"""How figures read on the site: money with its currency, scores, percentages, plain numbers."""

from __future__ import annotations


def money(value: float | None, currency: str = "") -> str:
    """1234567 as "USD 1.2M": short enough for a table cell, with the currency always shown."""
    if value is None:
        return "—"
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{currency} {value / limit:.1f}{suffix}".strip()
    return f"{currency} {value:,.0f}".strip()


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def label(value: str) -> str:
    return value.replace("_", " ")


