"""The calendars: one ICS feed per person and per account, read back with an independent parser
(`ical`, not the `icalendar` library that writes them)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from ical.calendar_stream import IcsCalendarStream

from account_playbooks.analysis.attention import attention
from account_playbooks.site.build import generate
from account_playbooks.site.calendars import CalendarEvent, ics, one_line, site_base, site_feeds

from .corpus import BASE
from .hostile import TEXT_PAYLOADS, hostile_repo
from .sitebuild import build, site_repo

LATER = dt.date(2027, 3, 1)  # when actions, reviews and the fixture's renewal (2027-06-15) have fallen due
SITE_URL = "https://kam.example.com/portfolio/"
CALENDAR_KINDS = ("action", "review", "renewal")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    return repo


def _parse(data: bytes):
    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def _feeds(repo: Path, today: dt.date = LATER, site_url: str | None = SITE_URL) -> dict[str, bytes]:
    generated = generate(repo, today)
    assert generated.site is not None
    return site_feeds(generated.site, site_url)


def test_events_are_the_attention_models_dated_items():
    """Every dated action, review and renewal item of the attention list is an event on its due date, in
    the feed of who acts and in the account's; every action and review event due within the list's
    two weeks is on the list (the renewal event is there whether or not it is prepared)."""
    generated = generate(BASE, LATER)
    site = generated.site
    assert site is not None
    feeds = site_feeds(site, SITE_URL)
    events = {path: [(e.uid, e.dtstart) for e in _parse(data).events] for path, data in feeds.items()}
    items = [i for i in attention(site.portfolio, site.scores, LATER) if i.kind in CALENDAR_KINDS and i.due]
    assert {i.kind for i in items} == set(CALENDAR_KINDS)
    for item in items:
        for feed in (f"calendars/people/{item.owner}.ics", f"calendars/accounts/{item.account_id}.ics"):
            assert any(uid.startswith(f"{item.account_id}.{item.kind}.") and day == item.due
                       for uid, day in events[feed]), (item, feed)
    soon = {(uid.split(".")[0], uid.split(".")[1], day) for feed, found in events.items()
            if feed.startswith("calendars/accounts/") for uid, day in found
            if day <= LATER + dt.timedelta(days=14) and ".renewal." not in uid}
    assert soon == {(i.account_id, i.kind, i.due) for i in items if i.kind != "renewal"}


def test_feeds_parse_and_hold_one_feed_per_person_and_per_account():
    feeds = _feeds(BASE)
    site = generate(BASE, LATER).site
    assert site is not None
    assert set(feeds) == ({f"calendars/people/{p.id}.ics" for p in site.portfolio.team}
                          | {f"calendars/accounts/{a.id}.ics" for a in site.portfolio.accounts})
    acme = _parse(feeds["calendars/accounts/acme-corporation.ics"])
    renewal = next(e for e in acme.events if ".renewal." in e.uid)
    assert renewal.dtstart == dt.date(2027, 6, 15) and renewal.dtend == dt.date(2027, 6, 16)  # all day
    assert renewal.summary == "Contract renewal: Acme Corporation (12-month term)"
    assert renewal.url == SITE_URL + "accounts/acme-corporation/"
    review = next(e for e in acme.events if ".review." in e.uid)
    assert review.url == SITE_URL + "accounts/acme-corporation/reviews/#2026-09-08-q2-qbr"
    for data in feeds.values():
        assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines are folded at 75 octets"
        uids = [e.uid for e in _parse(data).events]
        assert len(uids) == len(set(uids))


def test_uids_say_what_an_event_is_so_a_moved_date_updates_it(tmp_path):
    """An action whose due date moves, and the next review once a review is held, keep their UIDs:
    a subscribed calendar moves the event instead of showing a second one."""
    repo = _repo(tmp_path)
    before = {e.uid: e.dtstart for e in _parse(_feeds(repo)["calendars/accounts/acme-corporation.ics"]).events}
    review = repo / "accounts/acme-corporation/reviews/2026-09-08-q2-qbr.md"
    text = review.read_text(encoding="utf-8")
    moved = text.replace("due: 2027-02-26", "due: 2027-04-30")
    assert moved != text
    review.write_text(moved, encoding="utf-8")
    (repo / "accounts/acme-corporation/reviews/2026-11-20-q3-qbr.md").write_text(
        "---\ndate: 2026-11-20\ntype: qbr\n---\n# Q3 QBR\n\nHeld.\n", encoding="utf-8")
    after = {e.uid: e.dtstart for e in _parse(_feeds(repo)["calendars/accounts/acme-corporation.ics"]).events}
    assert set(after) == set(before)
    changed = {uid: (before[uid], after[uid]) for uid in before if before[uid] != after[uid]}
    assert {uid.split(".")[1] for uid in changed} == {"action", "review"}
    assert changed["acme-corporation.review.next@kam.account-playbooks"] == (dt.date(2027, 1, 6),
                                                                             dt.date(2027, 3, 20))


def test_dtstamp_is_the_reference_date_not_the_clock():
    data = _feeds(BASE)["calendars/accounts/acme-corporation.ics"]
    assert set(re.findall(rb"DTSTAMP:(\S+)", data)) == {b"20270301T000000Z"}


def _event(summary: str) -> CalendarEvent:
    return CalendarEvent("action", "acme", "k1", "jane", dt.date(2027, 1, 15), summary, ("account", "acme"))


HOSTILE_TITLES = [
    "Send plan\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nSUMMARY:Injected",
    "Plan\nURL:https://evil.example/\nATTACH:https://evil.example/x.exe",
    "Plan\rDESCRIPTION:injected",
    "a;b,c\\n;VALUE=URI:https://evil.example",
    "Plan \u202egnp.exe\u2066 \u200f\u061c end\u2028next\u2029para\x85nel\x0bvt\x00nul",
    "Long " + "x" * 500 + " tail",
    "Ünïcødé " + "€" * 80 + " 中文" * 40,
    *TEXT_PAYLOADS,
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_cannot_add_properties_or_events(title):
    data = ics(title, [_event(title)], dt.date(2026, 12, 6), base=SITE_URL)
    lines = data.split(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    unfolded = data.replace(b"\r\n ", b"").split(b"\r\n")
    names = [line.split(b":", 1)[0].split(b";", 1)[0] for line in unfolded if line]
    assert names.count(b"BEGIN") == 2 and names.count(b"UID") == 1 and names.count(b"URL") == 1
    assert not {b"ATTACH", b"X-INJECTED"} & set(names)
    calendar = _parse(data)
    assert len(calendar.events) == 1
    event = calendar.events[0]
    assert event.summary == one_line(title) and event.uid == "acme.action.k1@kam.account-playbooks"
    assert event.url == SITE_URL + "accounts/acme/"
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x1f]", event.summary)


def test_a_hostile_repository_gives_feeds_that_parse_with_every_event(tmp_path):
    """Every text field of the fixture hostile (tests/hostile.py): each feed parses, and holds every
    event the model gives it, its summary as one line of the text."""
    repo = hostile_repo(tmp_path / "hostile")
    generated = generate(repo, LATER)
    assert generated.site is not None
    from account_playbooks.site.calendars import account_events

    for account in generated.site.portfolio.accounts:
        entry = generated.site.scores.by_account.get(account.id)
        if entry is None:
            continue
        expected = account_events(account, entry.tier)
        found = _parse(site_feeds(generated.site, SITE_URL)[f"calendars/accounts/{account.id}.ics"]).events
        assert sorted(e.uid for e in found) == sorted(e.uid for e in expected)
        assert sorted(e.summary for e in found) == sorted(one_line(e.summary) for e in expected)


@pytest.mark.parametrize("url", [None, "", "/portfolio/", "portfolio", "javascript:alert(1)", "file:///etc/passwd",
                                 "https://x.example/\r\nX-EVIL:1", "https://x.example/a b", "https://", 42])
def test_without_a_usable_site_url_events_name_their_page_instead_of_linking(url):
    assert site_base(url) is None
    data = ics("Jane", [_event("Send plan")], dt.date(2026, 12, 6), base=site_base(url))
    event = _parse(data).events[0]
    assert event.url is None and b"URL:" not in data
    assert "accounts/acme/" in (event.description or "")


def test_a_site_url_without_its_final_slash_still_links_below_it():
    assert site_base("https://kam.example.com/portfolio") == SITE_URL


@pytest.mark.slow
def test_the_same_build_twice_gives_the_same_feeds_linked_from_the_pages(tmp_path):
    repo = site_repo(BASE, tmp_path / "repo")
    first = {}
    for run in (1, 2):
        result = build(repo, LATER.isoformat(), "--site-url", SITE_URL)
        assert result.exit_code == 0, result.output
        feeds = {p.relative_to(repo / "site").as_posix(): p.read_bytes()
                 for p in (repo / "site" / "calendars").rglob("*.ics")}
        if run == 1:
            first = feeds
    assert feeds == first and len(feeds) > 0  # byte for byte, so the same UIDs
    assert feeds == _feeds(repo)  # what the build wrote is what site_feeds makes
    site = repo / "site"
    pages = {"people/reed-clapper/index.html": "calendars/people/reed-clapper.ics",
             "accounts/kan-code/index.html": "calendars/accounts/kan-code.ics",
             "attention/index.html": "calendars/people/reed-clapper.ics"}
    for page, feed in pages.items():
        html = (site / page).read_text(encoding="utf-8")
        links = [urljoin(page, href) for href in re.findall(r'href="([^"]+\.ics)"', html)]
        assert feed in links, (page, links)
        assert all((site / link).is_file() for link in links)
    kan = (site / "accounts/kan-code/index.html").read_text(encoding="utf-8")
    assert "Subscribe: the due dates of Kan-code (ICS)" in kan
