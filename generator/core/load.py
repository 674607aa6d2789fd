"""Stage 1, load: read the repository tree into documents that keep their source positions.

Nothing here knows the file formats beyond "this file is YAML" and "this file is Markdown
with front matter"; what the values must be is the validate stage's business.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .codes import emits
from .diagnostics import Diagnostic, diagnostic
from .ids import LENGTH_WHY, MAX_ID_LENGTH, RESERVED_WHY, is_reserved
from .model import ID_RE
from .textscan import EMITS as SCAN_CODES
from .textscan import scan
from .yamldoc import EMITS as YAML_CODES
from .yamldoc import YamlDoc, parse

# What reading a repository can report, the parser's and the text scan's included.
EMITS = emits("E002", "E003", "E004", "E007", "E009", "E010", "E011", "E012", "E013", "E113", "E114",
              *YAML_CODES, *SCAN_CODES)

# An account file is a few KB; 1 MB is generous and still reads in milliseconds.
MAX_FILE_BYTES = 1_000_000

REVIEW_NAME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
ACCOUNT_FILES = ("account.yml", "stakeholders.yml", "goals.yml", "strategy.md")
ALLOWED_IN_ACCOUNTS_DIR = frozenset({"README.md"})
PLAYBOOK = "playbook"
ACCOUNTS = "accounts"


@dataclass(frozen=True)
class MarkdownDoc:
    path: str
    front: YamlDoc | None
    body: str
    body_line: int  # the line of the file on which `body` starts


@dataclass(frozen=True)
class AccountFiles:
    id: str
    dir: str
    account: YamlDoc | None
    stakeholders: YamlDoc | None
    goals: YamlDoc | None
    strategy: MarkdownDoc | None
    reviews: tuple[MarkdownDoc, ...]


@dataclass(frozen=True)
class LoadedRepo:
    root: Path
    criteria: YamlDoc | None
    team: YamlDoc | None
    accounts: tuple[AccountFiles, ...]
    playbook: tuple[MarkdownDoc, ...]  # every authored page; those with front matter may use macros
    diagnostics: tuple[Diagnostic, ...]
    playbook_html: bool = False  # mkdocs.yml lets playbook pages carry raw HTML (kam: {playbook_html: true})


class Source(Protocol):
    """A read-only tree of files addressed by repository-relative POSIX paths ("" is the root).

    The working tree is one (`FolderSource`); a git commit is another (`gitlog.CommitSource`),
    so `kam history` reads past revisions through the very loader `kam validate` uses.
    """

    def is_dir(self, rel: str) -> bool: ...
    def exists(self, rel: str) -> bool: ...
    def is_link(self, rel: str) -> bool: ...
    def leaves_repo(self, rel: str) -> bool: ...
    def names(self, rel: str) -> list[str]: ...
    def size(self, rel: str) -> int: ...
    def read(self, rel: str) -> bytes: ...
    def fingerprint(self, rel: str) -> str | None: ...


class FolderSource:
    """The files on disk under `root`.

    Paths are joined as strings and asked of `os` directly: validating 1,000 accounts makes
    about 40,000 of these calls, and building a `Path` for each cost more than the system calls."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.resolved_root = root.resolve()
        self._prefix = os.path.join(os.fspath(root), "")

    def _path(self, rel: str) -> str:
        return self._prefix + rel if rel else self._prefix

    def is_dir(self, rel: str) -> bool:
        return os.path.isdir(self._path(rel))

    def exists(self, rel: str) -> bool:
        return os.path.exists(self._path(rel))

    def is_link(self, rel: str) -> bool:
        return os.path.islink(self._path(rel))

    def leaves_repo(self, rel: str) -> bool:
        path = self._path(rel)
        if not os.path.islink(path):
            return False
        target = Path(path).resolve()
        return not (target == self.resolved_root or self.resolved_root in target.parents)

    def names(self, rel: str) -> list[str]:
        return sorted(os.listdir(self._path(rel)))

    def size(self, rel: str) -> int:
        return os.stat(self._path(rel)).st_size

    def read(self, rel: str) -> bytes:
        with open(self._path(rel), "rb") as file:
            return file.read()

    def fingerprint(self, rel: str) -> str | None:
        """The file's identity on disk: an edit changes its modification time (in nanoseconds),
        a save by rename its inode. Only a reader given a shared cache (`kam serve`) keeps
        anything by it; each one-off load starts empty."""
        try:
            st = os.stat(self._path(rel))
        except OSError:
            return None
        return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


_Doc = TypeVar("_Doc", YamlDoc, MarkdownDoc)

# (path, kind of parse, the source's fingerprint) -> (the document or None, its diagnostics); the
# document is a YamlDoc or a MarkdownDoc as the kind says.
ParsedCache = dict[tuple[str, str, str], tuple[Any, list[Diagnostic]]]


