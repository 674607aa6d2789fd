"""Charts and the stakeholder map as inline SVG, drawn at build time.

No script and no network at view time. Colours come from CSS classes (site_templates/assets/
kam.css), so the same SVG reads in mkdocs-material's light and dark palettes. Every chart has a
<title>/<desc> for screen readers; templates print the table behind it next to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from html import escape as html_escape

from markupsafe import Markup

from ..core.model import Stakeholder
from .escape import BRACES_AS_ENTITIES


def escape(text: object) -> str:
    """Text for a chart's markup; braces as references too, so that no engine's Markdown reads
    `{: ...}` in a name as an attribute list where the chart stands in the tree."""
    return html_escape(str(text)).translate(BRACES_AS_ENTITIES)


# A chart shrinks with the column down to this share of its own width, where its 12 px labels
# are 11 px; on a narrower screen (a phone) it keeps that width and scrolls sideways in its box.
SMALLEST_SCALE = 11 / 12


def _svg(width: int, height: int, title: str, body: list[str], css: str = "") -> Markup:
    smallest = math.ceil(width * SMALLEST_SCALE)
    return Markup(
        f'<span class="kam-chart-wrap"><svg class="kam-chart {css}" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px;min-width:{smallest}px" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg></span>")


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}">'
            f"{escape(str(text))}</text>")


def bars(title: str, items: list[tuple[str, float, str]], value_format=str, width: int = 380) -> Markup:
    """Horizontal bars: (label, value, css class). 380 wide, so that on a phone the whole chart
    fits the column at 11 px type: the values at the bars' ends are what it is read for."""
    row, left, right = 30, 120, 90
    height = row * len(items) + 10
    top = max((v for _, v, _ in items), default=0) or 1
    body = []
    for i, (name, value, css) in enumerate(items):
        y = 5 + i * row
        length = (width - left - right) * value / top
        body.append(_text(left - 8, y + 18, name, "end"))
        body.append(f'<rect x="{left}" y="{y + 4}" width="{max(length, 1):.1f}" height="{row - 10}" class="bar {css}"/>')
        body.append(_text(left + length + 6, y + 18, value_format(value)))
    return _svg(width, height, title, body)


SHAPES = ("diamond", "square", "triangle")  # by tier rank; lower tiers and candidates are circles


def marker(shape: str, x: float, y: float, size: float = 6) -> str:
    """A path centred on (x, y): it starts with a move to the centre, so the point is readable
    from the markup. A shape, not only a colour, tells the tiers apart."""
    r = size
    outline = {"diamond": f"m0,{-r * 1.3:.1f} l{r * 1.3:.1f},{r * 1.3:.1f} l{-r * 1.3:.1f},{r * 1.3:.1f} "
                          f"l{-r * 1.3:.1f},{-r * 1.3:.1f} z",
               "square": f"m{-r:.1f},{-r:.1f} h{2 * r:.1f} v{2 * r:.1f} h{-2 * r:.1f} z",
               "triangle": f"m0,{-r * 1.2:.1f} l{r * 1.2:.1f},{r * 2:.1f} h{-r * 2.4:.1f} z"}
    return f"M{x:.1f},{y:.1f} " + outline.get(shape, f"m{-r:.1f},0 a{r:.1f},{r:.1f} 0 1,0 {2 * r:.1f},0 "
                                                     f"a{r:.1f},{r:.1f} 0 1,0 {-2 * r:.1f},0 z")


