"""Build the static site with mkdocs and serve it locally with the site's headers."""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chalicelib.config import LOCAL_HOST

from . import paths


def build(api_url: str, site_url: str, out_dir: Path = paths.BUILD_SITE) -> Path:
    """Run `mkdocs build --strict` so the forms call api_url; return the output folder."""
    env = {**os.environ, "PORTAL_API_URL": api_url, "PORTAL_SITE_URL": site_url}
    env["NO_MKDOCS_2_WARNING"] = "1"  # the upstream end-of-life banner is not for our users
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--config-file",
            str(paths.MKDOCS_YML),
            "--site-dir",
            str(out_dir),
        ],
        check=True,
        env=env,
        cwd=paths.ROOT,
    )
    return out_dir


# An inline <script> element; those with a src or a JSON data block are not inline code.
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
NOT_CODE = re.compile(r"\bsrc=|application/json")


def inline_script_hashes(site_dir: Path) -> list[str]:
    """CSP sources ('sha256-…') for every distinct inline script in the built site, sorted.

    The theme writes a few small inline scripts (its base URL differs with a page's depth);
    allowing exactly these keeps 'unsafe-inline' out of script-src.
    """
    found: set[str] = set()
    for page in site_dir.rglob("*.html"):
        for match in INLINE_SCRIPT.finditer(page.read_text(encoding="utf-8")):
            if NOT_CODE.search(match.group("attrs")):
                continue
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(found)


def content_security_policy(api_url: str, site_dir: Path) -> str:
    """The CSP the built site in site_dir is served with: nothing but the site and the API."""
    # A source with a path would match that path only, so the API is named by its origin.
    parts = urlsplit(api_url)
    api_origin = f"{parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            f"connect-src 'self' {api_origin}",
            "img-src 'self' data:",
            # Our stylesheet is inlined in each page (site/hooks/minify.py) and the theme sets
            # style attributes from its scripts; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            " ".join(["script-src 'self'", *inline_script_hashes(site_dir)]),
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# What CloudFront compresses (its list of compressible types, as the site uses them).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@functools.lru_cache(maxsize=512)
def gzipped(path: str, modified: float) -> bytes:
    """The file's gzip body, made once per version of the file."""
    return gzip.compress(Path(path).read_bytes(), 6, mtime=int(modified))


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with security headers, gzip and the site's own 404 page, as CloudFront
    serves them."""

    csp = ""

    def do_GET(self) -> None:
        """Send text gzip-compressed to a client that accepts it; anything else as stored."""
        if not self.send_compressed():
            super().do_GET()

    def do_HEAD(self) -> None:
        """Headers of what GET would send."""
        if not self.send_compressed(body=False):
            super().do_HEAD()

    def send_compressed(self, body: bool = True) -> bool:
        """Answer with the gzip body of a compressible file; False when this does not apply
        (no gzip asked for, a folder without its slash, a missing or binary file)."""
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return False
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return False  # the stock handler redirects to the slash
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not path.is_file() or not kind.startswith(COMPRESSIBLE):
            return False
        data = gzipped(str(path), path.stat().st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)
        return True

    def end_headers(self) -> None:
        """Add the headers CloudFront adds in AWS."""
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer 404 with the built 404.html, like the S3 error document."""
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep the terminal for the summary; requests are not logged."""


def serve(directory: Path, port: int, api_url: str, host: str = LOCAL_HOST) -> ThreadingHTTPServer:
    """Serve directory on host:port from a daemon thread; call `.shutdown()` to stop."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    SiteHandler.csp = content_security_policy(api_url, directory)
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="site", daemon=True).start()
    return server
