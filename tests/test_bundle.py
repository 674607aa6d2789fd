"""The customer's joint plan as one self-contained page: what it shows, and that nothing in it runs,
loads or links into the internal site, whatever the shared text holds."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from account_playbooks.analysis.sharing import (
    OurPerson,
    SharedAction,
    SharedGoal,
    SharedMeasure,
    SharedPlan,
    SharedReview,
    SharedSection,
    TheirPerson,
)
from account_playbooks.core.errors import ExitCode, KamError
from account_playbooks.site.bundle import NOT_SHARED, PAGE, check_out, page, write_bundle
from account_playbooks.site.render import DEFAULT_TEMPLATES

from .hostile import CLOBBER_PAYLOADS, LINK_PAYLOADS, OUTSIDE_IMAGES, SAFE_LINKS, TEXT_PAYLOADS, unsafe_markup
from .sitebuild import visible_text


def _hostile_plan() -> SharedPlan:
    payloads = iter(TEXT_PAYLOADS * 4)
    text = lambda: next(payloads)  # noqa: E731
    body = "\n\n".join([*(f"Paragraph with {p} inside." for p in TEXT_PAYLOADS), "### " + text(), *SAFE_LINKS,
                        *CLOBBER_PAYLOADS, *LINK_PAYLOADS, *OUTSIDE_IMAGES, "With [[acme#bob]], [[other-account]]."])
    return SharedPlan(
        account_name=text(), as_of=dt.date(2026, 12, 6),
        goals=(SharedGoal("g", text(), "short", dt.date(2027, 1, 1), "in_progress", text(), text(),
                          SharedMeasure(text(), 3, 9)),),
        actions=(SharedAction(text(), dt.date(2027, 1, 2), "open", text(), text(), text()),),
        reviews=(SharedReview(dt.date(2026, 11, 1), "qbr", (text(), text()), body),),
        sections=(SharedSection(text(), body),),
        their_people=(TheirPerson(text(), text()),),
        our_team=(OurPerson(text(), text(), "x'onmouseover=alert`1`&amp'@example.com"),),
        names={"acme#bob": "Bob <b>Smith</b>"})


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("bundle") / "plan"
    bundle = write_bundle(_hostile_plan(), out, DEFAULT_TEMPLATES)
    return out, bundle.page.read_text(encoding="utf-8")


def test_hostile_shared_text_shows_literally_and_nothing_runs(hostile):
    out, html = hostile
    assert unsafe_markup(out) == []
    shown = visible_text(out / PAGE)
    for payload in TEXT_PAYLOADS:
        if not payload.startswith("`"):  # a code span shows without its backticks
            assert " ".join(payload.split()) in shown, payload
    assert "Bob <b>Smith</b>" in shown and NOT_SHARED in shown  # a wiki-link is a name, never a link


def test_the_page_loads_nothing_and_links_only_to_full_addresses(hostile):
    _, html = hostile
    parser = _Tags()
    parser.feed(html)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "base", "form", "input", "svg"}
    hrefs = [attrs.get("href") or "" for tag, attrs in parser.tags if tag == "a"]
    assert hrefs and all(re.match(r"(https?|mailto):", h) for h in hrefs), hrefs
    assert "https://example.com/deck.pdf" in hrefs and "mailto:cto@example.com" in hrefs
    assert not [attrs for _, attrs in parser.tags if "id" in attrs and attrs["id"].startswith("user-content")]
    assert not [attrs for _, attrs in parser.tags if any(a.startswith("on") for a in attrs)]
    # One <style>, ours; a policy that would stop anything else from loading, should some markup get through.
    assert html.count("<style>") == 1 and "default-src 'none'" in html


def test_the_page_is_the_plan(tmp_path):
    plan = SharedPlan("Acme", dt.date(2026, 12, 6), (), (), (), (), (), (), {})
    html = page(plan, DEFAULT_TEMPLATES)
    assert "Nothing has been shared in this plan yet." in html and "<h1>Acme</h1>" in html


def test_an_out_folder_with_other_files_is_refused_unless_forced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(KamError) as refused:
        check_out(tmp_path, force=False)
    assert refused.value.exit_code == ExitCode.USAGE and "notes.txt" in str(refused.value)
    check_out(tmp_path, force=True)
    (tmp_path / "notes.txt").unlink()
    (tmp_path / PAGE).write_text("an earlier plan", encoding="utf-8")
    check_out(tmp_path, force=False)  # a previous bundle is replaced
