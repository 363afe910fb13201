"""Settings (chalicelib.config): the local stack's ports and the addresses that follow them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib import config

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
VARIABLES = ("DYNAMODB_ENDPOINT_URL", "PORTAL_SITE_ORIGIN", "PORTAL_SITE_URL", "PORTAL_SITE_PORT",
             "PORTAL_API_PORT", "PORTAL_DB_PORT", "PORTAL_SMTP_PORT")  # fmt: skip


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No address or port variable set (config.load() reads the environment each time)."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_ENV", "local")
    return monkeypatch


def test_defaults(clean: pytest.MonkeyPatch) -> None:
    cfg = config.load()
    assert (cfg.site_port, cfg.api_port, cfg.db_port, cfg.smtp_port) == (8000, 8001, 8002, 8025)
    assert cfg.dynamodb_endpoint_url == "http://127.0.0.1:8002"
    assert cfg.site_origin == "http://127.0.0.1:8000"
    assert cfg.site_url == "http://127.0.0.1:8000/"


def test_addresses_follow_the_ports(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("PORTAL_SITE_PORT", "9100")
    clean.setenv("PORTAL_DB_PORT", " 9102 ")
    cfg = config.load()
    assert cfg.dynamodb_endpoint_url == "http://127.0.0.1:9102"
    assert cfg.site_origin == "http://127.0.0.1:9100"
    assert cfg.site_url == "http://127.0.0.1:9100/"


def test_explicit_addresses_win(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("PORTAL_SITE_PORT", "9100")
    clean.setenv("PORTAL_SITE_URL", "https://help.district.example")
    clean.setenv("PORTAL_SITE_ORIGIN", "https://help.district.example")
    clean.setenv("DYNAMODB_ENDPOINT_URL", "http://db.internal:8000")
    cfg = config.load()
    assert cfg.site_url == "https://help.district.example/"  # always ends with /
    assert cfg.site_origin == "https://help.district.example"
    assert cfg.dynamodb_endpoint_url == "http://db.internal:8000"


def test_aws_has_no_local_endpoint(clean: pytest.MonkeyPatch) -> None:
    clean.setenv("PORTAL_ENV", "aws")
    assert config.load().dynamodb_endpoint_url is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PORTAL_SITE_PORT", "eighty", "PORTAL_SITE_PORT must be a whole number, got 'eighty'"),
        ("PORTAL_API_PORT", "80a", "PORTAL_API_PORT must be a whole number, got '80a'"),
        ("PORTAL_DB_PORT", "0", "PORTAL_DB_PORT must be a port number from 1 to 65535, got 0"),
        ("PORTAL_SMTP_PORT", "70000", "PORTAL_SMTP_PORT must be a port number from 1 to 65535"),
    ],
)
def test_a_bad_port_fails_clearly(
    clean: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    clean.setenv(variable, value)
    with pytest.raises(SystemExit, match=re.escape(message)):
        config.load()


def test_mkdocs_defaults_agree_with_the_settings(clean: pytest.MonkeyPatch) -> None:
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    defaults = dict(re.findall(r'^\s*(\w+): !ENV \[PORTAL_\w+, "([^"]+)"\]', mkdocs, re.M))
    cfg = config.load()
    assert defaults["site_url"] == cfg.site_url
    assert defaults["api_url"] == f"http://{config.LOCAL_HOST}:{cfg.api_port}"
