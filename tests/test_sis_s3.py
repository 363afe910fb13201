"""`portal sis import s3://bucket/prefix/` (portal.sis.s3source): the latest export, downloaded
and imported by the same importer, against botocore's Stubber; clear errors, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portal.cli import app
from portal.sis import s3source
from portal.sis.s3source import Location, SourceError, export_at, find_latest

from .support.demo import DEMO
from .support.s3 import BUCKET, PREFIX, SOURCE, Bucket, folder_objects, zipped

MANIFEST_ONLY = b"propertyName,value\nmanifest.version,1.0\n"


def cli_import(monkeypatch: pytest.MonkeyPatch, client: Any, *args: str) -> Any:
    """`portal sis import ARGS` with the stubbed client as the S3 client."""
    monkeypatch.setattr(s3source, "client", lambda: client)
    return CliRunner().invoke(app, ["sis", "import", *args])


def imports_nothing_new() -> None:
    """The demo folder imported again changes nothing: the tables already mirror it."""
    from portal.sis.importer import import_export

    again = import_export(DEMO, progress=False)
    assert again.changed == 0 and sum(again.unchanged.values()) > 0


@pytest.mark.unit
def test_latest_is_the_last_name_holding_a_manifest_or_a_zip() -> None:
    objects = {
        f"{PREFIX}2026-12-05/manifest.csv": MANIFEST_ONLY,
        f"{PREFIX}2026-12-06.zip": b"zip",
        f"{PREFIX}2026-12-07/users.csv": b"still uploading, no manifest yet",
        f"{PREFIX}2026-12-04/deeper/manifest.csv": MANIFEST_ONLY,
        f"{PREFIX}README.txt": b"notes",
        "elsewhere/2027-01-01/manifest.csv": MANIFEST_ONLY,
    }
    bucket = Bucket(objects).expect_listing()
    with bucket.serving() as client:
        latest = find_latest(client, Location.parse(SOURCE))
    assert (latest.name, latest.zip_key) == ("2026-12-06", f"{PREFIX}2026-12-06.zip")
    objects[f"{PREFIX}2026-12-07/manifest.csv"] = MANIFEST_ONLY  # the upload finished
    bucket = Bucket(objects).expect_listing()
    with bucket.serving() as client:
        latest = find_latest(client, Location.parse(SOURCE))
    assert (latest.name, latest.zip_key) == ("2026-12-07", "")
    assert sorted(latest.files) == [f"{PREFIX}2026-12-07/manifest.csv",
                                    f"{PREFIX}2026-12-07/users.csv"]  # fmt: skip


@pytest.mark.unit
@pytest.mark.parametrize(
    ("source", "where"),
    [
        (f"{SOURCE}2026-12-06", f"{SOURCE}2026-12-06/"),
        (f"{SOURCE}2026-12-06/", f"{SOURCE}2026-12-06/"),
        (f"{SOURCE}2026-12-05.zip", f"{SOURCE}2026-12-05.zip"),
    ],
)
def test_an_export_named_by_its_folder_or_zip_is_that_one(source: str, where: str) -> None:
    """To load an older export again, name it: the prefix is then that export, not the latest."""
    older = folder_objects(DEMO, "2026-12-06")
    zip_key = f"{PREFIX}2026-12-05.zip"
    objects = {**older, zip_key: zipped(DEMO), **folder_objects(DEMO, "2026-12-07")}
    location = Location.parse(source)
    bucket = Bucket(objects).expect_listing(location.prefix)
    bucket.expect_download(*([zip_key] if source.endswith(".zip") else older))
    with bucket.serving() as client, export_at(source, client) as (found, folder):
        assert found == where
        assert (folder / "users.csv").read_bytes() == (DEMO / "users.csv").read_bytes()


@pytest.mark.unit
@pytest.mark.parametrize("url", ["s3://district-sis/oneroster", "s3://district-sis/oneroster/"])
def test_a_prefix_is_read_as_a_folder(url: str) -> None:
    assert Location.parse(url) == Location(BUCKET, PREFIX)
    assert Location.parse("s3://district-sis") == Location(BUCKET, "")
    with pytest.raises(SourceError) as raised:
        Location.parse("s3:///oneroster/")
    assert raised.value.line.endswith(":—: —: no bucket named (expected s3://bucket/prefix/)")


def test_latest_folder_is_downloaded_and_imported(
    fresh_tables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    latest = folder_objects(DEMO, "2026-12-07")
    older = folder_objects(DEMO, "2026-12-06")
    bucket = Bucket({**older, **latest}).expect_listing().expect_download(*latest)
    with bucket.serving() as client:
        result = cli_import(monkeypatch, client, SOURCE)
    assert result.exit_code == 0, result.output
    assert f"Importing {SOURCE}2026-12-07/" in result.output
    imports_nothing_new()


def test_zip_export_is_unpacked_and_imported(
    fresh_tables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = f"{PREFIX}2026-12-07.zip"
    objects = {key: zipped(DEMO, inner="oneroster-export"), **folder_objects(DEMO, "2026-12-06")}
    bucket = Bucket(objects).expect_listing().expect_download(key)
    with bucket.serving() as client:
        result = cli_import(monkeypatch, client, SOURCE)
    assert result.exit_code == 0, result.output
    assert f"Importing s3://{BUCKET}/{key}" in result.output
    imports_nothing_new()


@pytest.mark.unit
def test_empty_prefix_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    bucket = Bucket({"elsewhere/2026-12-07/manifest.csv": MANIFEST_ONLY}).expect_listing()
    with bucket.serving() as client:
        result = cli_import(monkeypatch, client, SOURCE)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{SOURCE}:—: —: no export under this prefix (expected a folder holding manifest.csv, "
        "or a .zip)",
        "1 problem found; nothing was imported.",
    ]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("code", "status", "problem"),
    [
        ("NoSuchBucket", 404, "no such bucket"),
        ("AccessDenied", 403, "access denied (may this role or profile list the bucket and "
         "read the prefix?)"),
    ],
)  # fmt: skip
def test_missing_or_forbidden_bucket_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, code: str, status: int, problem: str
) -> None:
    bucket = Bucket({}, "no-such-bucket")
    bucket.expect_error("list_objects_v2", code, status, Bucket="no-such-bucket", Prefix=PREFIX)
    with bucket.serving() as client:
        result = cli_import(monkeypatch, client, f"s3://no-such-bucket/{PREFIX}")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"s3://no-such-bucket/{PREFIX}:—: —: {problem}"
    assert not isinstance(result.exception, Exception), result.exception  # exit 1, no traceback


@pytest.mark.unit
def test_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sis", "import", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{tmp_path / 'nowhere'}:—: —: no such folder"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_zip({"a/manifest.csv": MANIFEST_ONLY, "a/users.csv": b"", "b/users.csv": b""}),
         "the zip holds users.csv more than once"),
        (_zip({"users.csv": b"", "notes/deep/manifest.csv": MANIFEST_ONLY}),
         "the zip holds no manifest.csv"),
        (b"PK but not really a zip", "not a zip file"),
    ],
)  # fmt: skip
def test_unusable_zip_is_refused_before_import(data: bytes, problem: str) -> None:
    key = f"{PREFIX}2026-12-07.zip"
    bucket = Bucket({key: data}).expect_listing().expect_download(key)
    with bucket.serving() as client, pytest.raises(SourceError) as raised:
        with export_at(SOURCE, client):
            pytest.fail("an unusable zip must not reach the importer")
    assert raised.value.line == f"s3://{BUCKET}/{key}:—: —: {problem}"


@pytest.mark.unit
def test_downloaded_export_is_removed_afterwards() -> None:
    latest = folder_objects(DEMO, "2026-12-07")
    bucket = Bucket(latest).expect_listing().expect_download(*latest)
    with bucket.serving() as client, export_at(SOURCE, client) as (where, folder):
        assert where == f"{SOURCE}2026-12-07/"
        assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in DEMO.iterdir())
        assert (folder / "users.csv").read_bytes() == (DEMO / "users.csv").read_bytes()
    assert not folder.exists()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("profile", "problem"),
    [
        ("no-such-profile", "no AWS profile named 'no-such-profile' (AWS_PROFILE)"),
        (None, "no AWS credentials (set AWS_PROFILE or sign in)"),
    ],
)
def test_missing_credentials_are_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, profile: str | None, problem: str
) -> None:
    """The CLI's own client, with no usable AWS settings: refused before any request is sent."""
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "empty").write_text("", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    if profile:
        monkeypatch.setenv("AWS_PROFILE", profile)
    result = CliRunner().invoke(app, ["sis", "import", SOURCE])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{SOURCE}:—: —: {problem}"
    assert not isinstance(result.exception, Exception), result.exception


@pytest.mark.unit
def test_check_reads_the_latest_export_under_a_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    latest = folder_objects(DEMO, "2026-12-07")
    bucket = Bucket({**folder_objects(DEMO, "2026-12-06"), **latest}).expect_listing()
    with bucket.expect_download(*latest).serving() as client:
        monkeypatch.setattr(s3source, "client", lambda: client)
        result = CliRunner().invoke(app, ["sis", "check", SOURCE])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Checking {SOURCE}2026-12-07/"
    assert "No problems" in result.output


@pytest.mark.unit
def test_check_of_an_empty_prefix_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with Bucket({}).expect_listing().serving() as client:
        monkeypatch.setattr(s3source, "client", lambda: client)
        result = CliRunner().invoke(app, ["sis", "check", SOURCE])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{SOURCE}:—: —: no export under this prefix (expected a folder holding manifest.csv, "
        "or a .zip)",
        "1 problem found: `portal sis import` would refuse this export.",
    ]
