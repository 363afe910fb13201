"""Settings read from the environment (CONTRACT.md section 1)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

LOCAL_HOST = "127.0.0.1"  # where the local stack (`portal run`) listens


@dataclass(frozen=True)
class Settings:
    """Every environment setting the API and the CLI read."""

    env: str
    dynamodb_endpoint_url: str | None
    table_prefix: str
    claim_delay_hours: int
    district_tz: str
    mail: str
    site_origin: str
    site_url: str
    site_port: int
    api_port: int
    db_port: int
    smtp_port: int
    trusted_proxy_hops: int
    district_name: str
    district_app_id: str
    aws_region: str
    secret_arn: str | None  # AWS: the stack's Secrets Manager secret (PORTAL_SECRET_ARN)
    secret_file: str  # locally: created once in the data directory (PORTAL_SECRET_FILE)
    student_id_digits: int  # the length of the SIS `identifier` (PORTAL_STUDENT_ID_DIGITS)
    username_prefix: (
        str  # what comes before the ID in a student's username (PORTAL_USERNAME_PREFIX)
    )


def _int(name: str, default: int) -> int:
    """Read an integer variable, failing loudly on a typo rather than guessing."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None


def _port(name: str, default: int) -> int:
    """Read a TCP port number (1-65535), failing loudly on anything else."""
    port = _int(name, default)
    if not 0 < port < 65536:
        raise SystemExit(f"{name} must be a port number from 1 to 65535, got {port}")
    return port


# The district's identifiers: a student ID of 4 to 12 digits, a username prefix of 1 to 3
# ASCII letters (a username must stay a login name every keyboard can type).
STUDENT_ID_DIGITS = (4, 12)
USERNAME_PREFIX = re.compile(r"[A-Za-z]{1,3}")


def _student_id_digits() -> int:
    """PORTAL_STUDENT_ID_DIGITS, 7 by default (the seeds' IDs), refused outside 4-12."""
    digits = _int("PORTAL_STUDENT_ID_DIGITS", 7)
    low, high = STUDENT_ID_DIGITS
    if not low <= digits <= high:
        raise SystemExit(
            f"PORTAL_STUDENT_ID_DIGITS must be from {low} to {high} digits, got {digits}"
        )
    return digits


def _username_prefix() -> str:
    """PORTAL_USERNAME_PREFIX, "S" by default, refused unless 1 to 3 letters."""
    prefix = os.environ.get("PORTAL_USERNAME_PREFIX", "").strip() or "S"
    if not USERNAME_PREFIX.fullmatch(prefix):
        raise SystemExit(f"PORTAL_USERNAME_PREFIX must be 1 to 3 letters (A-Z), got {prefix!r}")
    return prefix


def _url_with_slash(url: str) -> str:
    """A site address ending with "/", so page paths can be appended."""
    return url if url.endswith("/") else url + "/"


def load() -> Settings:
    """Build settings from the current environment."""
    env = os.environ.get("PORTAL_ENV", "local").strip() or "local"
    site_port, db_port = _port("PORTAL_SITE_PORT", 8000), _port("PORTAL_DB_PORT", 8002)
    endpoint = os.environ.get("DYNAMODB_ENDPOINT_URL", "").strip() or None
    if endpoint is None and env != "aws":
        endpoint = f"http://{LOCAL_HOST}:{db_port}"
    site = f"http://{LOCAL_HOST}:{site_port}"  # the local stack's site (mkdocs.yml's default)
    return Settings(
        env=env,
        dynamodb_endpoint_url=endpoint,
        table_prefix=os.environ.get("PORTAL_TABLE_PREFIX", "portal-"),
        claim_delay_hours=_int("CLAIM_DELAY_HOURS", 24),
        district_tz=os.environ.get("DISTRICT_TZ", "America/New_York"),
        mail=os.environ.get("PORTAL_MAIL", "smtp"),
        site_origin=os.environ.get("PORTAL_SITE_ORIGIN", site),
        site_url=_url_with_slash(os.environ.get("PORTAL_SITE_URL", "").strip() or f"{site}/"),
        site_port=site_port,
        api_port=_port("PORTAL_API_PORT", 8001),
        db_port=db_port,
        smtp_port=_port("PORTAL_SMTP_PORT", 8025),
        trusted_proxy_hops=_int("TRUSTED_PROXY_HOPS", 0),
        district_name=os.environ.get("DISTRICT_NAME", "Clayton County Public Schools"),
        district_app_id=os.environ.get("DISTRICT_APP_ID", "JPRQQH"),
        aws_region=os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
        secret_arn=os.environ.get("PORTAL_SECRET_ARN", "").strip() or None,
        secret_file=os.environ.get("PORTAL_SECRET_FILE", "").strip()
        or os.path.join(os.environ.get("PORTAL_DATA_DIR", ".data"), "deployment.secret"),
        student_id_digits=_student_id_digits(),
        username_prefix=_username_prefix(),
    )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings of this process, read once (Lambda containers keep them warm)."""
    return load()
