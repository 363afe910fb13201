"""A Hypothesis state machine over the account lifecycle, against DynamoDB Local.

Rules: claim, right and wrong logins, password reset by answers, password change, reset
ticket resolved, the new-year reset, a parent's failed logins and reactivation, clock moves.
Invariants: one owner per student; no live session for a disabled or unclaimed account;
failure counters within their caps; the last acknowledged password is the one that works.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from chalicelib import activation, clock, limits, sessions, staff
from chalicelib.storage import accounts as stored_accounts
from chalicelib.storage import tables

from .support.factories import ANSWERS, add_student

STUDENTS = 2
RIGHT_ANSWERS = [{"question_id": a["question_id"], "answer": a["answer"]} for a in ANSWERS]
PASSWORDS = st.sampled_from(
    ["Lifecycle-orchid-11", "Lifecycle-walnut-22", "Lifecycle-harbor-33", "Lifecycle-comet-44"]
)


class AccountLifecycle(RuleBasedStateMachine):
    """Model: which students are claimed, their last password, and the sessions handed out."""

    def __init__(self) -> None:
        super().__init__()
        import app as app_module

        self.client = Client(app_module.app).__enter__()
        clock.reset()
        self.ids = [add_student("Robin", f"Lifecycle{i}") for i in range(STUDENTS)]
        self.password: dict[str, str | None] = dict.fromkeys(self.ids)
        self.sessions: dict[str, list[str]] = {sid: [] for sid in self.ids}
        self.dead_sessions: list[str] = []
        self.parent_sessions: list[str] = []
        self.technician = staff.add_staff(f"tech{self.ids[0]}", "technician", "org-babb")
        self.tech_name = f"tech{self.ids[0]}"

    # helpers -------------------------------------------------------------------------
    def call(self, method: str, path: str, payload: Any = None, token: str | None = None) -> Any:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps(payload).encode() if payload is not None else b""
        response = self.client.http.request(method, path, body=body, headers=headers)
        return response.status_code, (json.loads(response.body) if response.body else None)

    def login(self, sid: str, password: str) -> tuple[int, Any]:
        status, body = self.call("POST", "/login", {"username": f"S{sid}", "password": password})
        if status == 429:  # slowed down: wait as long as asked and try once more
            clock.advance(body["retry_after"] + 1)
            status, body = self.call(
                "POST", "/login", {"username": f"S{sid}", "password": password}
            )
        return status, body

    def end_sessions(self, sid: str) -> None:
        self.dead_sessions += self.sessions[sid]
        self.sessions[sid] = []

    # rules ---------------------------------------------------------------------------
    @initialize()
    def parent_account(self) -> None:
        """A parent with an account, to exercise the lockout."""
        self.parent_name = f"Lifeparent{self.ids[0]}"
        guardian = f"gdn-life-{self.ids[0]}"
        tables.put_item(
            "sis",
            {
                "pk": f"guardian#{guardian}",
                "sk": "profile",
                "sourced_id": guardian,
                "given_name": "Pat",
                "family_name": "Morgan",
                "role": "parent",
                "email": "",
                "language": "en",
                "active": True,
            },
        )
        key = activation.issue(guardian, "test")
        activation.create_account(
            key, self.parent_name, "Parent-lifecycle-55", "Parent-lifecycle-55"
        )
        self.parent_disabled = False

    @rule(i=st.integers(0, STUDENTS - 1), password=PASSWORDS)
    def claim(self, i: int, password: str) -> None:
        sid = self.ids[i]
        status, body = self.call(
            "POST",
            "/claim/start",
            {"last_name": f"Lifecycle{i}", "first_name": "Robin", "student_id": sid},
        )
        if self.password[sid] is not None:
            assert status == 409 and body["error"] == "already_claimed"
            return
        assert status == 200, body
        token = body["claim_token"]
        status, body = self.call(
            "POST",
            "/claim/password",
            {"claim_token": token, "password": password, "password_confirm": password},
        )
        if status == 400:
            assert body["error"] == "password_reused"  # used in an earlier school year
            return
        status, body = self.call(
            "POST", "/claim/answers", {"claim_token": token, "answers": RIGHT_ANSWERS}
        )
        assert status == 200, body
        self.password[sid] = password

    @rule(i=st.integers(0, STUDENTS - 1))
    def wrong_login(self, i: int) -> None:
        status, _ = self.call(
            "POST", "/login", {"username": f"S{self.ids[i]}", "password": "Definitely-wrong-00"}
        )
        assert status in (401, 429)

    @rule(i=st.integers(0, STUDENTS - 1))
    def right_login(self, i: int) -> None:
        sid = self.ids[i]
        if self.password[sid] is None:
            return
        status, body = self.login(sid, self.password[sid])
        assert status == 200, body
        self.sessions[sid].append(body["session_token"])

    @rule(i=st.integers(0, STUDENTS - 1), password=PASSWORDS)
    def reset_by_answers(self, i: int, password: str) -> None:
        sid = self.ids[i]
        status, body = self.call("POST", "/reset/start", {"username": f"S{sid}"})
        assert status == 200
        status, body = self.call(
            "POST", "/reset/answers", {"reset_token": body["reset_token"], "answers": RIGHT_ANSWERS}
        )
        if status == 429:  # 5 failed resets (while unclaimed) block self-service for 24 h
            assert body["error"] == "too_many_attempts"
            return
        if self.password[sid] is None:
            assert status == 401 and body["error"] == "reset_failed"
            return
        assert status == 200, body
        status, body = self.call(
            "POST",
            "/reset/password",
            {
                "reset_token": body["reset_token"],
                "password": password,
                "password_confirm": password,
            },
        )
        if status == 200:
            self.password[sid] = password
            self.end_sessions(sid)
        else:
            assert body["error"] == "password_reused"

    @rule(i=st.integers(0, STUDENTS - 1), password=PASSWORDS)
    def change_password(self, i: int, password: str) -> None:
        sid = self.ids[i]
        if not self.sessions[sid]:
            return
        token = self.sessions[sid][-1]
        status, body = self.call(
            "POST",
            "/me/password",
            {
                "current_password": self.password[sid],
                "new_password": password,
                "new_password_confirm": password,
            },
            token,
        )
        if status == 401:  # the session timed out meanwhile
            self.end_sessions(sid)
            return
        if status == 204:
            self.password[sid] = password
            others = self.sessions[sid][:-1]
            self.dead_sessions += others
            self.sessions[sid] = [token]
        else:
            assert body["error"] == "password_reused"

    @rule(i=st.integers(0, STUDENTS - 1))
    def ticket_resolved(self, i: int) -> None:
        sid = self.ids[i]
        key = f"s{sid}"
        account = stored_accounts.get(key)
        if account is None:
            return
        # What resolve_ticket's transaction writes.
        tables.put_item("accounts", stored_accounts.to_item(account.unclaimed()))
        self.password[sid] = None
        self.end_sessions(sid)

    @rule()
    def new_school_year(self) -> None:
        staff.reset_all_students("test")
        for sid in self.ids:
            self.password[sid] = None
            self.end_sessions(sid)

    @rule(seconds=st.sampled_from([1, 30, 600, 3700]))
    def time_passes(self, seconds: int) -> None:
        clock.advance(seconds)
        if seconds > sessions.IDLE_TIMEOUT_S:
            for sid in self.ids:
                self.end_sessions(sid)
            self.dead_sessions += self.parent_sessions
            self.parent_sessions = []

    @rule(right=st.booleans())
    def parent_login(self, right: bool) -> None:
        password = "Parent-lifecycle-55" if right else "Parent-wrong-00"
        status, body = self.call(
            "POST", "/login", {"username": self.parent_name, "password": password}
        )
        if status == 200:
            assert right and not self.parent_disabled
            self.parent_sessions.append(body["session_token"])
        elif status == 423:
            assert right
            self.parent_disabled = True
            self.dead_sessions += self.parent_sessions
            self.parent_sessions = []
        else:
            assert status == 401 and not right
            counter = tables.get_item("limits", {"pk": f"login#{self.parent_name.lower()}"}) or {}
            if int(counter.get("n", 0)) >= limits.CAP:
                self.parent_disabled = True
                self.dead_sessions += self.parent_sessions
                self.parent_sessions = []

    @precondition(lambda self: self.parent_disabled)
    @rule()
    def parent_reactivated(self) -> None:
        activation.reactivate(self.parent_name)
        self.parent_disabled = False

    # invariants ----------------------------------------------------------------------
    @invariant()
    def one_owner_per_student(self) -> None:
        generation = stored_accounts.generation()
        for sid in self.ids:
            account = tables.get_item("accounts", {"pk": f"s{sid}"})
            claimed = account is not None and account.get("claimed_gen") == generation
            assert claimed == (self.password[sid] is not None)
            if account is not None:
                assert account["student_id"] == sid

    @invariant()
    def ended_sessions_stay_ended(self) -> None:
        for token in self.dead_sessions[-6:]:
            status, _ = self.call("GET", "/me", token=token)
            assert status == 401

    @invariant()
    def failure_counters_within_caps(self) -> None:
        counter = tables.get_item("limits", {"pk": f"login#{self.parent_name.lower()}"}) or {}
        assert int(counter.get("n", 0)) <= limits.CAP

    @rule(i=st.integers(0, STUDENTS - 1))
    def last_acknowledged_password_works(self, i: int) -> None:
        sid = self.ids[i]
        if self.password[sid] is not None:
            status, body = self.login(sid, self.password[sid])
            assert status == 200, body
            self.sessions[sid].append(body["session_token"])

    def teardown(self) -> None:
        clock.reset()
        self.client.__exit__(None, None, None)


@pytest.mark.usefixtures("chalice_app")
def test_account_lifecycle() -> None:
    machine = AccountLifecycle.TestCase
    machine.settings = settings(
        max_examples=10,
        stateful_step_count=12,
        deadline=None,
        database=None,  # every run starts from fresh students; nothing to replay
        derandomize=True,  # the same sequences on every run, so CI never meets a new one first
        phases=[Phase.explicit, Phase.generate],  # shrinking would re-run argon2 for minutes
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    machine().runTest()
