"""A one-off build's generated pages written by two processes.

mkdocs builds pages one after another on one core: at 1,000 accounts, Material's page template,
the sanitiser and the search entries of about 7,000 generated pages were most of a build that
the second core mostly watched. Once mkdocs has read every page (its navigation, titles and
tables of contents are complete, and no thread has started yet), the process forks. The two
take generated pages from the two ends of one list (`Ends`), so that neither waits for the
other: mkdocs, in the parent, goes through the pages from the front as it always does, and
renders a page only if it gets to take it; the child takes pages from the back, sanitises,
indexes and writes each through mkdocs' own page builder, with the same templates, navigation
and plugins, until the two meet. The child sends back what the parent needs (the pages' search
entries, what it logged, a failure). The files written are the same, byte for byte, as one
process writes.

The child's log records are replayed by the parent, so `--strict` counts a warning wherever it
happened, and a failure in the child fails the build. Only a build that is not served (a server's
threads would be copied mid-flight) and whose per-page events are the kam plugin's and Material
search's splits (another plugin's per-page state would stay in the child).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment

# The template of a generated page in the parent: the theme's page if the parent takes it from
# the list, else nothing, so that mkdocs writes no file for it (the child writes it).
TAKE_OR_SKIP = "kam-take-or-skip.html"
SPLIT_FROM_PAGES = 1000  # below it, a second process costs more than it saves
# Handlers of the events mkdocs runs while it builds a page that are known to keep no state the
# parent needs afterwards (the search plugin keeps entries, but not for pages it is told to exclude).
PAGE_EVENTS = ("page_context", "post_page")
KNOWN_PLUGINS = frozenset({"account_playbooks.site.plugin", "material.plugins.search.plugin"})


@dataclass
class Outcome:
    entries: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # search entries, by page
    records: list[tuple[str, int, str]] = field(default_factory=list)  # (logger, level, message), in order
    failure: str | None = None


def may_split(plugins: Any, pages: int) -> bool:
    """Whether a build of `pages` generated pages, with these plugins, may use a second process."""
    if pages < SPLIT_FROM_PAGES or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    for event in PAGE_EVENTS:
        for handler in plugins.events.get(event, ()):
            owner = getattr(handler, "__self__", None)
            if owner is None or type(owner).__module__ not in KNOWN_PLUGINS:
                return False
    return True


def install(env: Environment, take: Callable[[Any], bool], template_of: Callable[[Any], str]) -> None:
    """Make TAKE_OR_SKIP loadable from the theme's environment; `take(page)` says whether this
    process writes the page (and makes its content ready when it does), `template_of(page)` which
    template the page had (mkdocs' `main.html` unless its front matter named one)."""
    assert env.loader is not None  # mkdocs' theme environment always has its loader
    page_template = "{%- if kam_take(page) -%}{%- include kam_template_of(page) -%}{%- endif -%}"
    env.loader = ChoiceLoader([DictLoader({TAKE_OR_SKIP: page_template}), env.loader])
    env.globals.update(kam_take=take, kam_template_of=template_of)


class Ends:
    """Positions 0..total-1 of a list taken from both ends by two processes (forked after it is
    made: it lives in shared memory), each position by exactly one of them."""

    def __init__(self, total: int) -> None:
        context = multiprocessing.get_context("fork")
        self._front, self._back = context.RawValue("i", 0), context.RawValue("i", total - 1)
        self._lock = context.Lock()

    def take_front(self, position: int) -> bool:
        """For the parent, going forwards: position is its if the child has not taken it."""
        with self._lock:
            if position > self._back.value:
                return False
            self._front.value = position + 1
            return True

    def take_back(self, position: int) -> bool:
        """For the child, going backwards."""
        with self._lock:
            if position < self._front.value:
                return False
            self._back.value = position - 1
            return True


class _Capture(logging.Handler):
    def __init__(self, records: list[tuple[str, int, str]]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class SkippedNotice(logging.Filter):
    """mkdocs' "Page skipped" note for the pages the other process writes."""

    def __init__(self, pages: set[str]) -> None:
        super().__init__()
        self.pages = pages

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message[len("Page skipped: '"):-len("'. Generated empty output.")]
                    in self.pages)


class SecondProcess:
    """A forked child running `work`; `finish` waits for what it sends."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid, self.reader = pid, reader

    @classmethod
    def start(cls, work: Callable[[Outcome], None]) -> SecondProcess:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, send, and leave without running the parent's exit handlers
            os.close(reader)
            code = 0
            try:
                outcome = Outcome()
                logger = logging.getLogger("mkdocs")
                logger.handlers = [_Capture(outcome.records)]
                logger.propagate = False
                try:
                    work(outcome)
                except BaseException as exc:  # noqa: BLE001 - any failure is the parent's to report
                    outcome.failure = f"{exc}" or type(exc).__name__
                    outcome.records.append(("mkdocs.plugins.kam", logging.DEBUG, traceback.format_exc()))
                with os.fdopen(writer, "wb") as out:
                    pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - nothing may escape a forked child
                code = 1
            finally:
                os._exit(code)
        os.close(writer)
        return cls(pid, reader)

    def finish(self) -> Outcome:
        with os.fdopen(self.reader, "rb") as received:
            data = received.read()
        _, status = os.waitpid(self.pid, 0)
        try:
            outcome = pickle.loads(data)
        except (EOFError, pickle.UnpicklingError):
            return Outcome(failure=f"the second build process ended without a result (status {status})")
        assert isinstance(outcome, Outcome)
        return outcome

    def abandon(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.reader)
        except OSError:
            pass
