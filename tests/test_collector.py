"""The collector runs less often while a repository is in memory, and the caller's setting comes back."""

from __future__ import annotations

import gc

import pytest

from account_playbooks.core.collector import RELAXED_THRESHOLDS, relaxed_collector


@pytest.fixture
def callers_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 11, 12)  # a setting of the caller's own, not the default
    yield (700, 11, 12)
    gc.set_threshold(*before)


def test_relaxed_inside_and_restored_after_even_on_an_error(callers_thresholds):
    with pytest.raises(RuntimeError):
        with relaxed_collector():
            assert gc.get_threshold() == RELAXED_THRESHOLDS
            raise RuntimeError("a failed load")
    assert gc.get_threshold() == callers_thresholds


def test_nested_and_decorated_uses_restore_the_outer_setting(callers_thresholds):
    @relaxed_collector()
    def load_twice():
        with relaxed_collector():
            pass
        return gc.get_threshold()

    assert load_twice() == RELAXED_THRESHOLDS
    assert load_twice() == RELAXED_THRESHOLDS  # the decorator makes a fresh context per call
    assert gc.get_threshold() == callers_thresholds