def scatter(title: str, points: list[tuple[str, float, float, str]], thresholds: list[tuple[str, float]],
            x_label: str, y_label: str, x_format=str, y_range: tuple[float, float] = (0, 10),
            width: int = 560, height: int = 320, legend: Sequence[tuple[str, str, str]] = ()) -> Markup:
    """Points (label, x, y, css class); y is the score, drawn over `y_range` (the criteria
    scale), with horizontal threshold lines. `legend` (name, css class, shape) draws a key above
    the plot and gives each class's points its shape."""
    left, bottom, top_pad, right = 56, 40, 12 + (24 if legend else 0), 20
    height += 24 if legend else 0
    shapes = {css: shape for _, css, shape in legend}
    xs = [p[1] for p in points] or [0]
    x_max = max(xs) * 1.08 or 1
    y_min, y_max = y_range
    sx = lambda v: left + (width - left - right) * v / x_max  # noqa: E731
    sy = lambda v: height - bottom - (height - bottom - top_pad) * (v - y_min) / (y_max - y_min)  # noqa: E731
    body = [f'<line x1="{left}" y1="{sy(y_min):.1f}" x2="{width - right}" y2="{sy(y_min):.1f}" class="axis"/>',
            f'<line x1="{left}" y1="{sy(y_min):.1f}" x2="{left}" y2="{top_pad}" class="axis"/>']
    for name, value in thresholds:
        body.append(f'<line x1="{left}" y1="{sy(value):.1f}" x2="{width - right}" y2="{sy(value):.1f}" class="threshold"/>')
        body.append(_text(width - right - 4, sy(value) - 4, f"{name} {value:g}", "end", "small"))
    for tick in ticks(y_min, y_max):
        body.append(_text(left - 6, sy(tick) + 4, f"{tick:g}", "end", "small"))
    for fraction in (0.25, 0.5, 0.75, 1.0):
        body.append(_text(sx(x_max * fraction / 1.08), height - bottom + 16, x_format(x_max * fraction / 1.08), "middle", "small"))
    for name, x, y, css in points:
        body.append(f'<path d="{marker(shapes.get(css, ""), sx(x), sy(y))}" class="dot {css}"><title>{escape(name)}: '
                    f"{y:.2f}</title></path>")
    step = (width - left - right) / max(len(legend), 1)
    for i, (name, css, shape) in enumerate(legend):
        x = left + 8 + i * step
        body.append(f'<path d="{marker(shape, x, 14)}" class="dot {css}"/>')
        body.append(_text(x + 10, 18, name, "start", "small"))
    body.append(_text((left + width) / 2, height - 6, x_label, "middle"))
    body.append(f'<text x="14" y="{(height - bottom) / 2:.1f}" transform="rotate(-90 14 {(height - bottom) / 2:.1f})" '
                f'text-anchor="middle">{escape(y_label)}</text>')
    return _svg(width, height, title, body)


def ticks(low: float, high: float, most: int = 10) -> list[float]:
    """Round axis labels from low to high: a step of 1, 2 or 5 times a power of ten, at most
    `most` steps, whole numbers on a whole-number scale (1-10 by 1, 1-5 by 1, 0-100 by 10)."""
    span = high - low
    if span <= 0:
        return [low]
    step = 10.0 ** math.floor(math.log10(span / most))
    step *= next(f for f in (1, 2, 5, 10) if span / (step * f) <= most)
    if float(low).is_integer() and float(high).is_integer():
        step = max(step, 1.0)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 9) for k in range(first, last + 1)]


def curve(title: str, points: list[tuple[float, float]], x_label: str, y_label: str,
          width: int = 560, height: int = 280) -> Markup:
    """A line through (x, y) points in 0..1 on both axes, with the 20% mark."""
    left, bottom, top_pad, right = 56, 40, 12, 20
    sx = lambda v: left + (width - left - right) * v  # noqa: E731
    sy = lambda v: height - bottom - (height - bottom - top_pad) * v  # noqa: E731
    path = " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(points))
    body = [f'<line x1="{left}" y1="{sy(0):.1f}" x2="{width - right}" y2="{sy(0):.1f}" class="axis"/>',
            f'<line x1="{left}" y1="{sy(0):.1f}" x2="{left}" y2="{top_pad}" class="axis"/>',
            f'<line x1="{sx(0.2):.1f}" y1="{sy(0):.1f}" x2="{sx(0.2):.1f}" y2="{top_pad}" class="threshold"/>',
            _text(sx(0.2) + 4, top_pad + 12, "top 20%", "start", "small"),
            f'<path d="{path}" class="line"/>']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        body.append(_text(left - 6, sy(tick) + 4, f"{tick:.0%}", "end", "small"))
        body.append(_text(sx(tick), height - bottom + 16, f"{tick:.0%}", "middle", "small"))
    body.append(_text((left + width) / 2, height - 6, x_label, "middle"))
    body.append(f'<text x="14" y="{(height - bottom) / 2:.1f}" transform="rotate(-90 14 {(height - bottom) / 2:.1f})" '
                f'text-anchor="middle">{escape(y_label)}</text>')
    return _svg(width, height, title, body)