class Reader:
    """Reads files from a source, collecting diagnostics instead of raising.

    `parsed` may be shared between readers of one source family: documents are cached by the
    source's fingerprint of the file (a git blob id), so a file that did not change between two
    commits is parsed once.
    """

    def __init__(self, source: Source, parsed: ParsedCache | None = None) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.parsed = parsed  # None: a one-off load, which reads each file once and keeps nothing

    def inside_repo(self, rel: str) -> bool:
        if not self.source.leaves_repo(rel):
            return True
        self.diagnostics.append(diagnostic(rel, (1, 1), "E009",
                                           "symbolic link points outside the repository; not followed"))
        return False

    def text(self, rel: str) -> str | None:
        if not self.inside_repo(rel):
            return None
        try:
            size = self.source.size(rel)
            if size > MAX_FILE_BYTES:
                self.diagnostics.append(diagnostic(rel, (1, 1), "E007",
                                                   f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
                return None
            raw = self.source.read(rel)
        except OSError as exc:
            self.diagnostics.append(diagnostic(rel, (1, 1), "E012", f"cannot read file: {exc.strerror}"))
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            col = exc.start - (before.rfind(b"\n") + 1) + 1
            self.diagnostics.append(diagnostic(rel, (line, col), "E002",
                                               f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})"))
            return None
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        problems = scan(rel, text)
        if problems:
            # A conflict or a control character is the one thing to say about the file: what a
            # parser would make of it (both sides published, an error about indentation) is not.
            self.diagnostics.extend(problems)
            return None
        return text

    def required_text(self, rel: str) -> str | None:
        """A required file's text, or None with the reason recorded (missing or unreadable)."""
        if not self.source.exists(rel) and not self.source.is_link(rel):
            self.diagnostics.append(diagnostic(rel, (1, 1), "E012", "required file is missing"))
            return None
        return self.text(rel)

    def _cached(self, rel: str, kind: str, make: Callable[[], tuple[_Doc | None, list[Diagnostic]]]) -> _Doc | None:
        parsed = self.parsed
        key = None if parsed is None else self.source.fingerprint(rel)
        found: tuple[_Doc | None, list[Diagnostic]] | None = None
        if parsed is not None and key is not None:
            found = parsed.get((rel, kind, key))
        if found is None:
            found = make()
            if parsed is not None and key is not None:
                parsed[(rel, kind, key)] = found
        doc, problems = found
        self.diagnostics.extend(problems)
        return doc

    def yaml(self, rel: str) -> YamlDoc | None:
        def make() -> tuple[YamlDoc | None, list[Diagnostic]]:
            before = len(self.diagnostics)
            text = self.required_text(rel)
            doc = None
            if text is not None:
                doc, problems = parse(text, rel)
                self.diagnostics.extend(problems)
            return doc, self._taken_since(before)
        return self._cached(rel, "yaml", make)

    def markdown(self, rel: str) -> MarkdownDoc | None:
        def make() -> tuple[MarkdownDoc | None, list[Diagnostic]]:
            before = len(self.diagnostics)
            text = self.required_text(rel)
            doc = None if text is None else self.markdown_text(rel, text)
            return doc, self._taken_since(before)
        return self._cached(rel, "markdown", make)

    def _taken_since(self, before: int) -> list[Diagnostic]:
        """The diagnostics recorded since `before`, removed: `_cached` puts them back, so that a
        cached document reports the same problems as a freshly parsed one."""
        taken = self.diagnostics[before:]
        del self.diagnostics[before:]
        return taken

    def markdown_text(self, rel: str, text: str) -> MarkdownDoc:
        split = split_front_matter(text)
        if isinstance(split, str):
            self.diagnostics.append(diagnostic(rel, (1, 1), "E004", split))
            return MarkdownDoc(rel, None, text, 1)
        front_text, body, body_line = split
        if not front_text.strip():
            self.diagnostics.append(diagnostic(rel, (1, 1), "E003", "front matter is empty"))
            return MarkdownDoc(rel, None, body, body_line)
        front, problems = parse(front_text, rel, line_offset=1)
        self.diagnostics.extend(problems)
        return MarkdownDoc(rel, front, body, body_line)


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """Split `---` front matter from a Markdown body.

    Returns (front matter text, body, line the body starts on), or the reason it cannot.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return "front matter missing: the file must start with a '---' line"
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return "front matter is not terminated: add a closing '---' line"


def load(root: Path, parsed: ParsedCache | None = None) -> LoadedRepo:
    """The repository's files, parsed. `parsed` is a cache kept between loads of the same
    folder (`kam serve` rebuilding after an edit): files that did not change are not read again."""
    reader = Reader(FolderSource(root), parsed)
    criteria = reader.yaml("criteria.yml")
    team = reader.yaml("team.yml")
    accounts = tuple(load_accounts(reader))
    playbook = tuple(_load_playbook(reader, PLAYBOOK))
    return LoadedRepo(root, criteria, team, accounts, playbook, tuple(reader.diagnostics), _playbook_html(reader))


def _load_playbook(reader: Reader, folder: str) -> Iterator[MarkdownDoc]:
    """Every playbook page: one without front matter is a body alone (it may still carry raw HTML)."""
    for rel in _markdown_files(reader, folder):
        text = reader.text(rel)
        if text is not None:
            yield reader.markdown_text(rel, text) if text.startswith("---") else MarkdownDoc(rel, None, text, 1)


def _playbook_html(reader: Reader) -> bool:
    """Whether mkdocs.yml allows raw HTML in playbook pages; a missing or unreadable mkdocs.yml
    allows nothing (the build reports what is wrong with it)."""
    from . import siteconfig

    try:
        text = reader.source.read("mkdocs.yml").decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return siteconfig.playbook_html(siteconfig.read(text))


def _markdown_files(reader: Reader, folder: str) -> Iterator[str]:
    """Every .md file under `folder`, never through a link that leaves the repository: mkdocs
    publishes what it finds in docs_dir, so a folder linked from outside would be published."""
    if not reader.source.is_dir(folder) or not reader.inside_repo(folder):
        return
    for name in reader.source.names(folder):
        rel = _join(folder, name)
        if reader.source.is_dir(rel):
            yield from _markdown_files(reader, rel)
        elif name.endswith(".md") and reader.inside_repo(rel):
            yield rel


def account_folders(reader: Reader, accounts_dir: str = ACCOUNTS) -> Iterator[str]:
    """The folders under accounts/ that hold an account; anything else there is reported."""
    source = reader.source
    if not source.is_dir(accounts_dir):
        reader.diagnostics.append(diagnostic(accounts_dir, (1, 1), "E012", "the accounts/ folder is missing"))
        return
    if not reader.inside_repo(accounts_dir):
        return
    for name in source.names(accounts_dir):
        rel = _join(accounts_dir, name)
        if name.startswith(".") or not reader.inside_repo(rel):
            continue
        if not source.is_dir(rel):
            if name not in ALLOWED_IN_ACCOUNTS_DIR:
                reader.diagnostics.append(diagnostic(rel, (1, 1), "E011", "only account folders belong in accounts/"))
            continue
        if not ID_RE.fullmatch(name):
            reader.diagnostics.append(diagnostic(rel, (1, 1), "E010",
                                                 f"account folder name {name!r} is not a kebab-case id"))
            continue
        if not source.exists(f"{rel}/account.yml"):
            reader.diagnostics.append(diagnostic(rel, (1, 1), "E010", "folder in accounts/ has no account.yml"))
            continue
        # Readable here, so still read (its references resolve), but a clone on Windows breaks.
        if len(name) > MAX_ID_LENGTH:
            reader.diagnostics.append(diagnostic(rel, (1, 1), "E114", f"account folder name is {len(name):,} "
                                                 f"characters long; {LENGTH_WHY}: rename the folder"))
        elif is_reserved(name):
            reader.diagnostics.append(diagnostic(rel, (1, 1), "E113", f"account folder name {name!r} is not "
                                                 f"possible on Windows: {RESERVED_WHY}; rename the folder"))
        yield rel


def load_accounts(reader: Reader, accounts_dir: str = ACCOUNTS) -> Iterator[AccountFiles]:
    for folder in account_folders(reader, accounts_dir):
        yield load_account(reader, folder)


def load_account(reader: Reader, folder: str) -> AccountFiles:
    source = reader.source
    for name in source.names(folder):
        known = name in ACCOUNT_FILES or (name == "reviews" and source.is_dir(f"{folder}/reviews"))
        # A link that leaves the repository is said to be one (E009), whatever its name.
        if not known and not name.startswith(".") and reader.inside_repo(f"{folder}/{name}"):
            reader.diagnostics.append(diagnostic(f"{folder}/{name}", (1, 1), "E011",
                                                 f"unexpected file in an account folder; expected {', '.join(ACCOUNT_FILES)} and reviews/"))
    reviews = []
    reviews_dir = f"{folder}/reviews"
    if source.is_dir(reviews_dir) and reader.inside_repo(reviews_dir):
        for name in source.names(reviews_dir):
            rel = f"{reviews_dir}/{name}"
            if name.startswith(".") or not reader.inside_repo(rel):
                continue
            if not REVIEW_NAME_RE.match(name) or source.is_dir(rel):
                reader.diagnostics.append(diagnostic(rel, (1, 1), "E013", "review files are named YYYY-MM-DD-slug.md"))
                continue
            review = reader.markdown(rel)
            if review is not None:
                reviews.append(review)
    return AccountFiles(
        id=folder.rsplit("/", 1)[-1],
        dir=folder,
        account=reader.yaml(f"{folder}/account.yml"),
        stakeholders=reader.yaml(f"{folder}/stakeholders.yml"),
        goals=reader.yaml(f"{folder}/goals.yml"),
        strategy=reader.markdown(f"{folder}/strategy.md"),
        reviews=tuple(reviews),
    )
