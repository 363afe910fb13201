"""`portal run`: every part answers on its port, and Ctrl-C/SIGTERM leaves nothing behind."""

from __future__ import annotations

import signal
import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest

from . import stack as stack_mod
from .stack import Stack, descendants_alive, get


@pytest.fixture
def running(stack: Stack) -> Stack:
    """The session's `portal run`."""
    return stack


def test_api_health_answers(running: Stack) -> None:
    response = get(f"{running.api}/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_unknown_api_route_is_json_404(running: Stack) -> None:
    response = get(f"{running.api}/does-not-exist")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("lang", ["", "fr/", "es/", "vi/"])
def test_site_serves_each_language(running: Stack, lang: str) -> None:
    response = get(f"{running.site}/{lang}")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    assert running.api in response.text  # the forms call this stack's API


def test_site_404_is_the_site_page(running: Stack) -> None:
    response = get(f"{running.site}/no/such/page/")
    assert response.status_code == 404
    assert "<html" in response.text


def test_smtp_server_keeps_messages(running: Stack) -> None:
    message = EmailMessage()
    message["From"] = "test@example.org"
    message["To"] = "family@example.org"
    message["Subject"] = "Hello"
    message.set_content("Bonjour")
    with smtplib.SMTP("127.0.0.1", running.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)
    stored = list((running.data_dir / "mail").glob("*.eml"))
    assert len(stored) == 1
    assert b"Subject: Hello" in stored[0].read_bytes()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stop_leaves_no_process(tmp_path: Path, sig: int) -> None:
    stack = stack_mod.start(tmp_path, "--no-demo")
    assert descendants_alive(str(tmp_path)), "the children should be running"
    assert stack.stop(sig) == 0
    assert descendants_alive(str(tmp_path)) == []
    assert "Stopped." in stack.output.read_text()
