"""Links in account Markdown: only schemes that cannot run code or load a document (E211), and
images only from the repository or the hosts the team allows (E220).

The site's build sanitises the same links away; this rule is what tells the author, at the
line and column of the link, before the pull request is merged.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from ..core.mdtext import EMITS as MARKUP_CODES
from ..core.mdtext import find_image_sources, find_link_destinations, heavy_markup_at
from ..core.urls import SAFE_SCHEMES, external_host, unsafe_scheme
from .context import RuleContext
from .declare import rule

_ALLOWED = ", ".join(sorted(SAFE_SCHEMES))


@rule("E211")
def unsafe_links(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        for path, body, body_line in account.markdown_bodies():
            for link in find_link_destinations(body, body_line):
                scheme = unsafe_scheme(link.url)
                if scheme:
                    yield diagnostic(path, (link.line, link.column), "E211",
                                f"link uses the scheme '{scheme}:', which the site does not allow; "
                                f"use {_ALLOWED}, a relative path or a #anchor")


@rule("E220")
def outside_images(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An image from another host is fetched by every reader's browser as the page opens: a
    tracking pixel on an internal site, and a broken picture where the site is read offline."""
    criteria = ctx.portfolio.criteria
    hosts = frozenset(criteria.content.image_hosts) if criteria is not None else frozenset()
    for account in ctx.accounts:
        for path, body, body_line in account.markdown_bodies():
            for image in find_image_sources(body, body_line):
                host = external_host(image.url)
                if host is not None and host not in hosts and unsafe_scheme(image.url) is None:
                    yield diagnostic(path, (image.line, image.column), "E220",
                                     f"image loads from '{host}', a host the site does not allow; put the image "
                                     "in the repository and link it by a relative path, or add the host to "
                                     "criteria.yml's content.image_hosts")


@rule(*MARKUP_CODES)
def heavy_markup(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Refused here so that what is merged renders in time proportional to its size; the build
    quarantines the same paragraphs (mdtext.defuse_markup) if they reach it anyway."""
    for account in ctx.accounts:
        for path, body, body_line in account.markdown_bodies():
            for line, column, code, message in heavy_markup_at(body, body_line):
                yield diagnostic(path, (line, column), code, message)


RULES = (unsafe_links, outside_images, heavy_markup)
