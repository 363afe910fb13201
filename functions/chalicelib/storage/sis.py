"""The SIS mirror (table `sis`): named reads for the API, bulk scans and writes for the importer.

Layout (keys pk, sk; indexes gsi1 on gsi1pk, gsi1sk and gsi2 on gsi2pk, gsi2sk), written only
by `portal sis import`
(portal/sis/items.py builds the items):

| pk | sk | what |
| --- | --- | --- |
| org#<sourcedId> | profile | school: name, type, identifier, email (contact address or "") |
| student#<identifier> | profile | student (gsi1: sourced#<sourcedId> / student; gsi2 below) |
| guardian#<sourcedId> | profile | guardian |
| guardian#<gid> | link#<identifier> | link, portal_access (gsi1: student#<id> / link#<gid>) |
| household#<sourcedId> | profile | phone, addresses, members |
| year#<schoolYear> | year / term#<sourcedId> | the school year session and its terms |
| student#<identifier> | class#<classSourcedId> | one class of the student's schedule |
| student#<identifier> | att#<YYYY-MM-DD>#<sourcedId> | one attendance record |
| student#<identifier> | grade#<classSourcedId>#<lineItemSourcedId> | one gradebook line |

gsi2 groups items: every org profile under orgs / org#<sourcedId>, a student profile under
school#<org> / student#<identifier>, a link under
school#<the student's org> / guardian#<gid>#<identifier>, a schedule class under
class#<classSourcedId> / student#<identifier>.

Student and guardian profiles hold the legal names (given_name, family_name, and middle_name
for students) and, only when the SIS gives them, the names the person goes by beside them:
preferred_given_name, preferred_middle_name, preferred_family_name.

Profiles of people who left the export stay with active=false (first_seen_at is kept); callers
decide visibility from that flag, so every read here returns inactive records as well. Reads
return plain values without the table's keys; the importer's scan and batch write deal in
attribute-value form so a large import never pays for converting items it does not change.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from . import db
from .db import Wire, encode

__all__ = ["Wire", "encode"]  # the importer builds its items with the one encoder

TABLE = "sis"
INDEX = "gsi1"
BY_GROUP = "gsi2"  # a school's students and guardian links, a class's students
BATCH_WRITE_MAX = 25  # DynamoDB's limit per BatchWriteItem
SCAN_PAGE = 500  # items per scan call
KEYS = ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")


def _public(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """An item without its table keys, which are storage details."""
    return {k: v for k, v in item.items() if k not in KEYS} if item else None


def _rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k not in KEYS} for item in items]


def student_profile_key(student_id: str) -> dict[str, str]:
    """The key of a student's profile (a login reads it in its one batch)."""
    return {"pk": f"student#{student_id}", "sk": "profile"}


def student(student_id: str) -> dict[str, Any] | None:
    """A student's profile by SIS identifier (the student ID), active or not."""
    return _public(db.get(TABLE, student_profile_key(student_id)))


def guardian(guardian_id: str) -> dict[str, Any] | None:
    """A guardian's profile by sourcedId, active or not (with `sourced_id`)."""
    return _public(db.get(TABLE, {"pk": f"guardian#{guardian_id}", "sk": "profile"}))


def org(sourced_id: str) -> dict[str, Any] | None:
    """A school's (or the district's) profile."""
    return _public(db.get(TABLE, {"pk": f"org#{sourced_id}", "sk": "profile"}))


def household(household_id: str) -> dict[str, Any] | None:
    """A household: phone, primary_address, mailing_address, members (sourcedIds)."""
    return _public(db.get(TABLE, {"pk": f"household#{household_id}", "sk": "profile"}))


def links_of_guardian(guardian_id: str) -> list[dict[str, Any]]:
    """The guardian's links: student_id, portal_access."""
    return _rows(db.query(TABLE, "pk", f"guardian#{guardian_id}", prefix="link#"))


