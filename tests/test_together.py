"""together.both: two independent calls at once, neither outliving the request."""

from __future__ import annotations

import threading
import time

import pytest

from chalicelib import together

pytestmark = pytest.mark.unit


def test_both_returns_each_result_in_order() -> None:
    assert together.both(lambda: 1, lambda: "two") == (1, "two")


def test_both_runs_the_calls_at_the_same_time() -> None:
    meeting = threading.Barrier(2, timeout=5)
    # Each call waits for the other: only calls running at once get past the barrier.
    assert together.both(meeting.wait, meeting.wait) is not None


def test_first_failure_is_raised_after_the_second_call_ended() -> None:
    ended = threading.Event()

    def slow() -> None:
        time.sleep(0.05)
        ended.set()

    def broken() -> None:
        raise KeyError("first")

    with pytest.raises(KeyError):
        together.both(broken, slow)
    assert ended.is_set()


def test_second_failure_is_raised() -> None:
    def broken() -> None:
        raise ValueError("second")

    with pytest.raises(ValueError, match="second"):
        together.both(lambda: 1, broken)
