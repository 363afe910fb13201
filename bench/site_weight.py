"""P5: site build cost, home-page weight and Lighthouse scores.

    .venv/bin/python bench/site_weight.py [--builds 3] [--no-lighthouse]

Side by side in one run:
  build    `mkdocs build` of all four languages vs the same site in English only
           (bar: ≤ 4.5 ×), alternating, median of --builds each;
  weight   bytes a browser transfers for our English home page vs a stock mkdocs-material
           page (one short Markdown page, default theme settings), both loaded in Debian
           Chromium; text responses counted gzip-compressed, as CloudFront serves them
           (bar: ≤ 1.2 ×; the uncompressed ratio is printed too);
  lighthouse  mobile Lighthouse (npm `lighthouse`, CHROME_PATH=/usr/bin/chromium) on the home,
           claim, login, reset, activation, parent login and portal pages in every language,
           served by `portal run`'s site server, which sends text gzip-compressed as CloudFront
           does (bars: Performance ≥ 95, Accessibility 100, Best Practices 100, SEO ≥ 90).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from common import ROOT, write_result

from chalicelib.config import LOCAL_HOST, settings
from chalicelib.languages import LANGUAGES

PAGES = [
    "",
    "students/claim/",
    "students/login/",
    "students/forgot-password/",
    "parents/activate/",
    "parents/login/",
    "portal/",
]
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"  # bench/package-lock.json


def build(config: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(out)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - started


def english_only(tmp: Path) -> Path:
    """mkdocs.yml with the other languages switched off (same docs, same theme)."""
    text = (ROOT / "mkdocs.yml").read_text()
    config = yaml.load(text, Loader=_Loader)  # noqa: S506 - our own file, with !ENV tags
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for lang in plugin["i18n"]["languages"]:
                lang["build"] = lang["locale"] == "en"
    path = ROOT / f".mkdocs-en-only-{os.getpid()}.yml"  # beside mkdocs.yml: same relative paths
    path.write_text(yaml.dump(config, allow_unicode=True))
    return path


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps mkdocs' !ENV tags as their default value."""


_Loader.add_constructor(
    "!ENV",
    lambda loader, node: (
        loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None
    ),
)


def stock_site(tmp: Path) -> Path:
    """A stock mkdocs-material site with one short page."""
    project = tmp / "stock"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Welcome\n\nA short page.\n")
    (project / "mkdocs.yml").write_text(
        "site_name: Stock\ntheme:\n  name: material\n  font: false\n"
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(project / "site")],
        check=True,
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return project / "site"


def _wire_size(response: object) -> tuple[int, int]:
    """(raw bytes, bytes on the wire with gzip as CloudFront serves text) of one response."""
    body = response.body() if response.ok else b""  # type: ignore[attr-defined]
    kind = response.headers.get("content-type", "")  # type: ignore[attr-defined]
    textual = any(t in kind for t in ("text/", "json", "javascript", "xml", "svg"))
    return len(body), len(gzip.compress(body, 6)) if textual else len(body)


def transferred(directory: Path, path: str, port: int) -> tuple[int, int]:
    """(raw, gzip) bytes Chromium downloads to show one page served from directory on port."""
    from playwright.sync_api import sync_playwright

    from portal import sitebuild

    server = sitebuild.serve(directory, port, "http://127.0.0.1:1")
    total = (0, 0)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            sizes: list[tuple[int, int]] = []
            page.on("response", lambda r: sizes.append(_wire_size(r)))
            page.goto(f"http://127.0.0.1:{port}/{path}", wait_until="networkidle")
            total = (sum(raw for raw, _ in sizes), sum(wire for _, wire in sizes))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()  # the next phase serves on the same port
    return total


def lighthouse(site: Path, port: int) -> dict[str, dict[str, float]]:
    """Mobile Lighthouse category scores for each page in each language, served on port."""
    if not LIGHTHOUSE.exists():
        # The exact Lighthouse of bench/package-lock.json, hashes checked (`make bench` does it).
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ROOT / "bench",
            check=True,
        )
    from portal import sitebuild

    server = sitebuild.serve(site, port, f"http://{LOCAL_HOST}:{settings().api_port}")
    scores: dict[str, dict[str, float]] = {}
    try:
        for lang in LANGUAGES:
            for page in PAGES:
                url = f"http://127.0.0.1:{port}/{'' if lang == 'en' else lang + '/'}{page}"
                done = subprocess.run(
                    [
                        str(LIGHTHOUSE),
                        url,
                        "--quiet",
                        "--output=json",
                        "--output-path=stdout",
                        "--only-categories=performance,accessibility,best-practices,seo",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                        "--disable-background-networking",
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                    env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                )
                if done.returncode != 0:
                    scores[url] = {"error": 1.0}
                    continue
                report = json.loads(done.stdout)
                scores[url.split(f":{port}")[1]] = {
                    name: round(cat["score"] * 100) for name, cat in report["categories"].items()
                }
    finally:
        server.shutdown()
        server.server_close()  # the next phase serves on the same port
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    from portal.dynamodb_local import free_port

    # The pages' hreflang links are absolute (site_url): build for the address they are served on.
    port = free_port()
    os.environ["PORTAL_SITE_URL"] = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        en_config = english_only(tmp)
        try:
            full, english = [], []
            for _ in range(args.builds):
                full.append(build(ROOT / "mkdocs.yml", tmp / "full"))
                english.append(build(en_config, tmp / "en"))
        finally:
            en_config.unlink()
        build_ratio = statistics.median(full) / statistics.median(english)
        ours_raw, ours = transferred(tmp / "full", "", port)
        stock_raw, stock = transferred(stock_site(tmp), "", port)
        weight_ratio = ours / stock
        scores = {} if args.no_lighthouse else lighthouse(tmp / "full", port)
        shutil.rmtree(tmp / "full", ignore_errors=True)
    bars = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 90}
    misses = [
        f"{url} {cat} {score}"
        for url, cats in scores.items()
        for cat, score in cats.items()
        if score < bars.get(cat, 101)
    ]
    result = {
        "command": f"python bench/site_weight.py --builds {args.builds}"
        + (" --no-lighthouse" if args.no_lighthouse else ""),
        "build_seconds": {
            "four_languages": statistics.median(full),
            "english_only": statistics.median(english),
        },
        "build_ratio": round(build_ratio, 2),
        "home_bytes_gzip": {"ours": ours, "stock_material": stock},
        "home_bytes_raw": {"ours": ours_raw, "stock_material": stock_raw},
        "weight_ratio": round(weight_ratio, 3),
        "lighthouse": scores,
        "lighthouse_misses": misses,
        "pass": build_ratio <= 4.5 and weight_ratio <= 1.2 and not misses,
    }
    print(
        f"build: 4 languages {statistics.median(full):.1f} s vs English only "
        f"{statistics.median(english):.1f} s = {build_ratio:.2f} × (bar ≤ 4.5)"
    )
    print(
        f"home page on the wire (text gzip-compressed, as CloudFront serves it): {ours:,} bytes"
        f" vs stock mkdocs-material {stock:,} bytes = {weight_ratio:.2f} × (bar ≤ 1.2); "
        f"uncompressed {ours_raw:,} vs {stock_raw:,} = {ours_raw / stock_raw:.2f} ×"
    )
    if scores:
        worst = {cat: min(c.get(cat, 0) for c in scores.values()) for cat in bars}
        print(
            "lighthouse (lowest over pages × languages): "
            + ", ".join(f"{cat} {score}" for cat, score in worst.items())
        )
        for miss in misses:
            print(f"  below bar: {miss}")
    write_result("site", result)
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
