"""`portal sis import`: check a OneRoster 1.1 or 1.2 CSV export, then mirror it in table `sis`.

1. Validate every file; any problem raises ExportInvalid and nothing is written (QUALITY R4).
2. Scan what is stored, keeping only 64-bit hashes of keys and contents, and each student's
   first_seen_at (so memory stays small at 50,000 students, QUALITY P3).
3. Build every item of the export and put only those whose content differs from the stored
   one, in BatchWriteItem chunks over a few threads. Equal exports therefore write nothing.
4. Stored items the export no longer yields: student and guardian profiles are kept with
   active=false (first_seen_at kept, so a returning student is not delayed again); anything
   else (links, classes, grades, attendance, terms...) is deleted.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console

from chalicelib import clock, school_year
from chalicelib.config import settings
from chalicelib.storage import sis as store
from chalicelib.storage.sis import Wire
from portal.sis.items import Builder, Item, kind_of
from portal.sis.model import Hashes
from portal.sis.report import Bar, ImportSummary, Step
from portal.sis.validate import ExportInvalid, total_bytes, validate

__all__ = ["ExportInvalid", "ImportSummary", "import_export"]

WORKERS = 4  # BatchWriteItem threads: enough to keep DynamoDB busy while items are built
SCAN_SEGMENTS = 4
TICK = 500  # items between progress updates (the bar's lock is not free)
PEOPLE = ("students", "guardians")


@dataclass
class Stored:
    """What the table held before this import, as hashes (plus students' first_seen_at)."""

    keys: Hashes = field(default_factory=Hashes)
    contents: Hashes = field(default_factory=Hashes)
    first_seen: dict[str, int] = field(default_factory=dict)  # identifier → epoch seconds


def import_export(
    directory: Path,
    entered_at: datetime | None = None,
    as_of: date | None = None,
    progress: bool = True,
    workers: int = WORKERS,
    console: Console | None = None,
) -> ImportSummary:
    """Import the export in `directory`; raise ExportInvalid (nothing written) if it has problems.

    `entered_at` is the first-seen time of students new to the tables (default now; a naive
    datetime is read in DISTRICT_TZ). `as_of` is the day that separates missing from pending
    assignments (default today in DISTRICT_TZ).
    """
    started = time.monotonic()
    summary = ImportSummary()
    day = (as_of or school_year.today()).isoformat()
    with Bar(progress, console) as bar:
        checking = bar.task("Checking files", total_bytes(directory))
        export = validate(directory, checking.advance)
        checking.finish()  # files the manifest declares absent were counted, never read
        summary.rows, summary.warnings = dict(export.rows), export.warnings
        stored = read_stored(bar.task("Reading stored items", None))
        builder = Builder(export, stored.first_seen, _epoch(entered_at), day)
        fresh = Hashes()
        step = bar.task("Writing items", builder.count_estimate())
        changes = _changes(builder.items(), stored, fresh, summary, step)
        store.batch_write(changes, workers)
        step.finish()
        fresh.freeze()
        _retire(stored, fresh, summary, bar.task("Retiring old items", None), workers)
    summary.seconds = time.monotonic() - started
    return summary


def read_stored(step: Step) -> Stored:
    """Hashes of every stored item, read by parallel scan segments."""
    stored = Stored()
    for page in store.scan(SCAN_SEGMENTS):
        for item in page:
            pk, sk = store.key_of(item)
            stored.keys.add((pk, sk))
            stored.contents.add_hash(store.fingerprint(item))
            first_seen = store.first_seen_of(item) if sk == "profile" else None
            if first_seen is not None and pk.startswith("student#"):
                stored.first_seen[pk.removeprefix("student#")] = first_seen
        step.advance(len(page))
    stored.keys.freeze()
    stored.contents.freeze()
    step.finish()
    return stored


def _changes(
    items: Iterable[Item], stored: Stored, fresh: Hashes, summary: ImportSummary, step: Step
) -> Iterator[Wire]:
    """Put requests for the built items whose content is not already stored."""
    keys, contents = stored.keys, stored.contents
    encode, fingerprint = store.encode, store.fingerprint
    written, unchanged = summary.written, summary.unchanged
    count = 0
    for values in items:
        key = (values["pk"], values["sk"])
        key_hash = hash(key)
        fresh.add_hash(key_hash)
        wire = encode(values)
        # Only an item whose key is stored can be unchanged: new keys skip the content hash.
        if keys.has_hash(key_hash) and contents.has_hash(fingerprint(wire)):
            unchanged[kind_of(*key)] += 1
        else:
            written[kind_of(*key)] += 1
            yield store.put_request(wire)
        count += 1
        if count == TICK:
            step.advance(count)
            count = 0
    step.advance(count)


def _retire(stored: Stored, fresh: Hashes, summary: ImportSummary, step: Step,
            workers: int) -> None:  # fmt: skip
    """Deactivate profiles and delete other items that this export no longer yields."""
    if all(fresh.has_hash(h) for h in stored.keys.values):
        step.finish()
        return  # the usual case: skip a second scan
    profiles: list[tuple[str, str]] = []

    def deletions() -> Iterator[Wire]:
        for page in store.scan(SCAN_SEGMENTS, projection=("pk", "sk", "active")):
            for item in page:
                key = store.key_of(item)
                if key in fresh:
                    continue
                kind = kind_of(*key)
                if kind in PEOPLE and key[1] == "profile":
                    if store.is_active(item):
                        profiles.append(key)
                    else:
                        summary.unchanged[kind] += 1  # already inactive
                    continue
                summary.deleted[kind] += 1
                step.advance(1)
                yield store.delete_request(*key)

    store.batch_write(deletions(), workers)
    puts = []
    for profile in store.get_many(profiles):
        summary.deactivated[kind_of(profile["pk"], profile["sk"])] += 1
        puts.append(store.put_request(store.encode({**profile, "active": False})))
    store.batch_write(puts, workers)
    step.advance(len(puts))
    step.finish()


def _epoch(entered_at: datetime | None) -> int:
    """Epoch seconds of `entered_at`, now by default; a naive time is in DISTRICT_TZ."""
    if entered_at is None:
        return int(clock.now())
    if entered_at.tzinfo is None:
        entered_at = entered_at.replace(tzinfo=ZoneInfo(settings().district_tz))
    return int(entered_at.timestamp())
