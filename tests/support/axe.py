"""axe-core (pinned in package-lock.json) run in the real browser: the one accessibility check."""

from __future__ import annotations

from typing import Any

import pytest

from . import ROOT

AXE = ROOT / "node_modules/axe-core/axe.min.js"


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now (all rules axe runs by default)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install-test` (it installs axe-core)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: the site's CSP (no inline scripts) rightly
        # refuses a <script> element added to the page, as add_script_tag would.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    # Judge the page as a reader sees it, after fades and slides (e.g. the theme's back-to-top
    # button) have finished: mid-transition colours are not what anyone reads.
    found = page.evaluate(
        """async () => {
            await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
            return (await axe.run(document)).violations.map(
                v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return list(found)
