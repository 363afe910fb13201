"""`chalice local` for the API, answering unknown routes with the contract's 404 JSON.

Run as `python -m portal.apiserver --port 8001`. It is Chalice's own local server, without
the autoreloader (whose forked child outlives its parent) and with API Gateway's
"Missing Authentication Token" 403 for unknown paths replaced by the 404 that the
deployed gateway answers through the template's gateway responses. It logs what the deployed
API logs (the app's one JSON line per request, no path or query string) and takes a crowd.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from http.server import BaseHTTPRequestHandler
from typing import Any

import chalice.test
from chalice import local
from chalice.cli import create_local_server
from chalice.cli.factory import CLIFactory

from chalicelib.config import LOCAL_HOST, settings

from . import paths

# Connections the kernel queues while the server is busy: Python's default of 5 reset clients
# when 20 arrived at once; a school's computer lab logs in together.
BACKLOG = 512
NOT_FOUND_BODY = json.dumps({"error": "not_found", "message": "Not found."}).encode()


class RouteNotFound(local.LocalGatewayException):
    """An unknown path, answered 404 like the deployed gateway."""

    CODE = 404


class ContractGateway(local.LocalGateway):
    """LocalGateway whose unknown routes answer `{"error": "not_found"}`."""

    def _generate_lambda_event(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._generate_lambda_event(*args, **kwargs)
        except ValueError:
            raise RouteNotFound(
                {"Content-Type": "application/json", "Cache-Control": "no-store"}, NOT_FOUND_BODY
            ) from None


def install() -> None:
    """Make every local server and test client in this process use ContractGateway."""
    local.LocalGateway = ContractGateway  # type: ignore[misc]
    chalice.test.LocalGateway = ContractGateway  # type: ignore[misc]


def _no_access_line(handler: BaseHTTPRequestHandler, format: str, *args: Any) -> None:
    """http.server's own access and error lines carry the path and the query string (ids,
    tokens): the app already writes one JSON line per request without them (QUALITY S8)."""


def main(argv: list[str] | None = None) -> int:
    """Serve the API until terminated."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=LOCAL_HOST)
    parser.add_argument("--port", type=int, default=settings().api_port)
    parser.add_argument("--stage", default="local")
    args = parser.parse_args(argv)
    install()
    local.ChaliceRequestHandler.log_message = _no_access_line
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    factory = CLIFactory(str(paths.FUNCTIONS), environ=os.environ)
    server = create_local_server(factory, args.host, args.port, args.stage)
    server.server.daemon_threads = True
    server.server.socket.listen(BACKLOG)  # Linux takes a new backlog on a listening socket
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
