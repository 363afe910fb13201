"""Shared set-up for the benchmarks: a private in-memory DynamoDB Local and result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "functions"))
RESULTS = ROOT / "bench" / "results"


@contextmanager
def private_dynamodb(prefix: str = "bench-") -> Iterator[Any]:
    """An in-memory DynamoDB Local on a free port with every table created (yields it)."""
    from portal import dynamodb_local

    db = dynamodb_local.start(dynamodb_local.free_port(), None)
    os.environ["DYNAMODB_ENDPOINT_URL"] = db.url
    os.environ["PORTAL_TABLE_PREFIX"] = prefix
    os.environ.setdefault("PORTAL_ENV", "local")
    from chalicelib import config, storage

    config.settings.cache_clear()
    storage.reset_client()
    storage.create_tables()
    try:
        yield db
    finally:
        db.stop()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def summary(samples: list[float]) -> dict[str, float]:
    """Median, p90 and p99 in milliseconds."""
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p90_ms": pick(0.90),
        "p99_ms": pick(0.99),
        "n": len(ordered),
    }


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write bench/results/<name>.json and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **result}, indent=2) + "\n")
    return path
