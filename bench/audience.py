"""Resolving a notice's audience through the SIS index vs scanning the whole mirror (issue 15).

Usage: .venv/bin/python bench/audience.py [--students 50000] [--rounds 3]

A synthetic district of N students is generated and imported into a private DynamoDB Local;
then, side by side in each round, `audience.resolve` for the district and for its largest
school (index queries and reads by key) and the scan the first version did (every profile and
guardian link). The scan is the floor it replaced: the bar is that the district's audience
takes no longer than the scan, and one school's a small fraction of it.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import RESULTS, ROOT, machine, private_dynamodb

PEOPLE_FIELDS = ("pk", "sk", "active", "school", "given_name", "family_name", "email",
                 "language", "guardian_id", "student_id")  # fmt: skip


def scan_people(segments: int = 4) -> list[dict]:
    """The first version's audience read: a parallel scan of the whole mirror, filtered
    server-side to profiles and guardian links (the floor the index replaced)."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.storage import db

    names = {f"#f{i}": field for i, field in enumerate(PEOPLE_FIELDS)}
    base = {
        "TableName": db.name("sis"),
        "TotalSegments": segments,
        "ConsistentRead": True,
        "Limit": 1000,
        "ProjectionExpression": ", ".join(names),
        "FilterExpression": "#f1 = :profile OR begins_with(#f1, :link)",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": db.encode({":profile": "profile", ":link": "link#"}),
    }

    def segment(number: int) -> list[dict]:
        # The patient client of the CLI: a page of a 50,000-student scan can take seconds.
        scanned = db.pages(db.client(bulk=True).scan, {**base, "Segment": number})
        return [db.decode(item) for page in scanned for item in page.get("Items", [])]

    with ThreadPoolExecutor(max_workers=segments) as pool:
        return [item for part in pool.map(segment, range(segments)) for item in part]


def timed(fn, *args):  # type: ignore[no-untyped-def]
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with private_dynamodb(), tempfile.TemporaryDirectory() as tmp:
        from portal.notices import audience
        from portal.notices.definition import load
        from portal.sis.importer import import_export
        from portal.synthetic.generate import generate_district

        export = Path(tmp) / "export"
        generate_district(args.students, args.seed, export, school_year=2026)
        entered = datetime.now(tz=UTC) - timedelta(days=3)
        print(f"importing {args.students} students…", flush=True)
        import_export(export, entered_at=entered, progress=False)
        # The largest school from the export itself: a scan of 50,000 students' mirror takes
        # minutes in DynamoDB Local, and the rounds below time it anyway.
        with (export / "users.csv").open(newline="", encoding="utf-8") as users:
            schools = Counter(
                row["orgSourcedIds"].split(",")[0]
                for row in csv.DictReader(users)
                if row["role"] == "student"
            )
        largest = schools.most_common(1)[0][0]
        district = load(ROOT / "notices" / "back-to-school-2026-27.yml")
        school = district.model_copy(update={"audience": f"school:{largest}"})
        rows: list[dict[str, float]] = []
        for number in range(1, args.rounds + 1):
            scan_s, _ = timed(scan_people)
            district_s, whole = timed(audience.resolve, district)
            school_s, part = timed(audience.resolve, school)
            rows.append({"scan": scan_s, "district": district_s, "school": school_s})
            print(f"round {number}: scan {scan_s:.1f} s, district {district_s:.1f} s, "
                  f"school {school_s:.1f} s", flush=True)  # fmt: skip
        best = {k: min(r[k] for r in rows) for k in rows[0]}
    result = {
        "machine": machine(),
        "command": f"python bench/audience.py --students {args.students}",
        "students": args.students,
        "audience": {"district_guardians": whole.guardians, "school_guardians": part.guardians},
        "seconds_best_of_rounds": {k: round(v, 3) for k, v in best.items()},
        "district_vs_scan": round(best["district"] / best["scan"], 2),
        "school_vs_scan": round(best["school"] / best["scan"], 3),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "audience.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    passed = result["district_vs_scan"] <= 1.0 and result["school_vs_scan"] <= 0.25
    print("passed" if passed else "FAILED: the indexed audience is not faster than the scan")
    raise SystemExit(0 if passed else 1)


if __name__ == "__main__":
    main()