def links_of_student(student_id: str) -> list[dict[str, Any]]:
    """The student's links: guardian_id, portal_access."""
    return _rows(db.query(TABLE, "gsi1pk", f"student#{student_id}", range_name="gsi1sk",
                          prefix="link#", index=INDEX))  # fmt: skip


def orgs() -> list[dict[str, Any]]:
    """Every org profile (schools and the district), with its sourced_id."""
    items = db.query(TABLE, "gsi2pk", "orgs", range_name="gsi2sk", prefix="org#", index=BY_GROUP)
    return [{"sourced_id": i["pk"].removeprefix("org#"), **_rows([i])[0]} for i in items]


def students_of_school(school: str) -> list[dict[str, Any]]:
    """The profiles of a school's students, active or not, by identifier."""
    return _rows(db.query(TABLE, "gsi2pk", f"school#{school}", range_name="gsi2sk",
                          prefix="student#", index=BY_GROUP))  # fmt: skip


def links_of_school(school: str) -> list[dict[str, Any]]:
    """Every guardian link to a school's students: guardian_id, student_id, portal_access."""
    return _rows(db.query(TABLE, "gsi2pk", f"school#{school}", range_name="gsi2sk",
                          prefix="guardian#", index=BY_GROUP))  # fmt: skip


def enrollments_of_class(class_id: str) -> list[dict[str, Any]]:
    """A class as it appears in each enrolled student's schedule (student_id added)."""
    items = db.query(TABLE, "gsi2pk", f"class#{class_id}", range_name="gsi2sk",
                     prefix="student#", index=BY_GROUP)  # fmt: skip
    return [{"student_id": i["pk"].removeprefix("student#"), **_rows([i])[0]} for i in items]


