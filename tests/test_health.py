"""GET /health and the contract's error shape for unknown routes and bad requests."""

from __future__ import annotations

from typing import Any

import pytest

from .support.api import body


def test_health_reports_ok_and_version(api: Any) -> None:
    response = api.get("/health")
    assert response.status_code == 200
    assert body(response) == {"status": "ok", "version": "0.1.0", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_health_is_503_when_database_is_down(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import config, storage
    from portal import dynamodb_local

    closed = dynamodb_local.free_port()  # nothing listens there
    monkeypatch.setenv("DYNAMODB_ENDPOINT_URL", f"http://127.0.0.1:{closed}")
    config.settings.cache_clear()
    storage.reset_client()
    try:
        response = api.get("/health")
    finally:
        monkeypatch.undo()
        config.settings.cache_clear()
        storage.reset_client()
    assert response.status_code == 503
    assert body(response)["error"] == "unavailable"
    assert "Code" not in body(response)


def test_unknown_route_is_contract_404(api: Any) -> None:
    response = api.get("/no/such/route")
    assert response.status_code == 404
    assert body(response)["error"] == "not_found"


@pytest.mark.parametrize(
    ("method", "status", "code"),
    [("POST", 405, "method_not_allowed"), ("DELETE", 405, "method_not_allowed")],
)
def test_wrong_method_is_contract_error(api: Any, method: str, status: int, code: str) -> None:
    response = api.request(
        method, "/health", body=b"{}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status
    assert body(response)["error"] == code
    assert set(body(response)) == {"error", "message"}


def test_tables_are_created_once(dynamodb: str) -> None:
    from chalicelib import schema, storage

    assert storage.create_tables() == []  # idempotent: everything already exists
    names = {schema.table_name("test-", t) for t in schema.TABLES}
    listed = set(storage.client().list_tables()["TableNames"])
    assert names <= listed
