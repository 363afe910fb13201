"""`make package` run once per test session, into a temporary folder, without AWS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import ROOT

API_URL = "https://abc123def4.execute-api.us-east-1.amazonaws.com/api/"
SITE_URL = "https://help.example.org/"
BIN = Path(sys.executable).parent

__all__ = ["API_URL", "BIN", "ROOT", "SITE_URL", "build"]


def build(out: Path) -> dict[str, Any]:
    """Run the packaging as `make package` does; the outputs and both templates, parsed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "DYNAMODB_"))}
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        env.pop(name, None)  # proves no AWS access is needed
    command = [sys.executable, "-m", "deploy.package", "--out", str(out / "package")]
    command += ["--site-out", str(out / "site-dist"), "--api-url", API_URL, "--site-url", SITE_URL]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    package = out / "package"
    return {
        "package": package,
        "site": out / "site-dist",
        "template": json.loads((package / "sam.json").read_text(encoding="utf-8")),
        "site_template": json.loads((package / "site.json").read_text(encoding="utf-8")),
    }
