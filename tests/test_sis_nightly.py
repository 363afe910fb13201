"""The nightly import's handler (portal.sis.nightly): one JSON line with the counts, in
CloudWatch's embedded metric format, and a failure the function's Errors metric counts."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from portal.sis import nightly, s3source

from .support.demo import DEMO
from .support.s3 import PREFIX, SOURCE, Bucket, folder_objects


def logged(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The one line the handler printed, parsed."""
    (line,) = capsys.readouterr().out.splitlines()
    return json.loads(line)


def rows(directory: Path) -> dict[str, int]:
    """Data rows per CSV file of an export (the header aside)."""
    counts = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            counts[path.name] = sum(1 for _ in csv.reader(handle)) - 1
    return counts


def metrics_of(line: dict[str, Any]) -> dict[str, Any]:
    """Each metric the embedded-metric envelope declares, with its value in the line."""
    (declared,) = line["_aws"]["CloudWatchMetrics"]
    assert declared["Namespace"] == nightly.NAMESPACE
    assert declared["Dimensions"] == [["Job"]] and line["Job"] == "sis-import"
    return {m["Name"]: line[m["Name"]] for m in declared["Metrics"]}


def test_import_logs_its_counts_as_one_json_line(
    fresh_tables: None, capsys: pytest.CaptureFixture[str]
) -> None:
    latest = folder_objects(DEMO, "2026-12-07")
    bucket = Bucket(latest).expect_listing().expect_download(*latest)
    with bucket.serving() as client:
        returned = nightly.run(SOURCE, client)
    line = logged(capsys)
    assert {k: v for k, v in line.items() if k not in ("_aws", "Job")} == returned
    assert (line["event"], line["outcome"]) == ("sis_import", "imported")
    assert (line["source"], line["export"]) == (SOURCE, f"{SOURCE}2026-12-07/")
    read = {name: count for name, count in rows(DEMO).items() if name != "manifest.csv"}
    assert {k: v for k, v in line["rows"].items() if k in read} == read
    with (DEMO / "users.csv").open(encoding="utf-8", newline="") as handle:
        students = sum(1 for row in csv.DictReader(handle) if row["role"] == "student")
    assert line["written"]["students"] == students
    assert line["problems"] == [] and line["unchanged"] == 0
    metrics = metrics_of(line)
    assert metrics["SisImportFailed"] == 0 and metrics["SisImportProblems"] == 0
    assert metrics["SisImportItemsChanged"] == sum(line["written"].values()) > 0
    assert metrics["SisImportSeconds"] >= 0
    assert isinstance(line["_aws"]["Timestamp"], int)


@pytest.mark.unit
def test_refused_export_logs_its_problems_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = shutil.copytree(DEMO, tmp_path / "export")
    users = (export / "users.csv").read_text(encoding="utf-8").replace(",0393354,", ",393354,")
    (export / "users.csv").write_text(users, encoding="utf-8")
    # A column the product never reads: a warning, listed with the refused export's problems.
    orgs = (export / "orgs.csv").read_text(encoding="utf-8").splitlines()
    orgs = [orgs[0] + ",motto"] + [row + ",x" for row in orgs[1:]]
    (export / "orgs.csv").write_text("\n".join(orgs) + "\n", encoding="utf-8")
    latest = folder_objects(export, "2026-12-07")
    bucket = Bucket(latest).expect_listing().expect_download(*latest)
    with bucket.serving() as client, pytest.raises(nightly.ImportFailed) as raised:
        nightly.run(SOURCE, client)
    line = logged(capsys)
    assert line["outcome"] == "invalid"
    assert len(line["problems"]) == 1
    assert line["problems"][0].startswith("users.csv:")
    assert "'393354'" in line["problems"][0]
    assert str(raised.value) == f"invalid: {line['problems'][0]}"
    assert [w.split(": ")[0] for w in line["warnings"]] == ["orgs.csv:1"]
    assert "motto" in line["warnings"][0]
    metrics = metrics_of(line)
    assert (metrics["SisImportFailed"], metrics["SisImportProblems"]) == (1, 1)
    assert metrics["SisImportWarnings"] == 1
    assert metrics["SisImportItemsChanged"] == 0 and line["rows"] == {}


@pytest.mark.unit
def test_empty_prefix_logs_the_line_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    bucket = Bucket({}).expect_listing()
    with bucket.serving() as client, pytest.raises(nightly.ImportFailed):
        nightly.run(SOURCE, client)
    line = logged(capsys)
    assert (line["outcome"], line["export"]) == ("unreadable", None)
    assert line["problems"] == [
        f"{SOURCE}:—: —: no export under this prefix (expected a folder holding manifest.csv, "
        "or a .zip)"
    ]
    assert metrics_of(line)["SisImportFailed"] == 1


@pytest.mark.unit
def test_handler_imports_from_the_configured_prefix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(nightly.SOURCE_VARIABLE, raising=False)
    with pytest.raises(nightly.ImportFailed, match=f"{nightly.SOURCE_VARIABLE} is not set"):
        nightly.handler({}, None)
    monkeypatch.setenv(nightly.SOURCE_VARIABLE, f"s3://other-bucket/{PREFIX}")
    bucket = Bucket({}, "other-bucket").expect_listing()
    with bucket.serving() as client:
        monkeypatch.setattr(s3source, "client", lambda: client)
        with pytest.raises(nightly.ImportFailed):
            nightly.handler({"source": "aws.scheduler"}, None)
    assert logged(capsys)["source"] == f"s3://other-bucket/{PREFIX}"


@pytest.mark.unit
def test_warnings_are_counted_and_the_first_listed() -> None:
    from portal.sis.report import ImportSummary

    summary = ImportSummary(warnings=[f"demographics.csv:{n}: sex: unknown value 'x'"
                                      for n in range(2, 2 + nightly.MAX_LISTED + 5)])  # fmt: skip
    counts = nightly.counts(summary, [], [])
    assert counts["SisImportWarnings"] == nightly.MAX_LISTED + 5
    assert counts["warnings"] == summary.warnings[: nightly.MAX_LISTED]
    assert counts["SisImportFailed"] == 0 and counts["problems"] == []
