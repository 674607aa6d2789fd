from pathlib import Path

import pytest
import yaml

from account_playbooks.core.mdtext import demote_headings

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
    from account_playbooks.core.mdtext import defuse_markup, heavy_markup_at

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


@pytest.mark.slow  # 9 MB of hostile bodies through the detector
def test_no_paragraph_the_renderer_reads_in_quadratic_time_reaches_it():
    """The bound on the build, shown without a clock: each 1 MB runaway body, as prepared for
    Markdown, holds no paragraph the detector flags (each is quarantined in fenced code, which
    Python-Markdown reads in one pass), and renders as code. `make bench` measures the time
    (`hostile body render`, as a ratio to prose of the same size)."""
    import markdown

    from account_playbooks.core.mdtext import heavy_markup
    from account_playbooks.site.escape import markdown_body

    for name, text in _runaway_bodies(1_000_000).items():
        prepared = str(markdown_body(text, lambda target: target))
        assert heavy_markup(prepared) == [], name
    html = markdown.Markdown(extensions=MKDOCS_EXTENSIONS).convert(
        str(markdown_body(_runaway_bodies(30_000)["["], lambda target: target)))
    assert "<pre>" in html and "<code>" in html and html.count("[") == 30_000
