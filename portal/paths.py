"""Where the repository's parts live, found from this package's location."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
TEMPLATES = ROOT / "templates"
MKDOCS_YML = ROOT / "mkdocs.yml"
BUILD_SITE = ROOT / "build" / "site"


def data_dir() -> Path:
    """Where `portal run` keeps the database files and mail (`.data/`)."""
    return Path(os.environ.get("PORTAL_DATA_DIR", ROOT / ".data"))


def dynamodb_local_dir() -> Path:
    """The unpacked DynamoDB Local (`make` puts it under `.cache/`)."""
    return Path(os.environ.get("PORTAL_DYNAMODB_LOCAL_DIR", ROOT / ".cache" / "dynamodb-local"))


def site_dir() -> Path:
    """Where `portal run` builds the site (`PORTAL_SITE_DIR`, default build/site/)."""
    return Path(os.environ.get("PORTAL_SITE_DIR", BUILD_SITE))
