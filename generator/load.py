"""Stage 1, load: read the repository tree into documents that keep their source positions.

Nothing here knows the file formats beyond "this file is YAML" and "this file is Markdown
with front matter"; what the values must be is the validate stage's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, diagnostic
from .yamldoc import YamlDoc, parse

# An account file is a few KB; 1 MB is generous and still reads in milliseconds.
MAX_FILE_BYTES = 1_000_000

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
REVIEW_NAME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
ACCOUNT_FILES = ("account.yml", "stakeholders.yml", "goals.yml", "strategy.md")
ALLOWED_IN_ACCOUNTS_DIR = frozenset({"README.md"})
PLAYBOOK = "playbook"


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
    playbook: tuple[MarkdownDoc, ...]  # authored pages that have front matter (they may use macros)
    diagnostics: tuple[Diagnostic, ...]


class _Reader:
    """Reads files under one root, collecting diagnostics instead of raising."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.resolved_root = root.resolve()
        self.diagnostics: list[Diagnostic] = []

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def inside_repo(self, path: Path) -> bool:
        if not path.is_symlink():
            return True
        target = path.resolve()
        if target == self.resolved_root or self.resolved_root in target.parents:
            return True
        self.diagnostics.append(diagnostic(self.rel(path), (1, 1), "E009",
                                      "symbolic link points outside the repository; not followed"))
        return False

    def text(self, path: Path) -> str | None:
        rel = self.rel(path)
        if not self.inside_repo(path):
            return None
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.diagnostics.append(diagnostic(rel, (1, 1), "E007",
                                              f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
                return None
            raw = path.read_bytes()
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
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    def required_text(self, path: Path) -> str | None:
        """A required file's text, or None with the reason recorded (missing or unreadable)."""
        if not path.exists() and not path.is_symlink():
            self.diagnostics.append(diagnostic(self.rel(path), (1, 1), "E012", "required file is missing"))
            return None
        return self.text(path)

    def yaml(self, path: Path) -> YamlDoc | None:
        text = self.required_text(path)
        if text is None:
            return None
        doc, problems = parse(text, self.rel(path))
        self.diagnostics.extend(problems)
        return doc

    def markdown(self, path: Path) -> MarkdownDoc | None:
        text = self.required_text(path)
        return None if text is None else self.markdown_text(path, text)

    def markdown_text(self, path: Path, text: str) -> MarkdownDoc:
        rel = self.rel(path)
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


def load(root: Path) -> LoadedRepo:
    reader = _Reader(root)
    criteria = reader.yaml(root / "criteria.yml")
    team = reader.yaml(root / "team.yml")
    accounts = tuple(_load_accounts(reader, root / "accounts"))
    playbook = tuple(_load_playbook(reader, root / PLAYBOOK))
    return LoadedRepo(root, criteria, team, accounts, playbook, tuple(reader.diagnostics))


def _load_playbook(reader: _Reader, folder: Path):
    """Playbook pages with front matter; pages without it are plain Markdown, nothing to check."""
    for path in _markdown_files(reader, folder):
        text = reader.text(path)
        if text is not None and text.startswith("---"):
            yield reader.markdown_text(path, text)


def _markdown_files(reader: _Reader, folder: Path):
    """Every .md file under `folder`, never through a link that leaves the repository: mkdocs
    publishes what it finds in docs_dir, so a folder linked from outside would be published."""
    if not folder.is_dir() or not reader.inside_repo(folder):
        return
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            yield from _markdown_files(reader, entry)
        elif entry.suffix == ".md" and reader.inside_repo(entry):
            yield entry


def _load_accounts(reader: _Reader, accounts_dir: Path):
    if not accounts_dir.is_dir():
        reader.diagnostics.append(diagnostic("accounts", (1, 1), "E012", "the accounts/ folder is missing"))
        return
    if not reader.inside_repo(accounts_dir):
        return
    for entry in sorted(accounts_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if not reader.inside_repo(entry):
            continue
        if not entry.is_dir():
            if entry.name not in ALLOWED_IN_ACCOUNTS_DIR:
                reader.diagnostics.append(diagnostic(reader.rel(entry), (1, 1), "E011",
                                                "only account folders belong in accounts/"))
            continue
        if not ID_RE.fullmatch(entry.name):
            reader.diagnostics.append(diagnostic(reader.rel(entry), (1, 1), "E010",
                                            f"account folder name {entry.name!r} is not a kebab-case id"))
            continue
        if not (entry / "account.yml").exists():
            reader.diagnostics.append(diagnostic(reader.rel(entry), (1, 1), "E010",
                                            "folder in accounts/ has no account.yml"))
            continue
        yield _load_account(reader, entry)


def _load_account(reader: _Reader, folder: Path) -> AccountFiles:
    for entry in sorted(folder.iterdir()):
        known = entry.name in ACCOUNT_FILES or (entry.name == "reviews" and entry.is_dir())
        if not known and not entry.name.startswith("."):
            reader.diagnostics.append(diagnostic(reader.rel(entry), (1, 1), "E011",
                                            f"unexpected file in an account folder; expected {', '.join(ACCOUNT_FILES)} and reviews/"))
    reviews = []
    reviews_dir = folder / "reviews"
    if reviews_dir.is_dir() and reader.inside_repo(reviews_dir):
        for entry in sorted(reviews_dir.iterdir()):
            if entry.name.startswith("."):
                continue
            if not REVIEW_NAME_RE.match(entry.name) or entry.is_dir():
                reader.diagnostics.append(diagnostic(reader.rel(entry), (1, 1), "E013",
                                                "review files are named YYYY-MM-DD-slug.md"))
                continue
            review = reader.markdown(entry)
            if review is not None:
                reviews.append(review)
    return AccountFiles(
        id=folder.name,
        dir=reader.rel(folder),
        account=reader.yaml(folder / "account.yml"),
        stakeholders=reader.yaml(folder / "stakeholders.yml"),
        goals=reader.yaml(folder / "goals.yml"),
        strategy=reader.markdown(folder / "strategy.md"),
        reviews=tuple(reviews),
    )
