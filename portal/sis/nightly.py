"""The nightly import in AWS: the latest export under PORTAL_SIS_SOURCE, imported as the CLI does.

The function (deploy/sis_import.py) runs `handler` on a schedule. Whatever happens, it prints
one JSON line: the outcome, the export, the counts, the warnings and the first problems. The
line is also in CloudWatch's embedded metric format, so the counts become metrics in the
`Portal` namespace without any API call. Any failure raises ImportFailed after the line, so
the function's Errors metric (which also counts timeouts and crashes) raises the alarm.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from chalicelib.errors import StorageUnavailable
from portal.sis import s3source
from portal.sis.importer import ExportInvalid, ImportSummary, import_export

SOURCE_VARIABLE = "PORTAL_SIS_SOURCE"
EVENT = "sis_import"
NAMESPACE = "Portal"
DIMENSION, JOB = "Job", "sis-import"  # the metrics' one dimension: Job=sis-import
IMPORTED = "imported"
MAX_LISTED = 50  # problems and warnings written to the line; the counts give the rest
# The line's metrics and their units (CloudWatch reads them from the line itself).
METRICS = {
    "SisImportFailed": "Count",
    "SisImportProblems": "Count",
    "SisImportWarnings": "Count",
    "SisImportItemsChanged": "Count",
    "SisImportSeconds": "Seconds",
}


class ImportFailed(Exception):
    """The nightly import wrote nothing or did not finish; its JSON line says why."""


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point: import the latest export under the configured prefix."""
    source = os.environ.get(SOURCE_VARIABLE, "").strip()
    if not source:
        raise ImportFailed(f"{SOURCE_VARIABLE} is not set")
    return run(source)


def run(source: str, s3: Any = None) -> dict[str, Any]:
    """Import the latest export under `source`, print its line; raise ImportFailed on failure."""
    started = time.monotonic()
    line: dict[str, Any] = {"event": EVENT, "source": source, "export": None}
    problems: list[str] = []
    warnings: list[str] = []
    summary: ImportSummary | None = None
    try:
        with s3source.export_at(source, s3) as (where, directory):
            line["export"] = where
            summary = import_export(directory, progress=False)
    except s3source.SourceError as unreadable:
        line["outcome"], problems = "unreadable", [unreadable.line]
    except ExportInvalid as invalid:
        line["outcome"], problems, warnings = "invalid", invalid.errors, invalid.warnings
    except StorageUnavailable as down:
        line["outcome"] = "database_unavailable"
        problems = [f"the database did not answer: {down}"]
    else:
        line["outcome"] = IMPORTED
    line.update(counts(summary, problems, warnings))
    line["SisImportSeconds"] = round(time.monotonic() - started, 1)
    emit(line)
    if line["outcome"] != IMPORTED:
        raise ImportFailed(f"{line['outcome']}: {problems[0]}")
    return line


def counts(
    summary: ImportSummary | None, problems: list[str], refused_warnings: list[str]
) -> dict[str, Any]:
    """The line's counts: rows per file and items per kind, problems and warnings (a refused
    export's too: they may explain its errors)."""
    changed = summary.changed if summary else 0
    warnings = summary.warnings if summary else refused_warnings
    return {
        "rows": dict(summary.rows) if summary else {},
        "written": dict(summary.written) if summary else {},
        "unchanged": sum(summary.unchanged.values()) if summary else 0,
        "deleted": dict(summary.deleted) if summary else {},
        "deactivated": dict(summary.deactivated) if summary else {},
        "problems": problems[:MAX_LISTED],
        "warnings": warnings[:MAX_LISTED],
        "SisImportFailed": 0 if summary else 1,
        "SisImportProblems": len(problems),
        "SisImportWarnings": len(warnings),
        "SisImportItemsChanged": changed,
    }


def emit(line: dict[str, Any]) -> None:
    """Print the line as one JSON object in CloudWatch's embedded metric format."""
    metrics = [{"Name": name, "Unit": unit} for name, unit in METRICS.items()]
    envelope = {
        "Timestamp": int(time.time() * 1000),
        "CloudWatchMetrics": [
            {"Namespace": NAMESPACE, "Dimensions": [[DIMENSION]], "Metrics": metrics}
        ],
    }
    document = {"_aws": envelope, DIMENSION: JOB, **line}
    # One write of one line: Lambda turns each stdout line into one log event.
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    sys.stdout.flush()
