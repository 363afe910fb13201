"""Build the static site with mkdocs and serve it locally with the site's headers."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


def content_security_policy(api_url: str) -> str:
    """The CSP every page is served with: nothing but this site and the API's origin."""
    # A source with a path would match that path only, so the API is named by its origin.
    parts = urlsplit(api_url)
    api_origin = f"{parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            f"connect-src 'self' {api_origin}",
            "img-src 'self' data:",
            "style-src 'self' 'unsafe-inline'",
            "script-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with security headers and the site's own 404 page."""

    csp = ""

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


def serve(directory: Path, port: int, api_url: str, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Serve directory on host:port from a daemon thread; call `.shutdown()` to stop."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    SiteHandler.csp = content_security_policy(api_url)
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="site", daemon=True).start()
    return server