def change_mark(change: float | None, show=lambda v: f"{v:g}") -> tuple[str, str]:
    """A change as text and its css class: "▲ +3" (up), "▼ −9" (down), "= 0" (flat). The arrow
    and the sign say the direction; the colour only repeats it."""
    if change is None:
        return "", ""
    if change == 0:
        return "= 0", "flat"
    arrow, sign, css = ("▲", "+", "up") if change > 0 else ("▼", "−", "down")
    return f"{arrow} {sign}{show(abs(change))}", css


def own_range(values: list[float], bounds: tuple[float, float] | None = None) -> tuple[float, float]:
    """The range a KPI's panel spans: its own lowest to highest value with a margin, never past the
    KPI's possible range (`bounds`), so that NPS going from 18 to 9 fills the panel instead of
    moving a sliver of a -100 to 100 axis."""
    low, high = min(values), max(values)
    margin = (high - low) * 0.15 or max(abs(high) * 0.1, 1.0)
    low, high = low - margin, high + margin
    if bounds:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return low, high


def trend(title: str, series: list[tuple[str, list[tuple[str, float | None]]]], width: int = 640,
          panel: int = 64, formats: dict | None = None, scales: dict | None = None) -> Markup:
    """Small multiples: one line per KPI over the review dates (labelled along the bottom), each on
    its own range (own_range; `scales` holds a KPI's possible range), its lowest and highest value
    marked on the left, its latest value and the change since the review before on the right."""
    named = [(name, [(d, v) for d, v in values if v is not None]) for name, values in series]
    named = [(name, values) for name, values in named if values]
    if not named:
        return Markup("")
    axis = 22
    height = panel * len(named) + axis
    left, right = 150, 170
    dates = sorted({d for _, values in named for d, _ in values})
    step = (width - left - right) / max(len(dates) - 1, 1)
    x = lambda d: left + step * dates.index(d)  # noqa: E731
    body = []
    for i, (name, values) in enumerate(named):
        top = i * panel
        show = (formats or {}).get(name, lambda v: f"{v:g}")
        numbers = [v for _, v in values]
        low, high = own_range(numbers, (scales or {}).get(name))
        y = lambda v, top=top, low=low, high=high: top + panel - 8 - (panel - 20) * (v - low) / ((high - low) or 1)  # noqa: E731
        path = " ".join(f"{'M' if j == 0 else 'L'}{x(d):.1f},{y(v):.1f}" for j, (d, v) in enumerate(values))
        body.append(_text(8, top + panel / 2 + 4, name))
        for mark in sorted({min(numbers), max(numbers)}):
            body.append(_text(left - 8, y(mark) + 4, show(mark), "end", "small"))
        body.append(f'<line x1="{left - 4}" y1="{top + panel - 2:.1f}" x2="{width - right + 4}" '
                    f'y2="{top + panel - 2:.1f}" class="axis faint"/>')
        body.append(f'<path d="{path}" class="line"/>')
        for d, v in values:
            body.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3.5" class="dot"><title>{escape(name)} {escape(d)}: '
                        f"{escape(show(v))}</title></circle>")
        latest = numbers[-1]
        words, css = change_mark(latest - numbers[-2] if len(numbers) > 1 else None, show)
        body.append(f'<text x="{width - right + 12}" y="{top + panel / 2 + 4:.1f}" class="latest">'
                    f'{escape(show(latest))}<tspan dx="8" class="{css}">{escape(words)}</tspan></text>')
    for d in dates:
        body.append(_text(x(d), height - 6, d, "middle", "small"))
    return _svg(width, height, title, body, "kam-trend")


def measure_words(metric: str, current: float, target: float) -> tuple[str, str]:
    """A goal's measure as (metric, "40% → 90%"): a metric named "... (%)" is written as
    percentages, any other as its plain figures ("71 → 80")."""
    if metric.rstrip().endswith("(%)"):
        return metric.rstrip()[:-3].rstrip(), f"{current:g}% → {target:g}%"
    return metric, f"{current:g} → {target:g}"


def progress_bar(status: str, current: float, target: float) -> Markup:
    """How far a measure is towards its target, in the goal status's colour (kam.css): an SVG
    bar, because a native <progress> is painted by the browser and ignores a status colour."""
    share = min(max(current / target, 0.0), 1.0) if target > 0 else 0.0
    return Markup(
        f'<svg class="kam-progress" role="img" viewBox="0 0 100 10" width="120" height="12" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{share:.0%} of the target</title>'
        f'<rect class="track" x="0" y="0" width="100" height="10" rx="2"/>'
        f'<rect class="fill kam-goal-{escape(status)}" x="0" y="0" width="{share * 100:.1f}" height="10" rx="2"/></svg>')


