"""HTTP routes of the district portal API: parse input, call one service, map errors."""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Response

from chalicelib import __version__, storage
from chalicelib.api.web import error_response, guarded, json_response, rewrite_chalice_errors
from chalicelib.errors import StorageUnavailable

app = Chalice(app_name="district-portal")
app.api.binary_types = []  # JSON only: never base64-encode a body


@app.middleware("http")
def contract_errors(event: Any, get_response: Any) -> Response:
    """Give Chalice's own error answers (405, 415, 500) the contract's JSON shape."""
    return rewrite_chalice_errors(get_response(event))


@app.route("/health", methods=["GET"])
@guarded
def health() -> Response:
    """Report whether the API can reach its database."""
    try:
        storage.ping()
    except StorageUnavailable:
        return error_response("unavailable")
    return json_response({"status": "ok", "version": __version__})
