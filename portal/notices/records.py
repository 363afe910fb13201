"""Delivery records of a send, written by one background thread in group commits.

Senders submit small groups of record writes (e.g. "message A is sent" + "message B is about to
leave") and wait on the group's future. The writer thread packs every group waiting at that
moment into one TransactWriteItems (at most 100 items, never two writes of one item), so a
record is still durable before and after each message, but DynamoDB is called once per batch
rather than twice per message (QUALITY P4). A group is never split across two calls. A write
whose condition fails (another sender got there first) is reported as refused; the rest of the
batch is retried without it.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from chalicelib.errors import StorageUnavailable, WriteConflict, WritesRefused
from chalicelib.storage import deliveries

Write = dict[str, Any]
MAX_ITEMS = deliveries.GROUP_MAX
RETRIES = 8


def _key(write: Write) -> tuple[str, str]:
    item = write.get("put") or write["delete"]
    return item["pk"], item["sk"]


class RecordWriter:
    """Group-commit writer; `submit(writes)` → Future of one bool per write (applied or not)."""

    def __init__(
        self,
        write: Callable[[list[Write]], None] = deliveries.write,
        sleep: Callable[[float], object] = time.sleep,
        max_items: int = MAX_ITEMS,
        linger: float = 0.0,
    ) -> None:
        self._write, self._sleep, self.max_items = write, sleep, max_items
        self.linger = linger  # seconds to wait for more groups before a call that is not full
        self._queue: deque[tuple[list[Write], Future[list[bool]]]] = deque()
        self._queued = 0  # writes waiting in the queue
        self._idle = False  # the thread waits for a first group (else it lingers or writes)
        self._cond = threading.Condition()
        self._closed = False
        self.calls = 0  # TransactWriteItems made (for the benchmark's figures)
        self._thread = threading.Thread(target=self._run, name="notice-records", daemon=True)
        self._thread.start()

    def submit(self, writes: list[Write]) -> Future[list[bool]]:
        """Queue one group of writes; the future resolves once they are durable (or refused)."""
        if len(writes) > self.max_items:
            raise ValueError(f"a group holds at most {self.max_items} writes")
        future: Future[list[bool]] = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("the record writer is closed")
            self._queue.append((writes, future))
            self._queued += len(writes)
            if self._idle or self._queued >= self.max_items:  # wake it only when it matters
                self._cond.notify()
        return future

    def close(self) -> None:
        """Write everything still queued, then stop the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()

    def _take(self) -> list[tuple[list[Write], Future[list[bool]]]]:
        """The groups of the next call: as many queued groups as fit, in order."""
        with self._cond:
            self._idle = True
            while not self._queue and not self._closed:
                self._cond.wait()
            self._idle = False
            if self.linger and not self._closed:
                deadline = time.monotonic() + self.linger
                while (wait := deadline - time.monotonic()) > 0 and not self._closed:
                    if self._queued >= self.max_items:
                        break
                    self._cond.wait(wait)
            batch: list[tuple[list[Write], Future[list[bool]]]] = []
            keys: set[tuple[str, str]] = set()
            size = 0
            while self._queue:
                writes, future = self._queue[0]
                group_keys = {_key(w) for w in writes}
                if batch and (size + len(writes) > self.max_items or keys & group_keys):
                    break
                self._queue.popleft()
                self._queued -= len(writes)
                batch.append((writes, future))
                keys |= group_keys
                size += len(writes)
            return batch

    def _run(self) -> None:
        while True:
            batch = self._take()
            if not batch:
                return  # closed and drained
            self._commit(batch)

    def _commit(self, batch: list[tuple[list[Write], Future[list[bool]]]]) -> None:
        results = [[True] * len(writes) for writes, _ in batch]
        pending = [(g, i, w) for g, (writes, _) in enumerate(batch) for i, w in enumerate(writes)]
        attempt = 0
        while pending:
            try:
                self._write([w for _, _, w in pending])
                self.calls += 1
                break
            except WritesRefused as refused:
                for n in refused.refused:
                    g, i, _ = pending[n]
                    results[g][i] = False
                pending = [p for n, p in enumerate(pending) if n not in refused.refused]
                continue
            except (WriteConflict, StorageUnavailable) as err:
                error: Exception = err  # another writer or a busy database: back off, retry
            attempt += 1
            if attempt > RETRIES:
                for _, future in batch:
                    future.set_exception(error)
                return
            self._sleep(random.uniform(0, min(2.0, 0.05 * 2**attempt)))  # noqa: S311 - jitter
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)
