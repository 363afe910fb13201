"""Failure counters and per-address windows (chalicelib/limits.py) over a fake of their storage.

The counters' atomicity under concurrency is shown against DynamoDB Local by tests/test_login.py
(100 parallel guesses) and tests/test_reset.py; here are the rules of the waits themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import clock, limits

from .support.fakes import FakeCounters

pytestmark = pytest.mark.unit


@pytest.fixture
def counters(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCounters]:
    fake = FakeCounters()
    monkeypatch.setattr(limits, "counters", fake)
    clock.freeze()
    yield fake
    clock.reset()


def test_the_wait_doubles_from_one_second_to_fifteen_minutes() -> None:
    assert [limits.doubling_wait(n) for n in range(4)] == [0, 0, 0, 0]
    assert [limits.doubling_wait(n) for n in (5, 6, 7, 8)] == [1, 2, 4, 8]
    assert limits.doubling_wait(40) == limits.MAX_WAIT_S == 900


def test_slow_down_lets_five_through_then_makes_each_wait(counters: FakeCounters) -> None:
    counter = limits.login_counter("s0123456")
    for n in range(1, limits.CAP + 1):
        assert limits.slow_down(counter) == n
    with pytest.raises(limits.TooManyAttempts) as waited:
        limits.slow_down(counter)
    assert waited.value.extra["retry_after"] >= 1
    clock.advance(waited.value.extra["retry_after"])
    assert limits.slow_down(counter) == limits.CAP + 1  # one attempt per waiting period
    with pytest.raises(limits.TooManyAttempts):
        limits.slow_down(counter)


def test_a_success_clears_the_failures(counters: FakeCounters) -> None:
    counter = limits.login_counter("s0123456")
    for _ in range(limits.CAP):
        limits.slow_down(counter)
    limits.clear(counter)
    assert limits.failures(counter) == 0
    assert limits.slow_down(counter) == 1


def test_a_hard_cap_blocks_for_its_period(counters: FakeCounters) -> None:
    counter = limits.reset_counter("s0123456")
    for _ in range(5):
        assert limits.cap_at(counter, 5, 24 * 3600) is not None
    assert limits.cap_at(counter, 5, 24 * 3600) is None
    assert 0 < limits.retry_after(counter) <= 24 * 3600
    clock.advance(24 * 3600)
    assert limits.cap_at(counter, 5, 24 * 3600) is not None


def test_an_address_gets_its_window_then_waits_for_the_next(
    counters: FakeCounters, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "IP_LIMIT", 3)
    for _ in range(3):
        limits.per_ip("claim", "203.0.113.9")
    with pytest.raises(limits.TooManyAttempts) as refused:
        limits.per_ip("claim", "203.0.113.9")
    assert 0 < refused.value.extra["retry_after"] <= limits.IP_WINDOW_S
    limits.per_ip("claim", "198.51.100.7")  # another address has its own window
    clock.advance(limits.IP_WINDOW_S)
    limits.per_ip("claim", "203.0.113.9")


def test_counter_names_are_per_flow_and_user() -> None:
    assert limits.login_counter("minniec") != limits.reset_counter("minniec")
    assert limits.login_counter("minniec") != limits.login_counter("s0123456")
