"""Shared fixtures: one DynamoDB Local per test session, the API through chalice.test."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The helpers assert too: give their failures pytest's detailed messages.
pytest.register_assert_rewrite("tests.support")

from .support.api import Concurrently, in_parallel  # noqa: E402 - after the rewrite hook

ROOT = Path(__file__).resolve().parents[1]

# Settings are read once per process: fix the test environment before anything imports them.
os.environ["PORTAL_ENV"] = "local"
os.environ["PORTAL_TABLE_PREFIX"] = "test-"
os.environ.pop("DYNAMODB_ENDPOINT_URL", None)

# The fixtures that start or need DynamoDB Local, `portal run` or Chromium (and so does every
# fixture that requests one of them).
INTEGRATION_FIXTURES = frozenset(
    {"dynamodb", "fresh_tables", "chalice_app", "api", "stack", "browser", "page"}
)


@pytest.hookimpl(tryfirst=True)  # before -m deselects: a wrong mark fails every run
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test marked unit that needs a service, directly or through another fixture."""
    wrong = [
        f"{item.nodeid} needs {', '.join(sorted(needs))}"
        for item in items
        if item.get_closest_marker("unit")
        and (needs := INTEGRATION_FIXTURES.intersection(getattr(item, "fixturenames", ())))
    ]
    if wrong:
        raise pytest.UsageError(
            "a test marked unit may need neither DynamoDB Local nor Chromium nor a running"
            " stack; drop its unit mark or the fixture:\n  " + "\n  ".join(wrong)
        )


@pytest.fixture(scope="session")
def dynamodb() -> Iterator[str]:
    """A fresh in-memory DynamoDB Local on a free port, with every table created."""
    from chalicelib import config, storage
    from portal import dynamodb_local

    db = dynamodb_local.start(dynamodb_local.free_port(), None)
    os.environ["DYNAMODB_ENDPOINT_URL"] = db.url
    config.settings.cache_clear()
    storage.reset_client()
    storage.create_tables()
    try:
        yield db.url
    finally:
        db.stop()


@pytest.fixture
def fresh_tables(dynamodb: str) -> Iterator[None]:
    """Empty tables for a test that counts what it finds."""
    from chalicelib import storage

    storage.delete_tables()
    storage.create_tables()
    yield


@pytest.fixture(scope="session")
def chalice_app(dynamodb: str) -> Any:
    """The Chalice app object, as deployed."""
    from portal import apiserver

    apiserver.install()
    import app as app_module

    return app_module.app


@pytest.fixture
def api(chalice_app: Any) -> Iterator[Any]:
    """chalice.test.Client bound to the app and the session's DynamoDB Local."""
    from chalice.test import Client

    with Client(chalice_app, stage_name="local", project_dir=str(ROOT / "functions")) as client:
        yield client.http


@pytest.fixture
def concurrently(chalice_app: Any) -> Concurrently:
    """Many calls at once, each on a chalice.test client of its own (tests/support/api.py)."""
    return functools.partial(in_parallel, chalice_app)


@pytest.fixture
def setenv(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Set environment variables for one test; settings() (cached per process) reads them."""
    from chalicelib import config

    def set_variable(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        config.settings.cache_clear()

    yield set_variable
    config.settings.cache_clear()  # monkeypatch puts the variables back right after


@pytest.fixture(autouse=True)
def real_clock() -> Iterator[None]:
    """Every test starts and ends on the real clock."""
    from chalicelib import clock

    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def smtp(tmp_path: Path, setenv: Callable[[str, str], None]) -> Iterator[Path]:
    """A real local SMTP server (portal.mailserver) on a free port; yields its mail folder."""
    from portal import dynamodb_local, mailserver

    port = dynamodb_local.free_port()
    setenv("PORTAL_SMTP_PORT", str(port))
    server = mailserver.start(port, tmp_path / "mail")
    yield tmp_path / "mail"
    server.stop()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`make package` once for the session (tests/test_package*.py share it)."""
    from .support import package

    return package.build(tmp_path_factory.mktemp("aws"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One `portal run --in-memory` (with the demo district) for the whole session."""
    from .support import stack as stack_mod

    running = stack_mod.start(tmp_path_factory.mktemp("stack"))
    yield running
    running.stop()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page (no cookies or storage shared between tests)."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    yield page
    context.close()
