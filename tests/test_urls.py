"""What a URL would make a browser do: the scheme it sees, the host an image loads from."""

from __future__ import annotations

import pytest

from account_playbooks.core.urls import external_host, image_allowed, unsafe_scheme, url_scheme


@pytest.mark.parametrize("url, scheme", [
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    ("  javascript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("\x01javascript:alert(1)", "javascript"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("data:text/html,<b>", "data"),
    ("https://example.com/a:b", "https"),
    ("mailto:cto@example.com", "mailto"),
    ("../goals/#x", None),
    ("#relationships", None),
    ("java&#x09;script:alert(1)", None),  # an entity is not decoded in a URL: a relative path
])
def test_url_scheme_is_what_a_browser_would_see(url, scheme):
    assert url_scheme(url) == scheme


def test_only_http_https_and_mailto_are_safe():
    assert [unsafe_scheme(u) for u in ("https://a", "http://a", "mailto:a@b.c", "/x", "#y")] == [None] * 5
    assert [unsafe_scheme(u) for u in ("javascript:x", "data:x", "file:///etc", "ftp://a")] == \
        ["javascript", "data", "file", "ftp"]


@pytest.mark.parametrize("url, host", [
    ("https://Tracker.Example.net/p.png", "tracker.example.net"),
    ("//tracker.example.net/p.png", "tracker.example.net"),
    ("https:\\\\tracker.example.net/p.png", "tracker.example.net"),  # browsers read \\ as //
    ("https://user@tracker.example.net:8443/p.png", "tracker.example.net"),
    ("http://[::1]/p.png", "::1"),
    (" \thttps://tracker.example.net./p.png", "tracker.example.net"),
    ("pic.png", None),
    ("../img/pic.png", None),
    ("/img/pic.png", None),
])
def test_external_host_is_the_host_a_browser_would_ask(url, host):
    assert external_host(url) == host


def test_images_come_from_the_repository_or_the_hosts_allowed():
    hosts = frozenset({"files.intranet.example"})
    assert image_allowed("org.png", hosts) and image_allowed("https://files.intranet.example/o.png", hosts)
    assert not image_allowed("https://files.intranet.example.evil.net/o.png", hosts)
