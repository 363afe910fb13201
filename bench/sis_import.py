"""P3: `portal sis import` against raw BatchWriteItem of the same items, side by side.

    .venv/bin/python bench/sis_import.py [--students 10000] [--rounds 2] [--workers 4]

Generates a district into a temporary directory and starts one in-memory DynamoDB Local,
warmed up with 100,000 untimed writes. Each phase then runs in its own child process (so peak
RSS is the phase's own) against freshly created tables:
  raw       the importer's own items, built and encoded beforehand (untimed), written with
            plain batch_write_item calls of the stock client (chalicelib.storage.client(): 25
            per call, UnprocessedItems retried) on the same number of threads: the bar's floor;
  raw-bulk  the same with the importer's bulk client (storage.client(bulk=True): no botocore
            parameter validation, patient timeouts), for information: what the import adds
            beyond its writes, client for client;
  import    import_export() on the export directory: validation, scan, build, diff, writes.
Rounds alternate the order (import first, then raw first...) and each phase keeps its best
time, because the 2-core machine is shared and noisy. After the last round the import is run
once more on the same export ("again": every item unchanged, nothing written).
Bar: best import ≤ 1.3 × best raw; import peak RSS ≤ 500 MB. Figures go to stdout and
bench/results/sis_import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, write_result  # noqa: E402  (bench/ is not a package)

RATIO_BAR, RSS_BAR_MB = 1.3, 500
WARMUP_ITEMS = 100_000
AS_OF = date(2026, 3, 1)  # fixed, so every run builds the same items
ENTERED_AT = 1_760_000_000


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh_tables() -> None:
    """Drop and recreate every table of this prefix.

    Dropping a table of 400,000 items can take DynamoDB Local longer than the API client's 2 s
    read timeout, so this uses the patient bulk client and waits for each table to go.
    """
    from chalicelib import storage

    db = storage.client(bulk=True)
    prefix = os.environ["PORTAL_TABLE_PREFIX"]
    for table in db.list_tables()["TableNames"]:
        if table.startswith(prefix):
            db.delete_table(TableName=table)
            db.get_waiter("table_not_exists").wait(TableName=table)
    storage.create_tables()


def phase_raw(directory: Path, workers: int, limit: int | None = None, bulk: bool = False) -> dict:
    """Build the importer's items (untimed), then time plain BatchWriteItem calls."""
    from chalicelib.storage import client
    from chalicelib.storage.db import encode, name
    from portal.sis.items import Builder
    from portal.sis.validate import validate

    fresh_tables()
    builder = Builder(validate(directory), {}, ENTERED_AT, AS_OF.isoformat())
    items = [encode(values) for values in builder.items()][:limit]
    chunks = [items[i : i + 25] for i in range(0, len(items), 25)]
    table, db = name("sis"), client(bulk=True) if bulk else client()

    def write(chunk: list[dict]) -> None:
        request = {table: [{"PutRequest": {"Item": item}} for item in chunk]}
        attempt = 0
        while request:
            request = db.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
            if request:
                time.sleep(min(3.0, 0.05 * 2**attempt))
                attempt += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(write, chunks))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "items": len(items), "peak_rss_mb": peak_rss_mb()}


def phase_import(directory: Path, workers: int, again: bool) -> dict:
    """Time import_export into fresh tables; with `again`, once more on the same export."""
    from datetime import UTC, datetime

    from portal.sis.importer import import_export

    fresh_tables()
    entered = datetime.fromtimestamp(ENTERED_AT, tz=UTC)
    started = time.perf_counter()
    first = import_export(directory, entered, AS_OF, progress=False, workers=workers)
    result = {
        "seconds": time.perf_counter() - started,
        "items": sum(first.written.values()),
        "peak_rss_mb": peak_rss_mb(),
    }
    if again:
        started = time.perf_counter()
        second = import_export(directory, entered, AS_OF, progress=False, workers=workers)
        result |= {
            "again_seconds": time.perf_counter() - started,
            "again_changed": second.changed,
            "again_unchanged": sum(second.unchanged.values()),
            "again_peak_rss_mb": peak_rss_mb(),
        }
    return result


