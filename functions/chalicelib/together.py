"""Independent round trips of one request sent at the same time (QUALITY P2, S3).

A Lambda container serves one request at a time, so a login's waits for DynamoDB add up to its
latency: sending the ones that do not depend on each other together shortens it, and lets a
failed login on a real account take as long as one on a name that matches no one.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")

# Kept by a warm container; boto3 clients are safe to share between threads.
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="together")


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """Run both calls at once; their results, or the first failure once both have ended."""
    later = _pool.submit(second)
    try:
        result = first()
    except BaseException:
        wait([later])  # nothing of this request outlives it
        raise
    return result, later.result()
