"""`portal notices send`: every guardian of the audience gets the notice once, in their language.

Exactly once across restarts (CONTRACT.md section 2, QUALITY R3). For each (address, language):
1. claim: a conditional write makes its record "sending" (attempts + 1) before the message
   leaves; the condition (record absent, or attempts unchanged since read) keeps two senders
   from both sending it;
2. send, with a Message-ID derived from notice, address and language (same on every attempt);
3. complete: the record becomes "sent" (or "failed" with the reason).
A record already "sent" is skipped. A record still "sending" is in doubt (the process died
between 2 and 3): it is sent again, with the same Message-ID.

At most `in_flight` records of a run are "sending" at once: a message's completion and the next
message's claim are written together, in one group commit (records.py). After a SIGKILL only
those may go out twice. The default is 1 (the single message in flight) with a --rate up to 50
per second, rate ÷ 50 above that, and 100 without --rate, which lets the record writes keep
pace with the mail server. SIGTERM/Ctrl-C set `stop`: the
message being sent finishes and is recorded, claims not yet used are given back, and the run
ends with its summary.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from chalicelib import clock
from chalicelib.config import settings
from chalicelib.errors import StorageUnavailable, WriteConflict
from chalicelib.languages import LANGUAGES
from chalicelib.storage import deliveries

from .audience import Audience
from .definition import Definition
from .limiter import TokenBucket
from .mailer import (
    MailInDoubt,
    MailRejected,
    MailUnavailable,
    from_settings,
    message_id,
    mime,
    sender_of,
)
from .plan import Task, plan
from .records import RecordWriter, Write
from .render import Recipient, Renderer
from .report import Tally

DEFAULT_IN_FLIGHT = 100
WORKERS = {"smtp": 2, "ses": 4}  # default connections per mail transport
RATE_PER_SLOT = 50  # messages/s one in-flight message sustains (a record write + SMTP each)
LINGER = 0.05  # seconds the record writer waits to fill a call when messages run in parallel
DONE = object()


@dataclass
class Outcome:
    """What a run did."""

    tally: Tally
    recipients: int = 0
    error: str | None = None  # why the run stopped before the end, if not by a signal
    stopped: bool = False  # SIGTERM / Ctrl-C
    seconds: float = 0.0
    record_calls: int = 0

    @property
    def exit_code(self) -> int:
        """0 when finished or stopped on request, 1 when mail or the database failed."""
        return 1 if self.error else 0


@dataclass
class Run:
    """The state of one send, shared by the worker threads."""

    notice: Definition
    renderer: Renderer
    writer: RecordWriter
    tally: Tally
    todo: deque[Task]
    stop: threading.Event
    bucket: TokenBucket
    from_header: dict[str, str]  # per language: the sender's name in the reader's language
    sender: str
    domain: str
    progress: Callable[[int], object]
    prepare: ThreadPoolExecutor
    ready: queue.Queue[Any] = field(default_factory=queue.Queue)
    lock: threading.Lock = field(default_factory=threading.Lock)
    outstanding: int = 0  # claims submitted whose answer no worker has taken yet
    workers: int = 1
    error: str | None = None
    futures: list[Future[list[bool]]] = field(default_factory=list)
    _ids: dict[Recipient, str] = field(default_factory=dict)

    # -- records -----------------------------------------------------------------------------
    def pk(self) -> str:
        return f"delivery#{self.notice.id}"

    def message_id(self, r: Recipient) -> str:
        """The recipient's Message-ID (cached: the records and the message all carry it)."""
        if r not in self._ids:
            self._ids[r] = message_id(self.notice.id, r.address, r.lang, self.domain)
        return self._ids[r]

    def record(self, task: Task, state: str, **extra: str) -> dict[str, Any]:
        """The record item of `task` in `state` (kept small: it is written twice a message)."""
        r = task.recipient
        return {
            "pk": self.pk(),
            "sk": task.sk,
            "lang": r.lang,
            "state": state,
            "attempts": task.attempts,
            "message_id": self.message_id(r),
            **extra,
        }

    def claim(self, task: Task) -> Write:
        """Make the record "sending" (attempts + 1) if nobody touched it since it was read."""
        before = int(task.previous["attempts"]) if task.previous else 0
        task.attempts = before + 1
        item = self.record(task, "sending")
        if task.previous is None:
            return {"put": item, "absent": True}
        return {"put": item, "attempts": before}

    def complete(self, task: Task, state: str, **extra: str) -> Write:
        """The record after the message: "sent" or "failed", with the time.

        Unconditional: the claim already made the message ours, and what it says is true
        whoever reads it; a condition would double DynamoDB's work for every message.
        """
        return {"put": self.record(task, state, at=clock.iso(clock.now()), **extra)}

    def give_back(self, task: Task) -> Write:
        """Undo an unused claim: the record returns to what it was before this run."""
        if task.previous is None:
            return {"delete": {"pk": self.pk(), "sk": task.sk}, "attempts": task.attempts}
        return {"put": task.previous, "attempts": task.attempts}

    # -- flow --------------------------------------------------------------------------------
    def submit(self, writes: list[Write], task: Task | None) -> None:
        """Write a group; when it holds `task`'s claim, hand the task to a worker once durable.

        The task's message is rendered meanwhile on the `prepare` thread, so rendering overlaps
        the waits on the mail server and the database instead of adding to them.
        """
        future = self.writer.submit(writes)
        self.futures.append(future)
        if task is not None:
            raw = self.prepare.submit(self.render, task.recipient)
            future.add_done_callback(lambda f: self.ready.put((task, f, raw)))

    def render(self, r: Recipient) -> bytes:
        """The full MIME message for one recipient."""
        msg_id = self.message_id(r)
        return mime(self.renderer.message(r), lang=r.lang, to=r.address, msg_id=msg_id,
                    from_header=self.from_header[r.lang], notice_id=self.notice.id)  # fmt: skip

    def next_claim(self, task_done: bool) -> Task | None:
        """After a worker took one answer: the next task to claim, if any (counts kept here)."""
        with self.lock:
            if task_done:
                self.outstanding -= 1
            task = None
            if self.todo and not self.stop.is_set() and self.error is None:
                task = self.todo.popleft()
                self.outstanding += 1
            if self.outstanding == 0:
                for _ in range(self.workers):
                    self.ready.put(DONE)
            return task

    def fail_run(self, reason: str) -> None:
        with self.lock:
            self.error = self.error or reason

    def worker(self, mailer: Any) -> None:
        """Take claimed tasks and send them until there is nothing left."""
        try:
            while (answer := self.ready.get()) is not DONE:
                self.handle(mailer, *answer)
        finally:
            mailer.close()

    def handle(
        self, mailer: Any, task: Task, future: Future[list[bool]], raw: Future[bytes]
    ) -> None:
        r = task.recipient
        try:
            claimed = future.result()[-1]
        except (StorageUnavailable, WriteConflict) as err:
            self.fail_run(f"the database did not answer ({err})")
            self.tally.add(r.lang, "not_sent")
            self.next_claim(task_done=True)
            return
        if not claimed:  # another sender claimed or sent it since we read the records
            self.tally.add(r.lang, "skipped")
            self.after(task, [], sent=False)
            return
        if self.stop.is_set() or self.error:
            self.tally.add(r.lang, "not_sent")
            self.after(task, [self.give_back(task)], sent=False)
            return
        self.bucket.take()
        if self.stop.is_set():
            self.tally.add(r.lang, "not_sent")
            self.after(task, [self.give_back(task)], sent=False)
            return
        writes = [self.transmit(mailer, task, raw)]
        self.after(task, [w for w in writes if w], sent=True)

    def transmit(self, mailer: Any, task: Task, raw: Future[bytes]) -> Write | None:
        """Send one message; the record write that follows it (None: leave it in doubt)."""
        r = task.recipient
        try:
            provider_id = mailer.send(raw.result(), self.sender, r.address)
        except MailRejected as err:
            self.tally.fail(r.lang, str(err))
            return self.complete(task, "failed", error=str(err))
        except MailUnavailable as err:
            self.fail_run(f"mail could not be sent: {err}")
            self.tally.fail(r.lang, str(err))
            return self.complete(task, "failed", error=str(err))
        except MailInDoubt as err:
            self.fail_run(f"the mail server connection broke mid-message: {err}")
            self.tally.add(r.lang, "in_doubt")
            return None
        self.tally.add(r.lang, "sent")
        if task.previous and task.previous.get("state") == "sending":
            self.tally.add(r.lang, "resent")
        extra = {"provider_id": provider_id} if provider_id else {}
        return self.complete(task, "sent", **extra)

    def after(self, task: Task, writes: list[Write], sent: bool) -> None:
        """Record what happened to `task` together with the next claim (one group commit)."""
        if sent:
            self.progress(1)
        following = self.next_claim(task_done=True)
        if following is not None:
            writes = [*writes, self.claim(following)]
        if writes:
            self.submit(writes, following)


