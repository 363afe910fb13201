"""`make bench`: every benchmark of QUALITY.md, one after the other, and a fresh BENCHMARKS.md.

    .venv/bin/python bench/run_all.py [--quick] [NAME ...]

Each benchmark runs in its own process (its own DynamoDB Local, its own measurements side by
side with its reference) and prints its figures; this script collects what they print and
whether their bar held, and rewrites BENCHMARKS.md with the machine and the commands.
`--quick` uses smaller sizes (for a look, not for the record).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Everything below this line of BENCHMARKS.md is hand-written analysis, kept across runs.
NOTES_MARK = "<!-- notes: kept by make bench -->"


@dataclass(frozen=True)
class Bench:
    """One benchmark script and its bar."""

    name: str
    bar: str
    script: str
    args: tuple[str, ...] = ()
    quick_args: tuple[str, ...] = ()


BENCHES = (
    Bench(
        "P1",
        "login and claim through the API ≤ 1.25 × their floor (verify/hashes + raw boto3 calls)",
        "login_claim.py",
        ("--rounds", "200"),
        ("--rounds", "40"),
    ),
    Bench(
        "P2",
        "login surge as Lambda runs it (one worker pinned to a core, DynamoDB Local on the "
        "other) ≥ 0.8 × one verifier on that core, p99 ≤ 3 × median; 2 processes beside it",
        "surge.py",
        ("--students", "50000", "--accounts", "4000", "--seconds", "30"),
        ("--students", "5000", "--accounts", "1000", "--seconds", "10"),
    ),
    Bench(
        "P3",
        "`portal sis import` ≤ 1.3 × raw BatchWriteItem of the same items; peak memory ≤ 500 MB",
        "sis_import.py",
        ("--students", "10000"),
        ("--students", "2000"),
    ),
    Bench(
        "P4c",
        "a notice's audience through the SIS index ≤ 1 × the full scan it replaced (district), "
        "≤ 0.25 × (one school)",
        "audience.py",
        ("--students", "50000"),
        ("--students", "5000"),
    ),
    Bench("P4a", "rendering 80,000 notices ≥ 0.8 × bare cached Jinja2", "notices_render.py"),
    Bench(
        "P4b",
        "sending ≥ 0.8 × raw smtplib to the same server; never above --rate",
        "notices_send.py",
    ),
    Bench(
        "P5",
        "4-language build ≤ 4.5 × English-only; home page ≤ 1.2 × stock "
        "mkdocs-material; Lighthouse",
        "site_weight.py",
    ),
    Bench(
        "P6",
        "`import app` ≤ 1.5 × `import boto3` + one client; package ≤ 10 MB zipped",
        "cold_start.py",
    ),
    Bench(
        "S3",
        "unknown user vs wrong password: median gap < 10 ms over 200 tries",
        "enumeration_timing.py",
        ("--tries", "200"),
        ("--tries", "50"),
    ),
)


def run(bench: Bench, quick: bool) -> tuple[str, int, float, str]:
    """Run one benchmark; return (command, exit code, seconds, output)."""
    args = bench.quick_args if quick and bench.quick_args else bench.args
    command = [sys.executable, str(ROOT / "bench" / bench.script), *args]
    shown = " ".join(["python", f"bench/{bench.script}", *args])
    if not (ROOT / "bench" / bench.script).exists():
        return shown, -1, 0.0, "(script missing)"
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=ROOT / "bench",
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    output = (done.stdout + ("\n" + done.stderr if done.returncode else "")).strip()
    lines = [line for line in output.splitlines() if line.strip()]
    return shown, done.returncode, time.perf_counter() - started, "\n".join(lines[-25:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("names", nargs="*", help="only these (e.g. P1 P3)")
    args = parser.parse_args()
    chosen = [b for b in BENCHES if not args.names or b.name in args.names]
    sections = []
    failures = 0
    for bench in chosen:
        print(f"== {bench.name}: {bench.script}", flush=True)
        command, code, seconds, output = run(bench, args.quick)
        verdict = {0: "holds", -1: "not run (script missing)"}.get(code, "MISSED")
        failures += code != 0
        print(output, flush=True)
        sections.append(
            f"## {bench.name} — {bench.bar}\n\n**{verdict}** · `{command}` · {seconds:.0f} s\n\n"
            f"```text\n{output}\n```\n"
        )
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (`bench/run_all.py`); each figure is a ratio measured side by "
        "side with its reference in the same run (absolute times on a shared 2-core machine "
        "are noise). Raw figures: `bench/results/*.json`.\n\n"
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        f"{' (quick sizes)' if args.quick else ''}\n"
        f"- machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}\n\n"
    )
    target = ROOT / "BENCHMARKS.md"
    notes = ""
    if target.exists() and NOTES_MARK in target.read_text():
        notes = target.read_text().split(NOTES_MARK, 1)[1]
    if args.names and target.exists():
        print("Only some benchmarks ran: BENCHMARKS.md left as it is.")
    else:
        target.write_text(header + "\n".join(sections) + "\n" + NOTES_MARK + notes)
        print(f"BENCHMARKS.md rewritten ({len(chosen)} benchmarks, {failures} not holding).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
