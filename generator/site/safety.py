"""What text from account files may become on the site: links with safe schemes only, and HTML
with nothing that runs.

Two layers, on purpose. Validation reports an unsafe link at its line and column (E211), so
the author learns at pull-request time; the build then sanitises the HTML of every generated
page with nh3 (the ammonia sanitiser), so that whatever slips past a rule, or a template
mistake, still reaches readers inert. Authored playbook pages are the repository owners' own
and keep their raw HTML.
"""

from __future__ import annotations

from ..core.urls import SAFE_SCHEMES, image_allowed

# What the generated pages are made of: Python-Markdown's output for tables, lists, headings,
# links, images and code, the generator's own markup (badges, menus, details) and its SVG
# charts. Anything else, and every attribute not listed (on*, formaction, xlink:href...),
# is dropped.
_SVG_TAGS = {"svg", "g", "rect", "circle", "line", "path", "polyline", "text", "tspan", "title", "desc"}
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "progress",
    "button",  # the morning view's counts line: filters, with no action but our script's
} | _SVG_TAGS
_ANYWHERE = {"class", "id", "title", "role", "aria-label", "aria-hidden", "data-search-exclude", "data-sort", "data-filter",
             "hidden", "aria-pressed", "aria-live", "data-kind", "data-who", "data-kam", "data-team", "data-region",
             "data-tier", "data-first"}
_ATTRIBUTES = {
    "*": _ANYWHERE,
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
    "progress": {"value", "max"},
    "button": {"type"},
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
_AUTHORED_TAGS = _TAGS - _SVG_TAGS - {"progress", "button"}
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
    for generated_only in ("progress", "svg", "button"):
        allowed.pop(generated_only, None)
    return allowed


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


def generated_markup(tag: str, attribute: str | None = None) -> bool:
    """Whether the generator's pages may carry `tag` (with `attribute`): what the sanitiser keeps,
    plus `markdown`, md_in_html's switch on the blocks the templates write (consumed by Markdown)."""
    allowed = _GENERATED.get(tag.lower())
    return allowed is not None and (attribute is None or attribute.lower() in allowed)


# Names as an HTML parser reports them (lower case), per tag; the audit asks for every tag of a tree.
_GENERATED = {tag: frozenset(n.lower() for n in _ANYWHERE | _ATTRIBUTES.get(tag, set())) for tag in _TAGS}
_GENERATED["div"] = _GENERATED["div"] | {"markdown"}
_GENERATED["details"] = _GENERATED["details"] | {"markdown"}


def style_allowed(style: str) -> bool:
    """Whether an inline style sets only the properties the sanitiser keeps, and loads nothing."""
    declarations = [d for d in style.split(";") if d.strip()]
    return all(":" in d and d.split(":", 1)[0].strip().lower() in _STYLE_PROPERTIES and "(" not in d
               for d in declarations)
