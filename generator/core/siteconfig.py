"""mkdocs.yml, read once and the same way by every stage that needs it (validation, the site's
links, `kam render`), without mkdocs.

A standard Material configuration carries YAML tags (`!!python/name:material.extensions.emoji.twemoji`,
`!ENV`): they are kept as `Tagged` values, never constructed (nothing in the file runs), and
written back as they were when `kam render` writes the tree's own mkdocs.yml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Tagged:
    """A tagged node as written: its tag and its plain value (text, list or mapping)."""
    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


def _tagged(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        return Tagged(tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(tag, loader.construct_sequence(node, deep=True))
    if isinstance(node, yaml.ScalarNode):
        return Tagged(tag, loader.construct_scalar(node))
    raise TypeError(f"unknown YAML node {type(node).__name__}")  # YAML composes only the three above


_Loader.add_multi_constructor("!", lambda loader, suffix, node: _tagged(loader, "!" + suffix, node))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node:
                              _tagged(loader, "tag:yaml.org,2002:python/" + suffix, node))


class _Dumper(yaml.SafeDumper):
    pass


def _represent(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, "" if data.value is None else str(data.value))


_Dumper.add_representer(Tagged, _represent)


def parse(text: str) -> dict[str, Any]:
    """The configuration as a mapping; {} when it is not one. Raises yaml.YAMLError."""
    config = yaml.load(text, Loader=_Loader)
    return config if isinstance(config, dict) else {}


def read(text: str | None) -> dict[str, Any]:
    """Like `parse`, but an unreadable or missing file is {} (the build reports what is wrong)."""
    if text is None:
        return {}
    try:
        return parse(text)
    except yaml.YAMLError:
        return {}


def dump(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def repo_url(config: dict[str, Any]) -> str | None:
    """Where commits and source files are linked: an http(s) repo_url, or None."""
    url = config.get("repo_url")
    return url.rstrip("/") if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def directory_urls(config: dict[str, Any]) -> bool:
    return config.get("use_directory_urls") is not False


def kam_options(config: dict[str, Any]) -> dict[str, Any]:
    """The kam plugin's options in `plugins:`; {} when it has none."""
    plugins = config.get("plugins")
    for plugin in plugins if isinstance(plugins, list) else ():
        if isinstance(plugin, dict) and isinstance(plugin.get("kam"), dict):
            options: dict[str, Any] = plugin["kam"]
            return options
    return {}


def playbook_html(config: dict[str, Any]) -> bool:
    """Whether playbook pages may carry raw HTML: only an explicit `playbook_html: true` under the
    kam plugin allows it. Unset is off, as the trust decision it is."""
    return kam_options(config).get("playbook_html") is True
