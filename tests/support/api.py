"""Calls through chalice.test: a response's JSON body, and many calls at once."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def body(response: Any) -> Any:
    """Decode a chalice.test response body."""
    return json.loads(response.body)


class Concurrently(Protocol):
    """The `concurrently` fixture: call(client, item) for every item, `workers` at a time."""

    def __call__(
        self, call: Callable[[Any, T], R], items: Iterable[T], *, workers: int
    ) -> list[R]: ...


def in_parallel(
    app: Any, call: Callable[[Any, T], R], items: Iterable[T], *, workers: int
) -> list[R]:
    """call(client, item) per item on `workers` threads, each on its own chalice.test client."""
    from chalice.test import Client

    def one(item: T) -> R:
        with Client(app) as client:
            return call(client.http, item)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, items))
