"""`portal data export` and `portal data import`: a stack's tables moved whole (issue 15, item 11).

Run as a user would (the CLI, against DynamoDB Local): export one stack, import into a fresh one
(another table prefix), and the tables are identical; an import into a stack that holds data, or
of an export that was changed, writes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib import config, schema, storage
from chalicelib.storage import tables

from .support.demo import import_demo
from .support.factories import add_student
from .support.families import activate, add_guardian, new_school

FRESH = "moved-"


def portal(*args: str, prefix: str) -> subprocess.CompletedProcess[str]:
    """The `portal` command on this test's DynamoDB Local and table prefix."""
    env = {**os.environ, "PORTAL_TABLE_PREFIX": prefix}
    command = [str(Path(sys.executable).parent / "portal"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def snapshot() -> dict[str, list[str]]:
    """Every table of the current prefix, items as sorted JSON."""
    return {
        t.name: sorted(json.dumps(i, sort_keys=True) for i in tables.wire_items(t.name))
        for t in schema.TABLES
    }


def use_prefix(prefix: str) -> None:
    os.environ["PORTAL_TABLE_PREFIX"] = prefix
    config.settings.cache_clear()


@pytest.fixture
def fresh_stack(dynamodb: str) -> Iterator[None]:
    """Tables under another prefix, dropped afterwards; the default prefix restored."""
    before = os.environ.get("PORTAL_TABLE_PREFIX", "portal-")
    use_prefix(FRESH)
    storage.create_tables()
    use_prefix(before)
    yield
    use_prefix(FRESH)
    storage.delete_tables()
    use_prefix(before)


def test_a_round_trip_gives_identical_tables(api: Any, fresh_stack: None, tmp_path: Path) -> None:
    import_demo()
    school = new_school()  # a guardian of its own: the demo's stay unactivated for other tests
    activate(api, add_guardian("Rafa", "Moves", [add_student(school=school)], school), "RafaMoves")
    prefix = config.settings().table_prefix
    original = snapshot()
    assert sum(map(len, original.values())) > 50

    exported = portal("data", "export", str(tmp_path / "out"), prefix=prefix)
    assert exported.returncode == 0, exported.stderr
    assert "items exported" in exported.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert {n: e["items"] for n, e in manifest["tables"].items()} == {
        n: len(items) for n, items in original.items()
    }
    again = portal("data", "export", str(tmp_path / "out"), prefix=prefix)
    assert again.returncode == 1 and "already there" in again.stderr

    imported = portal("data", "import", str(tmp_path / "out"), prefix=FRESH)
    assert imported.returncode == 0, imported.stderr
    use_prefix(FRESH)
    try:
        assert snapshot() == original
    finally:
        use_prefix(prefix)

    # A stack that holds data is refused, and nothing is written.
    twice = portal("data", "import", str(tmp_path / "out"), prefix=FRESH)
    assert twice.returncode == 1 and "is not empty" in twice.stderr


def test_a_changed_export_is_refused_whole(
    dynamodb: str, fresh_stack: None, tmp_path: Path
) -> None:
    prefix = config.settings().table_prefix
    out = tmp_path / "out"
    assert portal("data", "export", str(out), prefix=prefix).returncode == 0
    accounts = out / "accounts.jsonl"
    accounts.write_text(accounts.read_text() + '{"pk": {"S": "intruder"}}\n')
    refused = portal("data", "import", str(out), prefix=FRESH)
    assert refused.returncode == 1
    assert "accounts.jsonl: checksum differs" in refused.stderr
    use_prefix(FRESH)
    try:
        assert all(not items for items in snapshot().values())
    finally:
        use_prefix(prefix)
    missing = portal("data", "import", str(tmp_path / "nothing"), prefix=FRESH)
    assert missing.returncode == 1 and "manifest.json: missing" in missing.stderr
