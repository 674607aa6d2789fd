"""Charts: points and labels land inside the plot area on any criteria scale."""

from __future__ import annotations

import re

import pytest

from account_playbooks.site.charts import change_mark, measure_words, own_range, progress_bar, scatter, ticks, trend

WIDTH, HEIGHT = 560, 320
TOP, BOTTOM = 12, HEIGHT - 40  # scatter's plot area, top padding and x-axis line


def _dots(svg: str) -> list[tuple[float, float]]:
    """The centres of the plotted points (a marker's path starts with a move to its centre)."""
    return [(float(x), float(y)) for x, y in re.findall(r'<path d="M([\d.-]+),([\d.-]+) m[^"]*" class="dot [^"]*"><title>', svg)]


@pytest.mark.parametrize("low, high", [(1, 5), (0, 100), (1, 10), (-5, 5)])
def test_scatter_points_at_the_scale_ends_stay_in_the_plot(low, high):
    points = [("lowest", 0.0, float(low), "tier-standard"), ("highest", 5e6, float(high), "tier-gold"),
              ("middle", 2e6, (low + high) / 2, "tier-silver")]
    svg = str(scatter("t", points, [("Gold", (low + high) / 2)], "x", "y", y_range=(low, high)))
    dots = dict(zip(["lowest", "highest", "middle"], _dots(svg)))
    assert dots["lowest"][1] == BOTTOM and dots["highest"][1] == TOP
    assert dots["middle"][1] == pytest.approx((TOP + BOTTOM) / 2, abs=0.1)
    assert all(56 <= x <= WIDTH - 20 for x, _ in dots.values())
    assert f'class="small">{low:g}</text>' in svg and f'class="small">{high:g}</text>' in svg
    # the x axis is drawn at the bottom of the scale, not at 0
    assert f'<line x1="56" y1="{BOTTOM:.1f}" x2="{WIDTH - 20}" y2="{BOTTOM:.1f}" class="axis"/>' in svg


def test_scatter_on_a_0_100_scale_does_not_clip_high_scores():
    svg = str(scatter("t", [("a", 1.0, 92.0, "tier-gold")], [], "x", "y", y_range=(0, 100)))
    (_, y), = _dots(svg)
    assert TOP <= y <= BOTTOM and y == pytest.approx(BOTTOM - (BOTTOM - TOP) * 0.92, abs=0.1)


