"""`kam render --out DIR`: the complete docs tree the plugin hands to MkDocs, as files.

Generated pages, the playbook as account_playbooks.site.playbookpage publishes it (macros expanded in the
sandbox, raw HTML shown as text unless mkdocs.yml allows it), the site's assets and theme override,
and an mkdocs.yml without the `kam` and `macros` plugins. Plain `mkdocs build` (or a drop-in engine
such as ProperDocs) on that folder gives the same site as `kam build`, so the project does not
depend on one engine's plugin system, and no engine finds Jinja to interpret in the tree.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core import siteconfig
from ..core.errors import ExitCode, KamError
from ..core.load import PLAYBOOK, split_front_matter
from .build import ASSETS, TEMPLATES, THEME_OVERRIDES, Generated
from .calendars import site_feeds
from .playbookpage import MacroFailure, publishable
from .render import SiteInput, review_redirects
from .templates import template_file

HOOK = '''"""Written by `kam render`: the build's second layer for generated pages, the same nh3 sanitiser
`kam build` applies. Their Markdown is already escaped and their links checked by kam validate."""

import logging

try:
    from account_playbooks.site.safety import sanitize_html
except ImportError:  # the generator is not installed where this tree is built
    sanitize_html = None

log = logging.getLogger("mkdocs.hooks.kam")
PLAYBOOK_HTML = {playbook_html}  # mkdocs.yml's kam option when the tree was written


def on_config(config):
    if sanitize_html is None:  # a warning, so that `--strict` stops rather than publish one layer
        log.warning("kam: the generator is not installed here, so generated pages are not sanitised "
                    "(pip install the account-playbooks project to keep the second layer)")
    return config


def on_page_content(html, page, config, files):
    if sanitize_html is None or (PLAYBOOK_HTML and page.file.src_uri.startswith("playbook/")):
        return html  # the repository allows raw HTML in its playbook, as in `kam build`
    return sanitize_html(html)
'''


class ExportProblem(KamError):
    """The docs tree cannot be written: a folder in the way (usage) or files with errors."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Exported:
    folder: Path
    pages: int
    playbook_html: bool = False  # the repository allows raw HTML in its playbook (mkdocs.yml's kam option)


def export(root: Path, out: Path, generated: Generated, *, force: bool = False,
           site_url: str | None = None) -> Exported:
    if out == root or out in root.parents:  # its docs/ and mkdocs.yml would replace the repository's own
        raise ExportProblem(f"{out} contains the repository; nothing was written (choose a folder outside it)")
    if out.exists() and any(out.iterdir()) and not force:
        raise ExportProblem(f"{out} is not empty; nothing was written (use --force to write there anyway)")
    if generated.site is None:
        raise ExportProblem("the account files have errors; run `kam validate`", exit_code=ExitCode.ERRORS)
    config = _config(root)
    html = siteconfig.playbook_html(config)
    playbook = {}
    for path in sorted((root / PLAYBOOK).rglob("*.md")):  # every page rendered before anything is written
        relative = f"{PLAYBOOK}/{path.relative_to(root / PLAYBOOK).as_posix()}"
        playbook[relative] = _render_playbook_page(path.read_text(encoding="utf-8"), relative, generated.site, html)
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    for page in generated.pages:
        _write(docs / page.path, page.standalone)
    if generated.site is not None:
        for redirect, content in review_redirects(generated, generated.site.directory_urls):
            _write(docs / redirect, content)
    for path in sorted((root / PLAYBOOK).rglob("*")):
        if path.is_file():
            relative = f"{PLAYBOOK}/{path.relative_to(root / PLAYBOOK).as_posix()}"
            if relative in playbook:
                _write(docs / relative, playbook[relative])
            else:
                (docs / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, docs / relative)
    for asset in ASSETS:
        (docs / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template_file(root / TEMPLATES, asset), docs / asset)
    for feed, ics in site_feeds(generated.site, config.get("site_url")).items():
        (docs / feed).parent.mkdir(parents=True, exist_ok=True)
        (docs / feed).write_bytes(ics)
    overrides = out / "overrides"
    overrides.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(THEME_OVERRIDES / "main.html", overrides / "main.html")
    _write(out / "kam_hooks.py", HOOK.replace("{playbook_html}", repr(html)))
    _write(out / "mkdocs.yml", _engine_config(config, site_url))
    return Exported(out, len(generated.pages), html)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _render_playbook_page(text: str, relative: str, site: SiteInput, html: bool) -> str:
    """A playbook page as the kam plugin publishes it, front matter kept but `render_macros`."""
    split = split_front_matter(text)
    if isinstance(split, str):
        return _publishable(text, 1, relative, site, macros=False, html=html, meta={})
    front, body, body_line = split
    meta = yaml.safe_load(front) or {}
    meta = meta if isinstance(meta, dict) else {}
    macros = meta.get("render_macros") is True
    kept = {k: v for k, v in meta.items() if k != "render_macros"}
    if not macros:
        header = f"---\n{front}\n---\n"
    else:
        header = f"---\n{yaml.safe_dump(kept, sort_keys=False)}---\n" if kept else ""
    return header + _publishable(body, body_line, relative, site, macros=macros, html=html, meta=meta)


def _publishable(body: str, body_line: int, relative: str, site: SiteInput, *, macros: bool, html: bool,
                 meta: dict) -> str:
    try:
        return publishable(body, site=site, here=relative, macros=macros, html=html, variables=meta)
    except MacroFailure as failure:
        raise ExportProblem(f"{failure.located(relative, body_line)}; nothing was written",
                            exit_code=ExitCode.ERRORS) from None


def _config(root: Path) -> dict:
    try:
        return siteconfig.parse((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ExportProblem(f"mkdocs.yml cannot be read: {exc}; nothing was written",
                            exit_code=ExitCode.ERRORS) from None


def _engine_config(config: dict, site_url: str | None = None) -> str:
    config = dict(config)
    config["docs_dir"] = "docs"
    if site_url:
        config["site_url"] = site_url if site_url.endswith("/") else site_url + "/"
    extensions = list(config.get("markdown_extensions") or [])
    if not any(_is(e, "attr_list") for e in extensions):  # the pages' namespaced heading ids are written as { #id }
        config["markdown_extensions"] = [*extensions, "attr_list"]
    plugins = [p for p in config.get("plugins", []) if not _is(p, "kam") and not _is(p, "macros")]
    config["plugins"] = plugins
    config.setdefault("theme", {})["custom_dir"] = "overrides"
    config["hooks"] = ["kam_hooks.py"]
    note = "# Written by `kam render`: the docs tree as the kam plugin hands it to MkDocs; build with `mkdocs build`.\n"
    return note + siteconfig.dump(config)


def _is(plugin, name: str) -> bool:
    return plugin == name or (isinstance(plugin, dict) and name in plugin)
