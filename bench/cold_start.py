"""P6: cold start of the API against boto3's own, side by side, and the Lambda package size.

    .venv/bin/python bench/cold_start.py [--runs 21] [--zip build/package/deployment.zip]

Each sample is a fresh interpreter (`python -c`), timing only the import inside it:
  app     `import app` from functions/ with PORTAL_ENV=local (what a Lambda cold start runs
          before the first request: routes, domain modules, pydantic models, boto3 import);
  floor   `import boto3` + creating one DynamoDB client (the least any function that talks to
          DynamoDB pays);
  app+client  `import app` and the app's own client (created lazily on the first request, so
          this is the whole cold start up to the first DynamoDB call; shown, not barred).
Samples alternate app/floor/app+client so both see the same machine load; one warm-up of each is
discarded (byte-code compilation). Bar: median(app) ≤ 1.5 × median(floor). `python -X
importtime` then splits `import app` by library (median over a few runs), which names what to
make lazy if the bar is missed. The zip is built with `python -m deploy.package --api-only`
into a temporary folder unless --zip names one. Bar: ≤ 10 MB. Figures go to stdout and
bench/results/cold_start.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
RESULTS = ROOT / "bench" / "results" / "cold_start.json"
RATIO_BAR = 1.5
ZIP_BAR_BYTES = 10 * 1024 * 1024

APP = "import app"
APP_CLIENT = "import app\nfrom chalicelib import storage\nstorage.client()"
FLOOR = "import boto3\nboto3.session.Session().client('dynamodb', region_name='us-east-1')"
TIMED = "import time\nt0 = time.perf_counter()\n{body}\nprint(time.perf_counter() - t0)\n"

# Which library a module belongs to, for the -X importtime split of `import app`.
GROUPS = {
    "boto3 + botocore": {"boto3", "botocore", "s3transfer", "urllib3", "jmespath", "dateutil"},
    "pydantic": {"pydantic", "pydantic_core", "annotated_types", "typing_inspection"},
    "argon2-cffi": {"argon2", "_argon2_cffi_bindings", "cffi", "_cffi_backend"},
    "chalice": {"chalice"},
}


def env() -> dict[str, str]:
    """The environment of every sample: local settings, no endpoint, no AWS credentials."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "DYNAMODB_"))}
    clean["PORTAL_ENV"] = "local"
    clean["PYTHONPATH"] = str(FUNCTIONS)
    clean.pop("PYTHONDONTWRITEBYTECODE", None)
    return clean


def sample(body: str) -> float:
    """Seconds the body takes in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", TIMED.format(body=body)],
        cwd=FUNCTIONS,
        env=env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def importtime() -> tuple[dict[str, float], dict[str, float]]:
    """One `python -X importtime` run of `import app`: milliseconds per library, and the self
    milliseconds of each of the app's own modules."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", APP],
        cwd=FUNCTIONS,
        env=env(),
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match[1]), len(match[3]) // 2, match[4]))
    # Lines come children first; read backwards to know each module's chain of importers.
    split: dict[str, float] = defaultdict(float)
    own: dict[str, float] = {}
    chain: list[str] = []
    for self_us, depth, module in reversed(rows):
        chain[depth:] = [module]
        if chain[0] != "app":
            continue  # interpreter start-up (site, encodings), not the app
        split[_group(chain)] += self_us / 1000
        if module.split(".")[0] in ("app", "chalicelib"):
            own[module] = self_us / 1000
    return dict(split), own


def _group(chain: list[str]) -> str:
    """The library of the outermost import in the chain that is not the app's own code."""
    for module in chain:
        top = module.split(".")[0]
        if top in ("app", "chalicelib"):
            continue
        for group, packages in GROUPS.items():
            if top in packages:
                return group
        return "stdlib and others"
    return "app + chalicelib (own code)"


def medians(runs: list[dict[str, float]], keep: int | None = None) -> dict[str, float]:
    """Per-key median over runs, largest first."""
    keys = {k for run in runs for k in run}
    table = {k: round(statistics.median(run.get(k, 0.0) for run in runs), 1) for k in keys}
    ordered = sorted(table.items(), key=lambda kv: -kv[1])
    return dict(ordered[:keep] if keep else ordered)


def zip_size(path: Path | None) -> tuple[int, str]:
    """Bytes of the deployment package, built fresh unless a path is given."""
    if path is not None:
        return path.stat().st_size, str(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "package"
        subprocess.run(
            [sys.executable, "-m", "deploy.package", "--api-only", "--out", str(out)],
            cwd=ROOT,
            env={
                **os.environ,
                "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            },
            check=True,
            capture_output=True,
        )
        return (out / "deployment.zip").stat().st_size, "python -m deploy.package --api-only"


def main() -> int:
    """Measure, print, write the results; exit 1 when a bar is missed (for run_all.py)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument("--zip", type=Path, default=None)
    args = parser.parse_args()

    sample(APP), sample(FLOOR)  # warm-up: byte-code caches
    app_s: list[float] = []
    floor_s: list[float] = []
    full_s: list[float] = []
    for _ in range(args.runs):
        app_s.append(sample(APP))
        floor_s.append(sample(FLOOR))
        full_s.append(sample(APP_CLIENT))
    app_ms = statistics.median(app_s) * 1000
    floor_ms = statistics.median(floor_s) * 1000
    full_ms = statistics.median(full_s) * 1000
    ratio = app_ms / floor_ms

    runs = [importtime() for _ in range(args.importtime_runs)]
    split = medians([r[0] for r in runs])
    own = medians([r[1] for r in runs], keep=6)

    size, zip_source = zip_size(args.zip)

    print(f"P6 cold start, median of {args.runs} fresh interpreters each (import only):")
    print(f"  import app (PORTAL_ENV=local)          {app_ms:8.1f} ms")
    print(f"  import boto3 + one DynamoDB client     {floor_ms:8.1f} ms")
    print(f"  ratio                                  {ratio:8.2f}   (bar ≤ {RATIO_BAR})")
    print(
        f"  import app + its own client            {full_ms:8.1f} ms"
        f"   (ratio {full_ms / floor_ms:.2f}: the first request's extra, shown only)"
    )
    print(f"`import app` by library (-X importtime, median of {args.importtime_runs}, ms):")
    for group, ms in split.items():
        print(f"  {group:38} {ms:8.1f}")
    print("slowest of the app's own modules (self time, ms):")
    for module, ms in own.items():
        print(f"  {module:38} {ms:8.1f}")
    print(f"deployment package {size / 1e6:.2f} MB (bar ≤ 10 MB)  [{zip_source}]")

    report = {
        "bar": "P6",
        "runs": args.runs,
        "app_import_ms_median": round(app_ms, 1),
        "boto3_client_ms_median": round(floor_ms, 1),
        "ratio": round(ratio, 3),
        "app_import_and_client_ms_median": round(full_ms, 1),
        "app_import_and_client_ratio": round(full_ms / floor_ms, 3),
        "ratio_bar": RATIO_BAR,
        "app_import_ms_samples": [round(s * 1000, 1) for s in app_s],
        "boto3_client_ms_samples": [round(s * 1000, 1) for s in floor_s],
        "app_import_ms_by_library": split,
        "slowest_own_modules_ms": own,
        "zip_bytes": size,
        "zip_bar_bytes": ZIP_BAR_BYTES,
        "passed": ratio <= RATIO_BAR and size <= ZIP_BAR_BYTES,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'passed' if report['passed'] else 'MISSED'}; wrote {RESULTS.relative_to(ROOT)}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
