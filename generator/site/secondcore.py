"""Half of a one-off build's generated pages written by a second process.

mkdocs builds pages one after another on one core: at 1,000 accounts, Material's page template,
the sanitiser and the search entries of about 7,000 generated pages were most of a build that
the second core mostly watched. Once mkdocs has read every page (its navigation, titles and
tables of contents are complete, and no thread has started yet), the process forks: the child
sanitises, indexes and writes the second half of the generated pages through mkdocs' own page
builder, with the same templates, navigation and plugins, and sends back what the parent needs
(the pages' search entries, what it logged, a failure); the parent renders nothing for those
pages and writes the rest. The files written are the same, byte for byte, as one process writes.

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

# The template a page built by the other process renders here: nothing, so mkdocs writes no file for it.
BUILT_ELSEWHERE = "kam-built-by-the-second-process.html"
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


def allow_skipping(env: Environment) -> None:
    """Make BUILT_ELSEWHERE loadable from the theme's environment."""
    assert env.loader is not None  # mkdocs' theme environment always has its loader
    env.loader = ChoiceLoader([DictLoader({BUILT_ELSEWHERE: ""}), env.loader])


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
