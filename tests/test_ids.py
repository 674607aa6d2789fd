"""Ids made from names: transliterated, never a name Windows reserves, never over the length limit."""

from __future__ import annotations

import pytest

from account_playbooks.core.ids import MAX_ID_LENGTH, id_from_name, is_reserved, slug
from account_playbooks.core.load import ID_RE


@pytest.mark.parametrize("name, expected", [
    ("Gekko & Co", "gekko-co"),
    ("Zoë Ek", "zoe-ek"),
    ("Ωmega", "omega"),  # was "mega": what ASCII lacks was dropped
    ("北京公司", "beijinggongsi"),  # was "": no id, so not imported at all
    ("Москва Trading", "moskva-trading"),
    ("Straße 5", "strasse-5"),
    ("Ærø Øst", "aero-ost"),
    ("  --Asia/Pacific--  ", "asia-pacific"),
    ("!!!", ""),
])
def test_a_slug_transliterates_what_ascii_lacks(name, expected):
    assert slug(name) == expected


@pytest.mark.parametrize("name", ["CON", "con", "Con.txt", "nul.tar.gz", "AUX", "prn", "COM1", "com9", "LPT1",
                                  "lpt9.md", "con "])
def test_windows_device_names_are_reserved_in_any_case_and_with_any_extension(name):
    assert is_reserved(name)


@pytest.mark.parametrize("name", ["console", "com10", "com0", "lpt", "icon", "con-ltd", "nul-systems", "aux1"])
def test_names_that_only_look_like_device_names_are_not_reserved(name):
    assert not is_reserved(name)


def test_a_reserved_name_gives_an_id_with_a_hash_that_windows_accepts():
    made = id_from_name("CON")
    assert made.startswith("con-") and len(made) == len("con-") + 8
    assert ID_RE.fullmatch(made) and not is_reserved(made)
    assert id_from_name("con") == made  # the same slug, the same id
    assert id_from_name("Con Edison") == "con-edison"  # a name that merely starts like one is left alone


def test_a_long_name_gives_a_short_id_the_same_every_time_and_distinct_from_its_neighbours():
    stem = "The International Consolidated Holdings of Northern European Logistics and Freight "
    first, second = id_from_name(stem + "Forwarding"), id_from_name(stem + "Brokerage")
    assert first == "the-international-consolidated-holdings-of-northern-9d33872f"
    assert len(first) <= MAX_ID_LENGTH and ID_RE.fullmatch(first)
    assert second != first and len(second) <= MAX_ID_LENGTH
    assert id_from_name(stem + "Forwarding") == first
    one_word = id_from_name("x" * 300)
    assert len(one_word) == MAX_ID_LENGTH and ID_RE.fullmatch(one_word)


def test_an_id_at_the_limit_is_kept_as_it_is():
    name = "a" * MAX_ID_LENGTH
    assert id_from_name(name) == name