def score_history(title: str, points: list[tuple[dt.date, float | None, bool, str]],
                  bands: list[tuple[str, float, str]], y_range: tuple[float, float], until: dt.date,
                  width: int = 640, height: int = 240) -> Markup:
    """A step line of the weighted score over time: (date, score or None, moved by the criteria,
    what changed) per point, held until the next point and to `until`; the tiers' score bands
    (name, floor, css class; highest first) behind it; criteria-driven points drawn as diamonds."""
    if not any(score is not None for _, score, _, _ in points):
        return Markup("")
    left, right, top_pad, bottom = 44, 100, 10, 48
    start = points[0][0]
    end = max(until, points[-1][0])
    span = max((end - start).days, 1)
    y_min, y_max = y_range
    sx = lambda d: left + (width - left - right) * (d - start).days / span  # noqa: E731
    sy = lambda v: height - bottom - (height - bottom - top_pad) * (v - y_min) / (y_max - y_min)  # noqa: E731
    body = []
    ceiling = y_max
    for name, floor, css in bands:  # highest first: each band runs from its floor to the one above
        body.append(f'<rect x="{left}" y="{sy(ceiling):.1f}" width="{width - left - right}" '
                    f'height="{sy(floor) - sy(ceiling):.1f}" class="band {css}"/>')
        body.append(_text(width - right + 6, (sy(ceiling) + sy(floor)) / 2 + 4, name, "start", "small"))
        ceiling = floor
    body.append(f'<line x1="{left}" y1="{sy(y_min):.1f}" x2="{width - right}" y2="{sy(y_min):.1f}" class="axis"/>')
    for tick in ticks(y_min, y_max, most=5):
        body.append(_text(left - 6, sy(tick) + 4, f"{tick:g}", "end", "small"))
    path, drawing = [], False
    for index, (day, value, _, _) in enumerate(points):
        if value is None:
            drawing = False
            continue
        following = points[index + 1][0] if index + 1 < len(points) else end
        path.append(f"{'L' if drawing else 'M'}{sx(day):.1f},{sy(value):.1f} H{sx(following):.1f}")
        drawing = True
    body.append(f'<path d="{" ".join(path)}" class="line step"/>')
    for day, value, by_criteria, words in points:
        if value is None:
            continue
        x, y = sx(day), sy(value)
        tip = f"<title>{escape(day.isoformat())}: {value:.2f}. {escape(words)}</title>"
        if by_criteria:
            body.append(f'<path d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} L{x:.1f},{y + 6:.1f} '
                        f'L{x - 6:.1f},{y:.1f} Z" class="dot criteria-mark">{tip}</path>')
        else:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" class="dot">{tip}</circle>')
    labels = sorted({start, end} | {points[len(points) // 2][0]}) if span > 60 else [start, end]
    for day in labels:
        body.append(_text(sx(day), height - bottom + 16, day.isoformat(), "middle", "small"))
    legend_y = height - 8
    body.append(f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="4.5" class="dot"/>')
    body.append(_text(left + 16, legend_y, "the account's own edit", "start", "small"))
    x = left + 210
    body.append(f'<path d="M{x},{legend_y - 10} L{x + 6},{legend_y - 4} L{x},{legend_y + 2} L{x - 6},{legend_y - 4} Z" '
                f'class="dot criteria-mark"/>')
    body.append(_text(x + 10, legend_y, "criteria.yml changed", "start", "small"))
    return _svg(width, height, title, body, "kam-history")


# -- the stakeholder map ------------------------------------------------------------------------

BOX_W, BOX_H, GAP_X, GAP_Y = 224, 92, 18, 34
TITLE_LINE_CHARS = 32  # at 12 px in a box BOX_W wide


def _layout(stakeholders: tuple[Stakeholder, ...]) -> dict[str, tuple[float, int]]:
    """A tidy tree: leaves left to right, parents centred over their reports."""
    ids = {s.id for s in stakeholders}
    children: dict[str | None, list[str]] = {}
    for s in stakeholders:
        parent = s.reports_to if s.reports_to in ids and s.reports_to != s.id else None
        children.setdefault(parent, []).append(s.id)
    placed: dict[str, tuple[float, int]] = {}
    entered: set[str] = set()  # on the path being placed, or placed: a loop is never followed twice
    next_leaf = 0.0

    def place(root: str) -> None:
        # An explicit stack, not recursion: a reports_to chain is as deep as the customer's
        # file makes it, and Python's call stack ends near a thousand.
        nonlocal next_leaf
        entered.add(root)
        stack: list[tuple[str, int, Iterator[str], list[float]]] = [(root, 0, iter(children.get(root, [])), [])]
        while stack:
            node, depth, kids, xs = stack[-1]
            kid = next((k for k in kids if k not in entered), None)
            if kid is not None:
                entered.add(kid)
                stack.append((kid, depth + 1, iter(children.get(kid, [])), []))
                continue
            stack.pop()
            if xs:
                x = (xs[0] + xs[-1]) / 2
            else:
                x, next_leaf = next_leaf, next_leaf + 1
            placed[node] = (x, depth)
            if stack:
                stack[-1][3].append(x)

    for root in children.get(None, []):
        place(root)
    for s in stakeholders:  # anyone left over sits in a cycle; validation reports it
        if s.id not in placed:
            place(s.id)
    return placed


def stakeholder_map(title: str, stakeholders: tuple[Stakeholder, ...], owner_names: dict[str, str]) -> Markup:
    if not stakeholders:
        return Markup("")
    positions = _layout(stakeholders)
    columns = max(x for x, _ in positions.values()) + 1
    rows = max(d for _, d in positions.values()) + 1
    width = int(columns * (BOX_W + GAP_X) + GAP_X)
    height = int(rows * (BOX_H + GAP_Y) + GAP_Y)
    cx = lambda x: GAP_X + x * (BOX_W + GAP_X)  # noqa: E731
    cy = lambda d: GAP_Y / 2 + d * (BOX_H + GAP_Y)  # noqa: E731
    body, edges = [], []
    by_id = {s.id: s for s in stakeholders}
    for s in stakeholders:
        if s.reports_to in by_id and s.reports_to != s.id:
            (x1, d1), (x2, d2) = positions[s.reports_to], positions[s.id]
            edges.append(f'<path class="edge" d="M{cx(x1) + BOX_W / 2:.1f},{cy(d1) + BOX_H:.1f} '
                         f'V{cy(d1) + BOX_H + GAP_Y / 2:.1f} H{cx(x2) + BOX_W / 2:.1f} V{cy(d2):.1f}"/>')
    body.append(f'<g aria-hidden="true">{"".join(edges)}</g>')
    for s in stakeholders:
        x, d = positions[s.id]
        left, top = cx(x), cy(d)
        owner = owner_names.get(s.relationship_owner, s.relationship_owner)
        title_lines = _wrap(s.title, TITLE_LINE_CHARS, 2)
        shown = [_clip(s.name, 26), *title_lines, f"{s.role.replace('_', ' ')} · {s.influence} influence",
                 f"owner: {_clip(owner, 24)}"]
        # Each line ends in a space (not drawn): read as text, the lines are words apart, not glued.
        lines = [_text(left + 10, top + 20, shown[0] + " ", css="name")]
        lines += [_text(left + 10, top + 37 + 15 * i, line + " ") for i, line in enumerate(shown[1:])]
        # A list of links for screen readers and the keyboard, one item per person: its name is
        # what the box shows (speech input users say what they see) and the sentiment its colour shows.
        summary = f"{' '.join(shown)}, sentiment: {s.sentiment}"
        body.append(
            f'<g role="listitem"><a href="#{escape(s.id)}" aria-label="{escape(summary)}">'
            f'<g class="node sentiment-{s.sentiment} influence-{s.influence}{" root" if d == 0 else ""}">'
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            + "".join(lines) + "</g></a></g>")
    # Drawn at its own size, never shrunk: on a narrow screen its wrapper scrolls (kam.js opens it
    # centred on the top of the tree).
    return Markup(
        f'<svg class="kam-chart kam-map" role="list" aria-label="{escape(title)}: {len(stakeholders)} people" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'{"".join(body)}</svg>')


def _wrap(text: str, limit: int, max_lines: int) -> list[str]:
    """Words in lines of at most `limit` characters; the last line clipped if it must be."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_clip(" ".join(lines[max_lines - 1:]), limit)]
    return [_clip(line, limit) for line in lines]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
