"""The deployment's own secret: keys what must not be computable from outside (decoys).

In AWS the API stack creates it in Secrets Manager and the function reads it once per
container; locally it is 32 random bytes created once in the data directory (mode 0600).
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path
from typing import Any

import boto3

from ..config import settings
from ..errors import StorageUnavailable
from . import db


@cache
def deployment_secret() -> bytes:
    """The secret's bytes (read once per process)."""
    config = settings()
    if config.secret_arn:
        answer = db.call(_secrets_client().get_secret_value, SecretId=config.secret_arn)
        return str(answer["SecretString"]).encode("utf-8")
    if config.env == "aws":
        raise StorageUnavailable("PORTAL_SECRET_ARN is not set")
    return _local_secret(Path(config.secret_file))


def _secrets_client() -> Any:
    """A Secrets Manager client (only this module talks to Secrets Manager)."""
    return boto3.client("secretsmanager", region_name=settings().aws_region)


def _local_secret(path: Path) -> bytes:
    """Read the local secret, creating it first (exclusively: two processes agree on one)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_bytes(32))
    return path.read_bytes()
