"""The site built as `portal run` builds it, for tests that read the pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import ROOT

SITE_URL = "https://help.district.example/"


def build_site(out: Path, site_url: str = SITE_URL) -> Path:
    """`mkdocs build --strict` into `out`, the forms calling an API that does not answer."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_API_URL": "http://api.invalid"}
    env["PORTAL_SITE_URL"] = site_url
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return out
