"""What text from account files may become on the site: links with safe schemes only, and HTML
with nothing that runs.

Two layers, on purpose. Validation reports an unsafe link at its line and column (E211), so
the author learns at pull-request time; the build then sanitises the HTML of every generated
page with nh3 (the ammonia sanitiser), so that whatever slips past a rule, or a template
mistake, still reaches readers inert. Authored playbook pages are the repository owners' own
and keep their raw HTML.
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


# What the generated pages are made of: Python-Markdown's output for tables, lists, headings,
# links, images and code, the generator's own markup (badges, menus, details) and its SVG
# charts. Anything else, and every attribute not listed (on*, formaction, xlink:href...),
# is dropped.
_SVG_TAGS = {"svg", "g", "rect", "circle", "line", "path", "polyline", "text", "tspan", "title", "desc"}
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "progress",
} | _SVG_TAGS
_ANYWHERE = {"class", "id", "title", "role", "aria-label", "aria-hidden", "data-search-exclude", "data-sort", "data-filter"}
_ATTRIBUTES = {
    "*": _ANYWHERE,
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
    "progress": {"value", "max"},
    "svg": {"viewBox", "width", "height", "style", "xmlns"},
    "br": set(),
    "rect": {"x", "y", "width", "height", "rx"},
    "circle": {"cx", "cy", "r"},
    "line": {"x1", "y1", "x2", "y2"},
    "path": {"d"},
    "polyline": {"points"},
    "text": {"x", "y", "dx", "dy", "text-anchor", "transform"},
    "tspan": {"x", "y", "dx", "dy"},
}
_STYLE_PROPERTIES = {"text-align", "max-width", "min-width", "width"}


def sanitize_html(html: str) -> str:
    """`html` with only the elements, attributes, URL schemes and styles listed above."""
    import nh3  # only the build needs it; `kam validate` starts without it

    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES), link_rel=None,
                     strip_comments=True, filter_style_properties=_STYLE_PROPERTIES)


# Authored bodies (plans, review notes) are held to less: no SVG, no progress bars, no inline
# styles beyond table alignment, and only the classes the Markdown extensions write, so that
# account text can neither pose as the theme's chrome nor take an id the theme or our scripts
# look up (`__config`, `__search`...): every id gets the namespace, and so do in-page links.
_AUTHORED_TAGS = _TAGS - _SVG_TAGS - {"progress"}
_ADMONITION_TYPES = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite",
}


def _authored_classes() -> dict[str, set[str]]:
    from pygments.token import STANDARD_TYPES  # the short classes a highlighted code block uses

    code_spans = {c for c in STANDARD_TYPES.values() if c}
    return {
        "div": {"admonition", "highlight", "footnote"} | _ADMONITION_TYPES,
        "details": _ADMONITION_TYPES,
        "p": {"admonition-title"},
        "span": code_spans | {"filename"},
        "a": {"footnote-ref", "footnote-backref"},
        "code": set(),
    }


def _authored_attributes() -> dict[str, set[str]]:
    allowed = {tag: set(names) - {"class", "id"} for tag, names in _ATTRIBUTES.items() if tag not in _SVG_TAGS}
    allowed["*"] = {"id", "title"}
    allowed.pop("progress", None)
    allowed.pop("svg", None)
    return allowed


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


def sanitize_authored(html: str, namespace: str, image_hosts: frozenset[str]) -> str:
    """Authored HTML with the namespace on every id and in-page link, and images only from the
    repository or `image_hosts`."""
    import nh3

    def attribute(element: str, name: str, value: str) -> str | None:
        if name == "href" and value.startswith("#") and not value.startswith("#" + namespace):
            return "#" + namespace + value[1:]
        if element == "img" and name == "src" and not image_allowed(value, image_hosts):
            return None
        return value

    return nh3.clean(html, tags=_AUTHORED_TAGS, attributes=_authored_attributes(), attribute_filter=attribute,
                     allowed_classes=_authored_classes(), url_schemes=set(SAFE_SCHEMES), link_rel=None,
                     strip_comments=True, filter_style_properties=_STYLE_PROPERTIES, id_prefix=namespace)