def child(phase: str, directory: Path, endpoint: str, workers: int, again: bool = False) -> dict:
    """Run one phase in a fresh interpreter so its peak RSS is its own."""
    env = {**os.environ, "DYNAMODB_ENDPOINT_URL": endpoint, "PORTAL_ENV": "local",
           "PORTAL_TABLE_PREFIX": "bench-"}  # fmt: skip
    cmd = [sys.executable, __file__, "--phase", phase, "--dir", str(directory),
           "--workers", str(workers)] + (["--again"] if again else [])  # fmt: skip
    done = subprocess.run(cmd, env=env, check=False, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"phase {phase} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_phase(args: argparse.Namespace) -> None:
    """Child side: one phase, its figures as one JSON line."""
    if args.phase == "warmup":  # JIT-compile DynamoDB Local before anything is timed
        result = phase_raw(args.dir, args.workers, WARMUP_ITEMS)
    elif args.phase in ("raw", "raw-bulk"):
        result = phase_raw(args.dir, args.workers, bulk=args.phase == "raw-bulk")
    else:
        result = phase_import(args.dir, args.workers, args.again)
    print(json.dumps(result))


def per_round(imports: list[dict], raws: list[dict]) -> list[float]:
    """Import time over raw time, round by round (each pair ran back to back)."""
    return [round(i["seconds"] / r["seconds"], 3) for i, r in zip(imports, raws, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--phase", choices=("warmup", "raw", "raw-bulk", "import"))
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--again", action="store_true")
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return

    from portal import dynamodb_local
    from portal.synthetic.generate import generate_district

    runs: dict[str, list[dict]] = {"raw": [], "raw-bulk": [], "import": []}
    with tempfile.TemporaryDirectory(prefix="bench-sis-") as tmp:
        directory = Path(tmp) / "export"
        started = time.perf_counter()
        rows = generate_district(args.students, args.seed, directory, school_year=2026)
        generated = time.perf_counter() - started
        db = dynamodb_local.start(dynamodb_local.free_port(), None)
        try:
            child("warmup", directory, db.url, args.workers)
            for index in range(args.rounds):
                last = index == args.rounds - 1
                order = ("import", "raw", "raw-bulk")
                for phase in order if index % 2 == 0 else order[::-1]:
                    again = last and phase == "import"
                    runs[phase].append(child(phase, directory, db.url, args.workers, again))
        finally:
            db.stop()
    raws, imports = runs["raw"], runs["import"]
    raw_best = min(r["seconds"] for r in raws)
    bulk_best = min(r["seconds"] for r in runs["raw-bulk"])
    import_best = min(r["seconds"] for r in imports)
    again = next(r for r in imports if "again_seconds" in r)
    peak = max(max(r["peak_rss_mb"], r.get("again_peak_rss_mb", 0)) for r in imports)
    ratio = import_best / raw_best
    result = {
        "bar": "P3",
        "students": args.students,
        "seed": args.seed,
        "workers": args.workers,
        "rounds": args.rounds,
        "rows": sum(rows.values()),
        "generate_seconds": round(generated, 2),
        "items": raws[0]["items"],
        "raw_seconds": [round(r["seconds"], 2) for r in raws],
        "import_seconds": [round(r["seconds"], 2) for r in imports],
        "raw_bulk_client_seconds": [round(r["seconds"], 2) for r in runs["raw-bulk"]],
        "raw_best_seconds": round(raw_best, 2),
        "raw_bulk_client_best_seconds": round(bulk_best, 2),
        "import_best_seconds": round(import_best, 2),
        "ratio": round(ratio, 3),
        "ratio_bar": RATIO_BAR,
        "ratio_to_raw_with_bulk_client": round(import_best / bulk_best, 3),
        "ratio_per_round": per_round(imports, raws),
        "ratio_to_raw_with_bulk_client_per_round": per_round(imports, runs["raw-bulk"]),
        "import_peak_rss_mb": round(peak, 1),
        "rss_bar_mb": RSS_BAR_MB,
        "raw_peak_rss_mb": round(max(r["peak_rss_mb"] for r in raws), 1),
        "reimport_seconds": round(again["again_seconds"], 2),
        "reimport_changed": again["again_changed"],
        "reimport_unchanged": again["again_unchanged"],
        "passed": ratio <= RATIO_BAR and peak <= RSS_BAR_MB and again["again_changed"] == 0
        and all(r["items"] == raws[0]["items"] for r in imports),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }  # fmt: skip
    path = write_result("sis_import", result)
    for key, value in {**result, "machine": machine()}.items():
        print(f"{key:>30}: {value}")
    print(f"{'written to':>30}: {path}")


if __name__ == "__main__":
    main()
