"""The site built as `portal run` builds it, for tests that read the pages."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import ROOT

SITE_URL = "https://help.district.example/"


def build_site(out: Path, site_url: str = SITE_URL, **variables: str) -> Path:
    """`mkdocs build --strict` into `out`, the forms calling an API that does not answer, with
    any other environment `variables` (PORTAL_STUDENT_ID_DIGITS…) set for the build."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_API_URL": "http://api.invalid"}
    env.update(variables)
    env["PORTAL_SITE_URL"] = site_url
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return out


def hook_module(name: str) -> Any:
    """A module of site/hooks/, imported as mkdocs imports the hooks (their folder on sys.path)."""
    folder = str(ROOT / "site" / "hooks")
    if folder not in sys.path:
        sys.path.append(folder)
    return importlib.import_module(name)


def as_shown(texts: Any) -> Any:
    """Form texts as the built site shows them: {digits} and {prefix} filled with this
    process's district identifiers by the build's own function (site/hooks/district_ids.py)."""
    return hook_module("district_ids").fill_texts(texts)
