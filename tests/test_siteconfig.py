"""mkdocs.yml read once, without mkdocs: tags kept as written, never run."""

from __future__ import annotations

from account_playbooks.core import siteconfig

MATERIAL = """\
site_name: Accounts
repo_url: https://git.example.com/sales/accounts/
use_directory_urls: false
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
extra:
  analytics: !ENV [ANALYTICS_KEY, none]
plugins:
  - search
  - kam: {playbook_html: true}
"""


def test_a_material_configuration_with_tags_reads_and_writes_back_as_it_was():
    config = siteconfig.parse(MATERIAL)
    emoji = config["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == siteconfig.Tagged("tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", "")
    assert config["extra"]["analytics"] == siteconfig.Tagged("!ENV", ["ANALYTICS_KEY", "none"])
    written = siteconfig.dump(config)
    assert "!!python/name:material.extensions.emoji.twemoji" in written and "!ENV" in written
    assert siteconfig.parse(written) == config


def test_what_the_generator_reads_from_it():
    config = siteconfig.parse(MATERIAL)
    assert siteconfig.repo_url(config) == "https://git.example.com/sales/accounts"
    assert siteconfig.directory_urls(config) is False
    assert siteconfig.playbook_html(config) is True
    assert siteconfig.playbook_html(siteconfig.parse("plugins: [search, kam]")) is False
    assert siteconfig.read("plugins: [") == {} and siteconfig.read(None) == {}


def test_nothing_in_the_file_runs():
    config = siteconfig.parse("x: !!python/object/apply:os.system ['touch /tmp/kam-ran']\n")
    assert isinstance(config["x"], siteconfig.Tagged)
