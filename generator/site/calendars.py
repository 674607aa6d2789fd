"""The calendars: ICS feeds written with the site, one per person and one per account.

A person's feed holds the reviews they own as KAM (the next one due by the tier's cadence), the
review actions they own, and the contract renewals of the accounts they manage; an account's feed
holds all of its own. Every event is an all-day event on its due date, read from the same model
rules as the attention list (Account.next_review_due, Account.open_actions, Contract.renewal).

What keeps a subscribed calendar right:
- an event's UID says what it is (account, kind, key), never when it was built, so a moved due date
  updates the event and a closed action leaves the feed instead of staying beside a duplicate;
- DTSTAMP is the reference date, so the same build twice gives the same bytes;
- links are absolute (the site's `site_url`), because a calendar app has no page to resolve a relative
  link against: without a site URL an event carries no URL and names its page in the description.
Text from the repository goes through icalendar, which escapes `;`, `,`, `\\` and line breaks and folds
long lines; before that, line breaks, control and bidi characters become spaces, as one line of text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration, vText

from ..core.model import Account, Tier, action_key
from ..core.refs import Ref
from ..core.textscan import FORBIDDEN
from .pages import account_feed, page_url, person_feed, ref_page
from .render import SiteInput

UID_DOMAIN = "kam.account-playbooks"  # the right-hand side of every UID: ours, not a host of the build
PRODID = "-//account-playbooks//kam calendars//EN"
REFRESH = dt.timedelta(hours=6)  # how often a subscribed calendar should read the feed again
KINDS = ("review", "action", "renewal")


@dataclass(frozen=True)
class CalendarEvent:
    kind: str  # one of KINDS
    account_id: str
    key: str  # what makes it this event within its account and kind
    owner: str  # the team.yml id of who acts
    day: dt.date
    summary: str
    about: Ref  # the page the event links back to

    @property
    def uid(self) -> str:
        return f"{self.account_id}.{self.kind}.{self.key}@{UID_DOMAIN}"


def one_line(text: str) -> str:
    """Text for a one-line property: control, bidi and separator characters and line breaks become
    spaces, runs of white space one space (the loader refuses them in files; this holds for any text)."""
    return " ".join(FORBIDDEN.sub(" ", text).split())


def _key(text: str) -> str:
    # A title is free text of any length and script: a hash keeps the UID short, ASCII and stable.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def account_events(account: Account, tier: Tier | None) -> list[CalendarEvent]:
    """The dated events of one account: its next review (a key account that has held one), each open
    action, its contract's renewal."""
    name = account.profile.name
    events = []
    due = account.next_review_due(tier.review_every_days) if tier is not None else None
    if tier is not None and due is not None:
        last = account.last_review
        about: Ref = ("review", account.id, last.slug) if last else ("account", account.id)
        events.append(CalendarEvent("review", account.id, "next", account.profile.owner, due,
                                    f"{tier.name} review due: {name}", about))
    for tracked in account.open_actions:
        action = tracked.action
        events.append(CalendarEvent("action", account.id, _key(action_key(action.title)), action.owner, action.due,
                                    f"Action: {action.title} ({name})", ("review", account.id, tracked.latest.slug)))
    contract = account.profile.contract
    if contract is not None:
        events.append(CalendarEvent("renewal", account.id, "contract", account.profile.owner, contract.renewal,
                                    f"Contract renewal: {name} ({contract.term_months}-month term)",
                                    ("account", account.id)))
    return events


def site_base(site_url: object) -> str | None:
    """The site's address for links from a calendar: an http(s) URL with a host and nothing that
    could end a line, else None (then events carry no URL)."""
    if not isinstance(site_url, str) or one_line(site_url) != site_url or " " in site_url:
        return None
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return site_url.rstrip("/") + "/"


def page_link(about: Ref, base: str | None, directory_urls: bool) -> str | None:
    if base is None:
        return None
    path, _, anchor = ref_page(about).partition("#")
    return base + page_url(path, directory_urls) + (f"#{anchor}" if anchor else "")


_END = b"END:VCALENDAR\r\n"


def _calendar(name: str) -> bytes:
    """A feed's calendar properties, without its events."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", vText(one_line(name)))
    cal.add("x-wr-calname", vText(one_line(name)))  # what Outlook and Google read for the name
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    return cal.to_ical()


@dataclass
class FeedWriter:
    """The feeds of one build. An event sits in its account's feed and its owner's: it is serialised
    once (by icalendar, as a whole VEVENT) and put into both, which halves the cost of a large portfolio."""
    today: dt.date
    base: str | None = None
    directory_urls: bool = True
    people: Mapping[str, str] = field(default_factory=dict)
    _written: dict[str, bytes] = field(default_factory=dict, repr=False)

    def event(self, item: CalendarEvent) -> bytes:
        if item.uid not in self._written:
            event = Event()
            event.add("uid", item.uid)
            event.add("dtstamp", dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC))
            event.add("dtstart", item.day)
            event.add("dtend", item.day + dt.timedelta(days=1))
            event.add("summary", one_line(item.summary))
            event.add("categories", [item.kind])
            event.add("transp", "TRANSPARENT")  # a due date, not a meeting: it blocks no time
            link = page_link(item.about, self.base, self.directory_urls)
            where = link or f"{page_url(ref_page(item.about).partition('#')[0], self.directory_urls)} on the site"
            event.add("description", one_line(f"Owner: {self.people.get(item.owner, item.owner)}. Details: {where}"))
            if link:
                event.add("url", link)
            self._written[item.uid] = event.to_ical()
        return self._written[item.uid]

    def feed(self, name: str, events: Iterable[CalendarEvent]) -> bytes:
        """One feed as RFC 5545 bytes, events by date; the same arguments give the same bytes."""
        head, end, _ = _calendar(name).rpartition(_END)
        body = b"".join(self.event(item) for item in sorted(events, key=lambda e: (e.day, e.uid)))
        return head + body + end


def ics(name: str, events: Iterable[CalendarEvent], today: dt.date, **options) -> bytes:
    """One feed on its own (FeedWriter's options)."""
    return FeedWriter(today, **options).feed(name, events)


def feeds(accounts: Iterable[tuple[Account, Tier | None]], people: dict[str, str], today: dt.date, *,
          base: str | None = None, directory_urls: bool = True) -> dict[str, bytes]:
    """Every feed of the site, by its path: one per account given, one per person in `people`
    (team.yml: id -> name), empty feeds included so that a subscription never breaks."""
    by_account = {account.id: (account, account_events(account, tier)) for account, tier in accounts}
    by_person: dict[str, list[CalendarEvent]] = {person: [] for person in people}
    for _, events in by_account.values():
        for event in events:
            if event.owner in by_person:
                by_person[event.owner].append(event)
    writer = FeedWriter(today, base, directory_urls, people)
    out = {}
    for account_id, (account, events) in sorted(by_account.items()):
        out[account_feed(account_id)] = writer.feed(f"{account.profile.name}: due dates", events)
    for person, events in sorted(by_person.items()):
        out[person_feed(person)] = writer.feed(f"{people[person]}: due dates", events)
    return out


def site_feeds(site: SiteInput, site_url: object = None) -> dict[str, bytes]:
    """The feeds of a generated site: its scored accounts and every person in team.yml."""
    by_account = site.scores.by_account
    scored = [(a, by_account[a.id].tier) for a in site.portfolio.accounts if a.id in by_account]
    return feeds(scored, {p.id: p.name for p in site.portfolio.team}, site.today, base=site_base(site_url),
                 directory_urls=site.directory_urls)