def test_ticks_are_round_and_span_the_scale():
    assert ticks(1, 10) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert ticks(1, 5) == [1, 2, 3, 4, 5]
    assert ticks(0, 100) == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert ticks(-1000, 1000)[::5] == [-1000, 0, 1000]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_sentiment_colours_have_aa_contrast_for_the_text_drawn_on_them():
    import re

    from account_playbooks.core.model import SENTIMENT_ORDER

    from .sitebuild import PROJECT

    css = (PROJECT / "site_templates" / "assets" / "kam.css").read_text(encoding="utf-8")
    for sentiment in SENTIMENT_ORDER:
        fill = re.search(rf"--kam-{sentiment}: (#[0-9a-fA-F]{{6}})", css).group(1)
        text = re.search(rf"--kam-{sentiment}-text: (#[0-9a-fA-F]{{6}})", css).group(1)
        light, dark = sorted((_luminance(fill), _luminance(text)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, sentiment
        assert f".kam-map .sentiment-{sentiment} text {{ fill: var(--kam-{sentiment}-text); }}" in css  # map = legend


def test_map_titles_wrap_instead_of_being_cut():
    from account_playbooks.site.charts import _wrap

    assert _wrap("President and Chief Operating Officer", 32, 2) == ["President and Chief Operating", "Officer"]
    assert _wrap("A very long title that goes on and on and on beyond two whole lines", 20, 2)[-1].endswith("…")


def _person(sid: str, reports_to: str | None):
    from account_playbooks.core.model import Stakeholder

    return Stakeholder(id=sid, name=sid, title="Engineer", role="user", influence="low", sentiment="neutral",
                       reports_to=reports_to, relationship_owner="jane-doe")


def test_the_map_of_a_5000_deep_reports_to_chain_is_drawn_without_recursion():
    from account_playbooks.site.charts import _layout, stakeholder_map

    people = tuple(_person(f"p{i}", f"p{i - 1}" if i else None) for i in range(5000))
    assert _layout(people)["p4999"] == (0.0, 4999)  # one column, one row per level
    assert stakeholder_map("Map", people, {}).count('<g class="node') == 5000
    looped = (_person("p0", "p4999"),) + people[1:]  # the same chain closed into a loop: no top
    assert sorted(d for _, d in _layout(looped).values()) == list(range(5000))
    # the walk without recursion lays out a small tree as before: parents centred over their reports
    small = (_person("ceo", None), _person("cto", "ceo"), _person("a", "cto"), _person("b", "cto"),
             _person("cfo", "ceo"), _person("x", "y"), _person("y", "x"))
    assert _layout(small) == {"a": (0.0, 2), "b": (1.0, 2), "cto": (0.5, 1), "cfo": (2.0, 1), "ceo": (1.25, 0),
                              "y": (3.0, 1), "x": (3.0, 0)}


def test_a_kpi_panel_spans_its_own_values_within_what_the_kpi_can_take():
    assert own_range([18, 9], (-100, 100)) == pytest.approx((7.65, 19.35))  # not -100 to 100: NPS halving shows
    assert own_range([9.5, 10], (1, 10)) == (pytest.approx(9.425), 10)  # never past the scale's end
    assert own_range([5, 5]) == (4, 6)  # a flat line sits mid-panel


def test_a_change_is_written_with_arrow_and_sign_not_colour_alone():
    assert change_mark(-9) == ("▼ −9", "down") and change_mark(3) == ("▲ +3", "up") and change_mark(0) == ("= 0", "flat")
    assert change_mark(None) == ("", "")
    assert change_mark(-87_600, lambda v: f"{v / 1000:.1f}k") == ("▼ −87.6k", "down")


def test_the_trend_draws_each_kpi_on_its_own_range_with_its_latest_change():
    svg = str(trend("KPIs", [("NPS", [("2026-01-01", 18), ("2026-06-01", 9)]),
                             ("Satisfaction", [("2026-01-01", 6), ("2026-06-01", None)])], scales={"NPS": (-100, 100)}))
    nps = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)" r="3.5" class="dot"><title>NPS', svg)]
    assert nps[1] - nps[0] >= 0.75 * (64 - 20)  # from near the top of its panel to near the bottom
    assert 'class="latest">9<tspan dx="8" class="down">▼ −9</tspan></text>' in svg
    assert 'class="latest">6<tspan dx="8" class=""></tspan></text>' in svg  # one value: no change to show


def test_a_measure_in_percent_reads_from_to_and_its_bar_is_the_status_colour():
    assert measure_words("Engineering sites on MG Advanced (%)", 35, 90) == ("Engineering sites on MG Advanced", "35% → 90%")
    assert measure_words("Racks equipped", 12, 30) == ("Racks equipped", "12 → 30")
    bar = str(progress_bar("at_risk", 88, 95))
    assert 'class="fill kam-goal-at_risk" x="0" y="0" width="92.6"' in bar and "<title>93% of the target</title>" in bar
    assert 'width="100.0"' in str(progress_bar("done", 120, 100)) and 'width="0.0"' in str(progress_bar("planned", 3, 0))


def test_the_scatter_gives_each_class_its_shape_and_a_key():
    legend = [("Platinum", "tier-platinum", "diamond"), ("Gold", "tier-gold", "square"), ("Standard", "tier-standard", "circle")]
    svg = str(scatter("t", [("a", 1.0, 9.0, "tier-platinum"), ("b", 2.0, 7.0, "tier-gold"), ("c", 3.0, 4.0, "tier-standard")],
                      [], "x", "y", legend=legend))
    outlines = re.findall(r'<path d="M[\d.-]+,[\d.-]+ m([^"]*)" class="dot (tier-\w+)"><title>', svg)
    commands = {css: re.sub(r"[-\d., ]", "", d) for d, css in outlines}
    assert len(set(commands.values())) == 3, commands  # three different outlines, not three colours
    assert all(f">{name}</text>" in svg for name, _, _ in legend)
    assert len(_dots(svg)) == 3 and min(y for _, y in _dots(svg)) >= 12 + 24  # the key sits above the plot
