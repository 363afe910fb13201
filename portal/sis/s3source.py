"""The export a `portal sis import` source names: a folder, or the latest export under an S3 prefix.

The SIS (or its SFTP-to-S3 drop) puts each export under the prefix in one of two forms:

- a folder `PREFIX<name>/` holding manifest.csv and the other CSV files, or
- one zip file `PREFIX<name>.zip` holding them (at its root or inside one folder).

Names sort by time (`2026-12-07`, `2026-12-07T0200`...): the latest export is the one whose name
sorts last. A folder counts only once its manifest.csv is there, so a drop writing the manifest
last is never read half-written; a zip is one object, whole or absent. The export is downloaded
to a temporary folder and imported by the same importer as a local folder. This module is the
only one that talks to S3 (boto3 for DynamoDB stays in chalicelib/storage/).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound

from portal.sis.oneroster import MANIFEST

SCHEME = "s3://"
ZIP = ".zip"
NOWHERE = "—"  # the line and column of a problem that is about the whole source
CHUNK = 1024 * 1024  # bytes copied at a time
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=10)


class SourceError(Exception):
    """The source holds no export that can be read; `line` says why (file:line: column: problem)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(problem)
        self.line = f"{where}:{NOWHERE}: {NOWHERE}: {problem}"


@dataclass(frozen=True)
class Location:
    """A bucket and a key prefix (empty, ending with "/", or one zip's key)."""

    bucket: str
    prefix: str

    @classmethod
    def parse(cls, url: str) -> Location:
        """Read `s3://bucket/prefix/`; a prefix gets its trailing "/" unless it names a zip."""
        bucket, _, prefix = url.removeprefix(SCHEME).partition("/")
        if not bucket:
            raise SourceError(url, "no bucket named (expected s3://bucket/prefix/)")
        if prefix and not prefix.endswith(("/", ZIP)):
            prefix += "/"
        return cls(bucket, prefix)

    def url(self, key: str = "") -> str:
        """The s3:// address of a key (the prefix itself by default)."""
        return f"{SCHEME}{self.bucket}/{key or self.prefix}"


@dataclass
class Candidate:
    """One export under the prefix: a zip's key, or a folder's files (key → size)."""

    name: str
    zip_key: str = ""
    files: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """A zip, or a folder whose manifest has arrived."""
        return bool(self.zip_key) or any(PurePosixPath(k).name == MANIFEST for k in self.files)

    def url(self, location: Location) -> str:
        """Where the export is: its zip, or its folder (the prefix itself when it has no name)."""
        folder = f"{location.prefix}{self.name}/" if self.name else location.prefix
        return location.url(self.zip_key or folder)


def is_s3(source: str) -> bool:
    """Whether a source names an S3 prefix rather than a folder."""
    return source.startswith(SCHEME)


def client() -> Any:
    """An S3 client from the usual AWS settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3)."""
    return boto3.session.Session().client("s3", config=CLIENT_CONFIG)


@contextmanager
def export_at(source: str, s3: Any = None) -> Iterator[tuple[str, Path]]:
    """The export a source names, as (where it is, a local folder holding its files).

    A folder is used as it is; from S3 the latest export is downloaded into a temporary folder
    that is removed afterwards.
    """
    if not is_s3(source):
        folder = Path(source)
        if not folder.is_dir():
            raise SourceError(source, "no such folder")
        yield source, folder
        return
    location = Location.parse(source)
    with tempfile.TemporaryDirectory(prefix="sis-export-") as temporary:
        folder = Path(temporary)
        with _answers(location.url()):  # S3's errors only: the import's own pass through
            s3 = client() if s3 is None else s3
            latest = find_latest(s3, location)
            download(s3, location, latest, folder)
        yield latest.url(location), folder


