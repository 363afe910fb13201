"""`portal run`: every part answers on its port, and Ctrl-C/SIGTERM leaves nothing behind."""

from __future__ import annotations

import signal
import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest
import requests

from .support import mfa
from .support import stack as stack_mod
from .support.stack import Stack, demo_accounts, descendants_alive, get


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


def test_site_sends_text_gzipped_as_cloudfront_does(running: Stack) -> None:
    # requests asks for gzip and decodes it: the body reads as stored.
    page = get(f"{running.site}/vi/students/login/")
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Vary"] == "Accept-Encoding"
    assert "Content-Security-Policy" in page.headers
    assert "portal-messages" in page.text
    script = get(f"{running.site}/assets/js/portal-login.js")
    assert script.headers["Content-Encoding"] == "gzip"
    assert "javascript" in script.headers["Content-Type"]
    plain = requests.get(
        f"{running.site}/vi/students/login/", headers={"Accept-Encoding": "identity"}, timeout=10
    )
    assert "Content-Encoding" not in plain.headers
    assert plain.text == page.text
    folder = requests.get(f"{running.site}/fr", allow_redirects=False, timeout=10)
    assert folder.status_code == 301  # a folder without its slash still goes to the slash


def test_site_404_is_the_site_page(running: Stack) -> None:
    response = get(f"{running.site}/fr/no/such/page/")
    assert response.status_code == 404
    # One page for every language: English as served, with each language's texts for the
    # script that follows the address (assets/js/portal-404.js; browser test in
    # test_browser_languages.py).
    assert "This page does not exist." in response.text
    for sentence in (
        "Cette page n'existe pas.",
        "Esta página no existe.",
        "Trang này không tồn tại.",
    ):
        assert sentence in response.text
    assert "assets/js/portal-404.js" in response.text


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


def test_demo_accounts_work(running: Stack) -> None:
    accounts = demo_accounts(running)
    greg = requests.post(
        f"{running.api}/login",
        json={"username": "S0123456", "password": accounts["S0123456"][1]},
        timeout=10,
    )
    assert greg.status_code == 200 and greg.json()["role"] == "student"
    minnie = requests.post(
        f"{running.api}/login",
        json={"username": "minniec", "password": accounts["MinnieC"][1]},
        timeout=10,
    ).json()
    students = requests.get(
        f"{running.api}/students",
        timeout=10,
        headers={"Authorization": f"Bearer {minnie['session_token']}"},
    ).json()
    assert sorted(s["display_name"] for s in students["students"]) == [
        "Greg Student",
        "Marcia A. Student",
    ]
    daffy = requests.post(
        f"{running.api}/claim/start",
        timeout=10,
        json={"last_name": "Clayton", "first_name": "Daffy", "student_id": "0393354"},
    )
    assert daffy.status_code == 200
    key = next(secret for who, secret in accounts.values() if "activation key" in who)
    check = requests.post(
        f"{running.api}/activation/check", json={"activation_key": key}, timeout=10
    )
    assert check.json() == {"valid": True}
    for role in ("teacher", "technician", "schooladmin", "districtadmin"):
        # School and district admins set up their authenticator app at this first login.
        staff = mfa.login(running.api, f"demo.{role}", accounts[f"demo.{role}"][1])
        assert staff["must_change_password"] is False and staff["idle_timeout_s"] == 900


def test_data_survives_a_restart_and_demo_is_not_reloaded(tmp_path: Path) -> None:
    first = stack_mod.start(tmp_path, persistent=True)
    try:
        accounts = demo_accounts(first)
        password = accounts["S0123456"][1]
        changed = "Restart-proof-secret-9"
        token = requests.post(
            f"{first.api}/login", timeout=10, json={"username": "S0123456", "password": password}
        ).json()
        response = requests.post(
            f"{first.api}/me/password",
            timeout=30,
            headers={"Authorization": f"Bearer {token['session_token']}"},
            json={
                "current_password": password,
                "new_password": changed,
                "new_password_confirm": changed,
            },
        )
        assert response.status_code == 204
    finally:
        assert first.stop() == 0
    second = stack_mod.start(tmp_path, persistent=True)
    try:
        login = requests.post(
            f"{second.api}/login", timeout=10, json={"username": "S0123456", "password": changed}
        )
        assert login.status_code == 200  # the acknowledged write survived; no demo reload over it
        assert "Demo accounts" in second.output.read_text()
    finally:
        second.stop()
