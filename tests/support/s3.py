"""A bucket for the S3 import's tests: a real botocore S3 client answered by botocore's Stubber.

The stub checks every request's parameters against what the test expects (so fetching the
wrong export fails the test) and answers with the objects the test put in the bucket.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.response import StreamingBody
from botocore.stub import Stubber

BUCKET = "district-sis"
PREFIX = "oneroster/"
SOURCE = f"s3://{BUCKET}/{PREFIX}"


def s3_client() -> Any:
    """An S3 client that never reaches AWS (dummy credentials; the stub answers first)."""
    return boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    ).client("s3")


def folder_objects(directory: Path, name: str, prefix: str = PREFIX) -> dict[str, bytes]:
    """An export folder's files as the objects `PREFIX<name>/<file>`."""
    return {f"{prefix}{name}/{p.name}": p.read_bytes() for p in sorted(directory.iterdir())}


def zipped(directory: Path, inner: str = "") -> bytes:
    """An export folder as a zip, its files at the root or inside folder `inner`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.iterdir()):
            archive.write(path, f"{inner}/{path.name}" if inner else path.name)
    return buffer.getvalue()


class Bucket:
    """Objects of one bucket, and the requests the code under test is expected to make."""

    def __init__(self, objects: dict[str, bytes], bucket: str = BUCKET) -> None:
        self.objects, self.bucket = objects, bucket
        self.client = s3_client()
        self.stub = Stubber(self.client)

    def expect_listing(self, prefix: str = PREFIX) -> Bucket:
        """One ListObjectsV2 page of every key under the prefix, in key order."""
        keys = sorted(k for k in self.objects if k.startswith(prefix))
        contents = [{"Key": k, "Size": len(self.objects[k])} for k in keys]
        response = {"IsTruncated": False, "KeyCount": len(keys), "Name": self.bucket,
                    "Prefix": prefix, **({"Contents": contents} if contents else {})}  # fmt: skip
        self.stub.add_response(
            "list_objects_v2", response, {"Bucket": self.bucket, "Prefix": prefix}
        )
        return self

    def expect_download(self, *keys: str) -> Bucket:
        """GetObject of these keys, in this order."""
        for key in keys:
            data = self.objects[key]
            body = StreamingBody(io.BytesIO(data), len(data))
            self.stub.add_response("get_object", {"Body": body, "ContentLength": len(data)},
                                   {"Bucket": self.bucket, "Key": key})  # fmt: skip
        return self

    def expect_error(self, operation: str, code: str, status: int, **params: str) -> Bucket:
        """S3 refusing one request."""
        self.stub.add_client_error(operation, code, code, status, expected_params=params)
        return self

    @contextmanager
    def serving(self) -> Iterator[Any]:
        """The stubbed client; every expected request must have been made by the end."""
        with self.stub:
            yield self.client
            self.stub.assert_no_pending_responses()