def find_latest(s3: Any, location: Location) -> Candidate:
    """The export the prefix names (to load that one again), else the latest one under it."""
    found: dict[str, Candidate] = {}
    here = Candidate("")  # files directly under the prefix, or the one zip it names
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=location.bucket, Prefix=location.prefix
    )
    for page in pages:
        for entry in page.get("Contents", []):
            key, size = entry["Key"], entry["Size"]
            rest = key[len(location.prefix) :]
            name, slash, file = rest.partition("/")
            if not rest and key.endswith(ZIP):
                here.zip_key = key
            elif slash and file and "/" not in file:
                found.setdefault(name, Candidate(name)).files[key] = size
            elif not slash and name.endswith(ZIP) and len(name) > len(ZIP):
                found.setdefault(name, Candidate(name.removesuffix(ZIP))).zip_key = key
            elif not slash:
                here.files[key] = size
    if here.complete:
        return here
    complete = [c for c in found.values() if c.complete]
    if not complete:
        raise SourceError(location.url(), "no export under this prefix (expected a folder "
                          f"holding {MANIFEST}, or a .zip)")  # fmt: skip
    return max(complete, key=lambda c: (c.name, bool(c.zip_key)))


def download(s3: Any, location: Location, export: Candidate, into: Path) -> None:
    """Copy the export's files into a local folder (a zip is unpacked there)."""
    if not export.zip_key:
        _room_for(sum(export.files.values()), export.url(location), into)
        for key in export.files:
            _fetch(s3, location, key, into / PurePosixPath(key).name)
        return
    archive = into / ".export.zip"
    _fetch(s3, location, export.zip_key, archive)
    _unpack(archive, location.url(export.zip_key), into)
    archive.unlink()


def _fetch(s3: Any, location: Location, key: str, target: Path) -> None:
    """Stream one object to a file."""
    try:
        body = s3.get_object(Bucket=location.bucket, Key=key)["Body"]
    except ClientError as error:
        if _code(error) in ("NoSuchKey", "404"):
            raise SourceError(location.url(key), "removed while it was being read") from None
        raise
    try:
        with target.open("wb") as out:
            shutil.copyfileobj(body, out, CHUNK)
    finally:
        body.close()


def _room_for(needed: int, where: str, into: Path) -> None:
    """Refuse an export larger than the free space (the function's /tmp is sized for one)."""
    free = shutil.disk_usage(into).free
    if needed > free:
        raise SourceError(where, f"the export needs {needed:,} bytes of disk; {free:,} are free")


def _unpack(archive: Path, where: str, into: Path) -> None:
    """Extract a zip's CSV files by their base names (never a path the zip chooses)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if _is_export_file(m)]
            names = [PurePosixPath(m.filename).name for m in members]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise SourceError(where, f"the zip holds {', '.join(twice)} more than once")
            if MANIFEST not in names:
                raise SourceError(where, f"the zip holds no {MANIFEST}")
            _room_for(sum(m.file_size for m in members), where, into)  # a zip bomb, too
            for member, name in zip(members, names, strict=True):
                with zipped.open(member) as source, (into / name).open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
    except zipfile.BadZipFile:
        raise SourceError(where, "not a zip file") from None


def _is_export_file(member: zipfile.ZipInfo) -> bool:
    """A CSV file at the zip's root or one folder down (not a macOS resource fork)."""
    path = PurePosixPath(member.filename)
    return (
        not member.is_dir()
        and path.suffix.lower() == ".csv"
        and len(path.parts) <= 2
        and not path.name.startswith("._")
        and "__MACOSX" not in path.parts
    )


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


@contextmanager
def _answers(where: str) -> Iterator[None]:
    """Turn S3's refusals into one clear SourceError line (never a traceback)."""
    try:
        yield
    except ClientError as error:
        code = _code(error)
        problem = {
            "NoSuchBucket": "no such bucket",
            "AccessDenied": "access denied (may this role or profile list the bucket and "
            "read the prefix?)",
            "AllAccessDisabled": "access denied",
        }.get(code, f"S3 refused the request ({code or error})")
        raise SourceError(where, problem) from None
    except NoCredentialsError:
        raise SourceError(where, "no AWS credentials (set AWS_PROFILE or sign in)") from None
    except ProfileNotFound as missing:
        profile = missing.kwargs.get("profile")
        raise SourceError(where, f"no AWS profile named {profile!r} (AWS_PROFILE)") from None
    except BotoCoreError as error:
        raise SourceError(where, f"S3 did not answer ({error})") from None