def default_in_flight(rate: float | None) -> int:
    """1 for a modest --rate (strictly one message in flight), more for faster sends."""
    if rate is None:
        return DEFAULT_IN_FLIGHT
    return max(1, min(DEFAULT_IN_FLIGHT, math.ceil(rate / RATE_PER_SLOT)))


def send(
    notice: Definition,
    *,
    dry_run: bool = False,
    rate: float | None = None,
    in_flight: int | None = None,
    workers: int | None = None,
    mailer_factory: Callable[[], Any] | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[int], object] = lambda n: None,
    started: Callable[[int], object] = lambda n: None,
    renderer: Renderer | None = None,
    bucket: TokenBucket | None = None,
    audience: Audience | None = None,
) -> Outcome:
    """Send the notice to its audience (see the module docstring); return the counts."""
    began = time.monotonic()
    stop = stop or threading.Event()
    renderer = renderer or Renderer(notice)
    tasks, tally, no_address, recipients = plan(notice, dry_run, audience)
    given = notice.sender
    from_header = {
        lang: sender_of(given.name_in(lang) if given else None, given.email if given else None)[0]
        for lang in LANGUAGES
    }
    sender = sender_of(None, given.email if given else None)[1]
    domain = sender.rsplit("@", 1)[1]
    started(len(tasks))
    if dry_run:  # render every message (any error shows now) and count; send and write nothing
        for task in tasks:
            r = task.recipient
            msg_id = message_id(notice.id, r.address, r.lang, domain)
            mime(renderer.message(r), lang=r.lang, to=r.address, from_header=from_header[r.lang],
                 msg_id=msg_id, notice_id=notice.id)  # fmt: skip
            tally.add(r.lang, "sent")
            progress(1)
        return Outcome(tally, recipients, seconds=time.monotonic() - began)
    limit = in_flight or default_in_flight(rate)
    # With several messages under way, wait a moment for more record writes to share a call.
    writer = RecordWriter(linger=LINGER if limit > 1 else 0.0)
    # Connections sending at once (never more than the messages allowed in flight): with two,
    # the server works on one message while we finish the previous one and start the next
    # (measured ~15 % faster on an idle machine); SES calls mostly wait, so more of them.
    workers = max(1, min(workers or WORKERS.get(settings().mail, 1), limit))
    prepare = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notice-render")
    run = Run(notice, renderer, writer, tally, deque(tasks), stop,
              bucket or TokenBucket(rate, sleep=stop.wait), from_header, sender, domain, progress,
              prepare, workers=workers)  # fmt: skip
    try:
        for start in range(0, len(no_address), deliveries.GROUP_MAX):
            writer.submit(no_address[start : start + deliveries.GROUP_MAX]).result()
        first = [run.todo.popleft() for _ in range(min(limit, len(run.todo)))]
        run.outstanding = len(first)
        if not first:
            for _ in range(workers):
                run.ready.put(DONE)
        for task in first:
            run.submit([run.claim(task)], task)
        threads = [
            threading.Thread(
                target=run.worker,
                args=((mailer_factory or from_settings)(),),
                name=f"notice-send-{n}",
            )  # fmt: skip
            for n in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except (StorageUnavailable, WriteConflict) as err:
        run.fail_run(f"the database did not answer ({err})")
    finally:
        writer.close()
        prepare.shutdown(cancel_futures=True)
    for future in run.futures:
        if future.done() and future.exception() is not None:
            run.fail_run(f"the database did not answer ({future.exception()})")
    for task in run.todo:
        tally.add(task.recipient.lang, "not_sent")
    return Outcome(tally, recipients, error=run.error, stopped=stop.is_set(),
                   seconds=time.monotonic() - began, record_calls=writer.calls)  # fmt: skip