def students(student_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The profiles of several students, in no particular order (unknown ids skipped)."""
    return _profiles("student", student_ids)


def guardians(guardian_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The profiles of several guardians, in no particular order (unknown ids skipped)."""
    return _profiles("guardian", guardian_ids)


def _profiles(kind: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    keys = [(TABLE, {"pk": f"{kind}#{i}", "sk": "profile"}) for i in dict.fromkeys(ids)]
    return _rows(list(db.batch_get(keys).values()))


def classes_of(student_id: str) -> list[dict[str, Any]]:
    """The classes of a student's schedule, in key order."""
    return _rows(db.query(TABLE, "pk", f"student#{student_id}", prefix="class#"))


def attendance_of(student_id: str) -> list[dict[str, Any]]:
    """A student's attendance records, oldest first."""
    return _rows(db.query(TABLE, "pk", f"student#{student_id}", prefix="att#"))


def grade_lines_of(student_id: str) -> list[dict[str, Any]]:
    """A student's gradebook lines, by class then line item."""
    return _rows(db.query(TABLE, "pk", f"student#{student_id}", prefix="grade#"))


def terms_of(school_year: int) -> list[dict[str, Any]]:
    """The terms of a school year (with `sourced_id`), in key order."""
    items = db.query(TABLE, "pk", f"year#{school_year}", prefix="term#")
    return [{"sourced_id": i["sk"].removeprefix("term#"), **_rows([i])[0]} for i in items]


# --- the importer ------------------------------------------------------------------------


def get_many(keys: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Items (with their keys) for (pk, sk) pairs, in no particular order; unknown ones skipped."""
    wanted = [(TABLE, {"pk": pk, "sk": sk}) for pk, sk in dict.fromkeys(keys)]
    return list(db.batch_get(wanted).values())


def scan(segments: int = 4, projection: tuple[str, ...] = ()) -> Iterator[list[Wire]]:
    """Pages of every item in attribute-value form, read by `segments` parallel scanners.

    Pages are small and few are buffered: a parsed 1 MB page costs ~10 MB of Python objects,
    and the importer must stay under 500 MB whatever the table's size.
    """
    pages: queue.Queue[list[Wire] | BaseException | None] = queue.Queue(maxsize=segments)
    stop = threading.Event()

    def run(segment: int) -> None:
        kwargs: dict[str, Any] = {
            "TableName": db.name(TABLE),
            "Segment": segment,
            "TotalSegments": segments,
            "ConsistentRead": True,
            "Limit": SCAN_PAGE,
        }
        if projection:
            kwargs["ProjectionExpression"] = ", ".join(f"#p{i}" for i in range(len(projection)))
            kwargs["ExpressionAttributeNames"] = {f"#p{i}": p for i, p in enumerate(projection)}
        try:
            for page in db.pages(db.client(bulk=True).scan, kwargs):
                if stop.is_set():
                    break
                pages.put(page.get("Items", []))
        except BaseException as err:  # noqa: BLE001 - handed to the consumer thread
            pages.put(err)
        finally:
            pages.put(None)

    threads = [threading.Thread(target=run, args=(s,), daemon=True) for s in range(segments)]
    for thread in threads:
        thread.start()
    try:
        running = segments
        while running:
            page = pages.get()
            if page is None:
                running -= 1
            elif isinstance(page, BaseException):
                raise page
            else:
                yield page
    finally:
        stop.set()
        while any(t.is_alive() for t in threads):  # drain so no scanner blocks on a full queue
            try:
                pages.get(timeout=0.05)
            except queue.Empty:
                pass


def fingerprint(item: Wire) -> int:
    """A 64-bit hash of an item's whole content, the same for equal items in this process."""
    return hash(json.dumps(item, sort_keys=True, separators=(",", ":")))


def key_of(item: Wire) -> tuple[str, str]:
    """(pk, sk) of an item in attribute-value form."""
    return item["pk"]["S"], item["sk"]["S"]


def put_request(item: Wire) -> Wire:
    """A BatchWriteItem entry writing `item`."""
    return db.put_entry(item, wire=True)


def delete_request(pk: str, sk: str) -> Wire:
    """A BatchWriteItem entry deleting one key."""
    return db.delete_entry({"pk": pk, "sk": sk})


def batch_write(
    requests: Iterable[Wire], workers: int = 4, done: Callable[[int], None] | None = None
) -> int:
    """Send put/delete entries in chunks of 25 over `workers` threads; return how many were sent.

    The caller's iterable is consumed lazily with at most ~2 chunks per worker in flight, so a
    generator of millions of items never sits in memory at once. Entries must have unique keys
    within any 25 in a row (DynamoDB refuses duplicates in one call).
    """
    sent = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sis-write") as pool:
        pending: set[Future[int]] = set()
        chunk: list[Wire] = []

        def submit(entries: list[Wire]) -> None:
            if len(pending) >= workers * 2:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    pending.discard(future)
                    _report(future.result(), done)
            pending.add(pool.submit(_write_chunk, entries))

        for request in requests:
            chunk.append(request)
            if len(chunk) == BATCH_WRITE_MAX:
                submit(chunk)
                sent += len(chunk)
                chunk = []
        if chunk:
            submit(chunk)
            sent += len(chunk)
        for future in pending:
            _report(future.result(), done)
    return sent


def _report(count: int, done: Callable[[int], None] | None) -> None:
    if done is not None:
        done(count)


def _write_chunk(entries: list[Wire]) -> int:
    """One BatchWriteItem of up to 25 entries on the bulk client, retried until all land."""
    db.batch_write([(TABLE, entry) for entry in entries], bulk=True)
    return len(entries)


# --- notices ------------------------------------------------------------------------------


def guardian_ids() -> list[str]:
    """The sourcedIds of every guardian profile, active or not, sorted."""
    found = []
    for page in scan(projection=("pk", "sk")):
        for item in page:
            pk, sk = key_of(item)
            if pk.startswith("guardian#") and sk == "profile":
                found.append(pk.removeprefix("guardian#"))
    return sorted(found)


def first_seen_of(item: Wire) -> int | None:
    """A scanned student profile's first_seen_at (epoch seconds), if it has one."""
    value = item.get("first_seen_at")
    return int(value["N"]) if value else None


def is_active(item: Wire) -> bool:
    """Whether a scanned profile is marked active."""
    return bool(item.get("active", {}).get("BOOL"))
