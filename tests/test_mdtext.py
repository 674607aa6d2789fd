from pathlib import Path

import pytest
import yaml

from generator.core.mdtext import demote_headings

from .corpus import BASE

# The Markdown extensions of the site (mkdocs.yml), so that the renderer timed is the one the build runs.
MKDOCS_EXTENSIONS = [next(iter(e)) if isinstance(e, dict) else e for e in yaml.load(
    (Path(__file__).parent.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["markdown_extensions"]]


def test_headings_move_one_level_deeper_except_in_code_and_at_h6():
    body = "## Notes\n\ntext # not a heading\n\n```\n## code\n```\n\n###### Deepest\n#hashtag"
    assert demote_headings(body) == (
        "### Notes\n\ntext # not a heading\n\n```\n## code\n```\n\n###### Deepest\n#hashtag")


def _runaway_bodies(size: int) -> dict[str, str]:
    """Hostile bodies of `size` characters, one for each construct Python-Markdown scans ahead for."""
    ticks, length = [], 1
    while sum(map(len, ticks)) < size:  # backtick runs of ever more lengths: each scans to the end
        ticks.append("`" * length + "a")
        length += 1
    return {"[": "[" * size, "[[": "[[" * (size // 2), "![": "![" * (size // 2), "[a](": "[a](" * (size // 4),
            "[a][": "[a][" * (size // 4), "[x lines": "[x\n" * (size // 3), "backticks": "".join(ticks)[:size],
            "escapes": "\\*" * (size // 2), "<": "<" * size}


def test_heavy_paragraphs_are_found_where_their_run_starts_and_only_they_are_quarantined():
    from generator.core.mdtext import defuse_markup, heavy_markup_at

    clean = (BASE / "accounts/kan-code/strategy.md").read_text(encoding="utf-8")
    assert heavy_markup_at(clean, 1) == [] and defuse_markup(clean) == clean  # what validates passes untouched
    body = "Intro with [a link](https://x) and `code`.\n\nSee " + "[" * 30_000 + "\nmore\n\nAfter ``` ticks."
    assert heavy_markup_at(body, 10) == [(12, 5, "E016", "30,000 '[' in this paragraph are never closed, from "
                                          "here; escape a bracket meant as text as \\[")]
    assert defuse_markup(body) == ("Intro with [a link](https://x) and `code`.\n\n\n```text\nSee " + "[" * 30_000
                                   + "\nmore\n```\n\n\nAfter ``` ticks.")
    for name, text in _runaway_bodies(30_000).items():
        assert heavy_markup_at(text, 1), name
    fenced = defuse_markup("``" + "".join("`" * k + "a" for k in range(20)))
    assert fenced.split("\n")[1] == "`" * 20 + "text"  # a fence longer than any run inside it


@pytest.mark.slow  # times renders of 1 MB bodies
def test_a_1mb_runaway_body_renders_in_time_proportional_to_its_size_like_prose():
    import signal
    import time

    import markdown

    from generator.site.escape import markdown_body

    def render(text: str) -> float:
        started = time.perf_counter()
        converter = markdown.Markdown(extensions=MKDOCS_EXTENSIONS)
        converter.convert(str(markdown_body(text, lambda target: target)))
        return time.perf_counter() - started

    size = 1_000_000
    prose = ("Renewal pricing goes to tender in 2029; sourcing wants line items. " * (size // 67 + 1))[:size]
    bound = 5 * max(render(prose), 0.1)  # a safety bound in the same run, not a benchmark

    def too_slow(*_):
        raise TimeoutError

    # Without the bound, a 1 MB run takes hours: stop at the limit instead of waiting for it.
    signal.signal(signal.SIGALRM, too_slow)
    try:
        for name, text in _runaway_bodies(size).items():
            signal.setitimer(signal.ITIMER_REAL, bound)
            try:
                took = render(text)
            except TimeoutError:
                took = float("inf")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            assert took < bound, f"{name}: {took:.2f}s, over 5x prose ({bound / 5:.2f}s)"
    finally:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
