"""What a URL in account Markdown would make a browser do: its scheme, and the host it loads from.

Validation reports an unsafe link (E211) or an outside image (E220) with these, and the site's
sanitiser drops the same ones, so the two layers can never disagree.
"""

from __future__ import annotations

import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# WHATWG URL parsing drops tabs and newlines anywhere and C0 controls or spaces at either
# end, so "java\tscript:" and " javascript:" are both javascript: to a browser.
_IGNORED_ANYWHERE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url`, lower-cased; None for a relative URL."""
    cleaned = _IGNORED_ANYWHERE.sub("", url).strip(_C0_AND_SPACE)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def unsafe_scheme(url: str) -> str | None:
    """The scheme of `url` when it is not one a link from account text may use."""
    scheme = url_scheme(url)
    return scheme if scheme is not None and scheme not in SAFE_SCHEMES else None


def external_host(url: str) -> str | None:
    """The host `url` loads from when it is not relative to the site: 'example.com' for
    'https://example.com/p.png' and '//example.com/p.png'; None for a relative path."""
    cleaned = _IGNORED_ANYWHERE.sub("", url).strip(_C0_AND_SPACE).replace("\\", "/")
    if url_scheme(cleaned) is None and not cleaned.startswith("//"):
        return None
    rest = cleaned.split(":", 1)[1] if url_scheme(cleaned) else cleaned
    authority = rest.lstrip("/").split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = authority.rsplit("@", 1)[-1]
    host = host[1:].split("]", 1)[0] if host.startswith("[") else host.split(":", 1)[0]
    return host.lower().rstrip(".")


def image_allowed(url: str, hosts: frozenset[str]) -> bool:
    host = external_host(url)
    return host is None or host in hosts
