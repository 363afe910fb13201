"""HTTP routes of the district portal API: parse input, call one service, map errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, TypeVar

from chalice import Chalice, Response
from chalice.app import Request
from pydantic import BaseModel

from chalicelib import (
    __version__,
    accesslog,
    activation,
    claim,
    languages,
    limits,
    login,
    lookups,
    me,
    mfa,
    noticeboard,
    parents_admin,
    questions,
    reset,
    sessions,
    staff,
    staff_accounts,
    storage,
)
from chalicelib.api import models
from chalicelib.api.web import (
    client_ip,
    cors,
    error_response,
    guarded,
    json_response,
    language,
    log_request,
    parse_model,
    rewrite_chalice_errors,
)
from chalicelib.config import settings
from chalicelib.errors import StorageUnavailable

M = TypeVar("M", bound=BaseModel)

app = Chalice(app_name="district-portal")
logging.getLogger("portal.api").setLevel(logging.INFO)
app.api.binary_types = []  # JSON only: never base64-encode a body
CORS = cors()


@app.middleware("http")
def contract_errors(event: Any, get_response: Any) -> Response:
    """Contract-shaped errors for Chalice's own answers, and one log line per request."""
    started = time.perf_counter()
    response = rewrite_chalice_errors(get_response(event))
    log_request(event, response.status_code, started)
    return response


def current() -> Request:
    """The request being served (Chalice sets it before calling a route)."""
    request = app.current_request
    assert request is not None
    return request


def query() -> Mapping[str, str]:
    """The query string's parameters (empty when there are none)."""
    params: Mapping[str, str] | None = current().query_params
    return params or {}


def body(model: type[M]) -> M:
    """The current request's JSON body, validated against model."""
    request = current()
    return parse_model(model, request.raw_body, request.headers.get("content-type"))


def lang(default: str = languages.DEFAULT) -> str:
    """The language asked for by ?lang= or Accept-Language, else default."""
    return language(query(), current().headers.get("accept-language"), default)


def caller_lang(caller: sessions.Session) -> str:
    """The caller's language: asked for explicitly, else the one a parent chose or the SIS's."""
    return lang(
        me.language_of(caller.account) if caller.account.role == "parent" else languages.DEFAULT
    )


def ip() -> str:
    """The caller's IP address, as far as the configured proxies can be trusted."""
    request = current()
    source = request.context.get("identity", {}).get("sourceIp")
    return client_ip(source, request.headers.get("x-forwarded-for"), settings().trusted_proxy_hops)


def session(allow_password_change: bool = False) -> sessions.Session:
    """The caller's session from the Authorization header."""
    return sessions.authenticate(
        current().headers.get("authorization"),
        allow_password_change=allow_password_change,
    )


def no_content() -> Response:
    """204 with no body."""
    return Response(body="", status_code=204)


@app.route("/health", methods=["GET"], cors=CORS)
@guarded
def health() -> Response:
    """Report whether the API can reach its database."""
    try:
        storage.ping()
    except StorageUnavailable:
        return error_response("unavailable")
    return json_response({"status": "ok", "version": __version__, "database": "ok"})


# Claim ---------------------------------------------------------------------------------------


@app.route("/claim/questions", methods=["GET"], cors=CORS)
@guarded
def claim_questions() -> dict[str, Any]:
    """The 8 challenge questions in the caller's language."""
    return {"questions": questions.questions(lang())}


@app.route("/claim/start", methods=["POST"], cors=CORS)
@guarded
def claim_start() -> dict[str, Any]:
    """Check a student's identity and open a claim."""
    data = body(models.ClaimStart)
    limits.per_ip("claim", ip())
    return {"claim_token": claim.start(data.last_name, data.first_name, data.student_id)}


@app.route("/claim/password", methods=["POST"], cors=CORS)
@guarded
def claim_password() -> dict[str, Any]:
    """Choose the password of the account being claimed."""
    data = body(models.ClaimPassword)
    return {"username": claim.set_password(data.claim_token, data.password, data.password_confirm)}


@app.route("/claim/answers", methods=["POST"], cors=CORS)
@guarded
def claim_answers() -> dict[str, Any]:
    """Save 3 challenge answers and complete the claim."""
    data = body(models.ClaimAnswers)
    answers = [(a.question_id, a.answer) for a in data.answers]
    return {"username": claim.save_answers(data.claim_token, answers), "status": "claimed"}


# Login and sessions --------------------------------------------------------------------------


@app.route("/login/identify", methods=["POST"], cors=CORS)
@guarded
def login_identify() -> dict[str, Any]:
    """Step one of the login: the username."""
    return login.identify(body(models.Identify).username)


@app.route("/login", methods=["POST"], cors=CORS)
@guarded
def login_password() -> dict[str, Any]:
    """Step two of the login: the password; opens a session."""
    data = body(models.Login)
    return login.login(data.username, data.password, ip())


@app.route("/login/mfa", methods=["POST"], cors=CORS)
@guarded
def login_mfa() -> dict[str, Any]:
    """Step three for administrators: a TOTP or recovery code; opens the session."""
    data = body(models.MfaCode)
    return mfa.login(data.mfa_token, data.code, ip())


@app.route("/login/mfa/enroll", methods=["POST"], cors=CORS)
@guarded
def login_mfa_enroll() -> dict[str, Any]:
    """An administrator's first login: the TOTP secret and its QR code."""
    return mfa.enroll(body(models.MfaToken).mfa_token)


@app.route("/login/mfa/confirm", methods=["POST"], cors=CORS)
@guarded
def login_mfa_confirm() -> dict[str, Any]:
    """The first code from the app: enrollment saved, session opened, recovery codes shown once."""
    data = body(models.MfaCode)
    return mfa.confirm(data.mfa_token, data.code, ip())


@app.route("/logout", methods=["POST"], cors=CORS)
@guarded
def logout() -> Response:
    """End the caller's session."""
    sessions.end(current().headers.get("authorization"))
    return no_content()


@app.route("/me", methods=["GET"], cors=CORS)
@guarded
def me_profile() -> dict[str, Any]:
    """Who the caller is."""
    return me.profile(session())


@app.route("/me/password", methods=["POST"], cors=CORS)
@guarded
def me_password() -> Response:
    """Change the caller's password (also a temporary one)."""
    current = session(allow_password_change=True)
    data = body(models.ChangePassword)
    me.change_password(current, data.current_password, data.new_password, data.new_password_confirm)
    return no_content()


@app.route("/me/language", methods=["PUT"], cors=CORS)
@guarded
def me_language() -> Response:
    """Choose the caller's language (portal, emails, letters); the SIS import keeps it."""
    caller = session()
    me.choose_language(caller, body(models.ChooseLanguage).language)
    return no_content()


@app.route("/me/access-log", methods=["GET"], cors=CORS)
@guarded
def me_access_log() -> dict[str, Any]:
    """The caller's login attempts, newest first."""
    return {"entries": accesslog.entries(session().username)}


# Password reset ------------------------------------------------------------------------------


@app.route("/reset/start", methods=["POST"], cors=CORS)
@guarded
def reset_start() -> dict[str, Any]:
    """Start a password reset: the user's 3 questions."""
    return reset.start(body(models.ResetStart).username, lang())


@app.route("/reset/answers", methods=["POST"], cors=CORS)
@guarded
def reset_answers() -> dict[str, Any]:
    """Check the 3 answers together."""
    data = body(models.ResetAnswers)
    answers = [(a.question_id, a.answer) for a in data.answers]
    return {"reset_token": reset.check_answers(data.reset_token, answers)}


@app.route("/reset/password", methods=["POST"], cors=CORS)
@guarded
def reset_password() -> dict[str, Any]:
    """Choose the new password."""
    data = body(models.ResetPassword)
    return {"username": reset.set_password(data.reset_token, data.password, data.password_confirm)}


# Staff ---------------------------------------------------------------------------------------


@app.route("/staff/reset-tickets", methods=["POST"], cors=CORS)
@guarded
def ticket_open() -> Response:
    """A teacher files a reset ticket for a student."""
    caller = session()
    data = body(models.TicketCreate)
    return json_response(staff.open_ticket(caller, data.student_id, data.reason), 201)


@app.route("/staff/reset-tickets", methods=["GET"], cors=CORS)
@guarded
def ticket_list() -> dict[str, Any]:
    """Tickets of the caller's school."""
    params = query()
    tickets = staff.list_tickets(session(), params.get("status", "open"), params.get("school"))
    return {"tickets": tickets}


@app.route("/staff/reset-tickets/{ticket_id}/resolve", methods=["POST"], cors=CORS)
@guarded
def ticket_resolve(ticket_id: str) -> dict[str, Any]:
    """A technician resolves a ticket; the student claims the account again."""
    return staff.resolve_ticket(session(), ticket_id)


@app.route("/staff/students/reset-all", methods=["POST"], cors=CORS)
@guarded
def students_reset_all() -> dict[str, Any]:
    """The new-school-year reset of every student account."""
    caller = session()
    staff.require(caller, "district_admin")
    return {"status": "reset", "generation": staff.reset_all_students(caller.username)}


@app.route("/staff/accounts", methods=["GET"], cors=CORS)
@guarded
def staff_account_list() -> dict[str, Any]:
    """Every staff account (district_admin)."""
    return {"accounts": staff_accounts.list_accounts(session())}


@app.route("/staff/accounts", methods=["POST"], cors=CORS)
@guarded
def staff_account_create() -> Response:
    """Add a staff account with a temporary password (district_admin)."""
    caller = session()
    data = body(models.StaffAccountCreate)
    created = staff_accounts.create(caller, data.username, data.role, data.school, ip())
    return json_response(created, 201)


@app.route("/staff/accounts/{username}/disable", methods=["POST"], cors=CORS)
@guarded
def staff_account_disable(username: str) -> dict[str, Any]:
    """Disable a staff account; its sessions end at once (district_admin)."""
    return staff_accounts.disable(session(), username, ip())


@app.route("/staff/accounts/{username}/mfa-reset", methods=["POST"], cors=CORS)
@guarded
def staff_account_mfa_reset(username: str) -> dict[str, Any]:
    """Forget a staff member's authenticator app (district_admin)."""
    return staff_accounts.reset_mfa(session(), username, ip())


@app.route("/staff/parents/{username}/reactivate", methods=["POST"], cors=CORS)
@guarded
def parent_reactivate(username: str) -> dict[str, Any]:
    """A school admin lifts a parent's lock."""
    return parents_admin.reactivate(session(), username)


@app.route("/staff/parents/{username}/temporary-password", methods=["POST"], cors=CORS)
@guarded
def parent_temporary_password(username: str) -> dict[str, Any]:
    """A school admin issues a temporary password."""
    return parents_admin.temporary_password(session(), username)


@app.route("/staff/activation-keys", methods=["POST"], cors=CORS)
@guarded
def staff_activation_key() -> Response:
    """A school admin issues a guardian's activation key."""
    caller = session()
    data = body(models.KeyIssue)
    return json_response(parents_admin.new_key(caller, data.guardian_id), 201)


# Parent activation ---------------------------------------------------------------------------


@app.route("/activation/check", methods=["POST"], cors=CORS)
@guarded
def activation_check() -> dict[str, Any]:
    """Whether an activation key can still be used."""
    data = body(models.ActivationCheck)
    limits.per_ip("activation", ip())
    return activation.check(data.activation_key)


@app.route("/activation/account", methods=["POST"], cors=CORS)
@guarded
def activation_account() -> Response:
    """Create a parent account with an activation key."""
    data = body(models.ActivationAccount)
    limits.per_ip("activation", ip())
    username = activation.create_account(
        data.activation_key, data.username, data.password, data.password_confirm
    )
    return json_response({"username": username}, 201)


# Portal look-ups -----------------------------------------------------------------------------


@app.route("/students", methods=["GET"], cors=CORS)
@guarded
def students_list() -> dict[str, Any]:
    """The students the caller may see."""
    return lookups.students(session())


@app.route("/students/{student_id}/schedule", methods=["GET"], cors=CORS)
@guarded
def student_schedule(student_id: str) -> dict[str, Any]:
    """A student's classes by period and term."""
    return lookups.schedule(session(), student_id)


@app.route("/students/{student_id}/attendance", methods=["GET"], cors=CORS)
@guarded
def student_attendance(student_id: str) -> dict[str, Any]:
    """A student's attendance records."""
    return lookups.attendance(session(), student_id)


@app.route("/students/{student_id}/grades", methods=["GET"], cors=CORS)
@guarded
def student_grades(student_id: str) -> dict[str, Any]:
    """A student's assignments and scores."""
    return lookups.grades(session(), student_id)


@app.route("/students/{student_id}/calendar", methods=["GET"], cors=CORS)
@guarded
def student_calendar(student_id: str) -> dict[str, Any]:
    """A student's days: terms, due dates, attendance."""
    caller = session()
    params = query()
    return lookups.calendar(caller, student_id, params.get("from"), params.get("to"))


@app.route("/household", methods=["GET"], cors=CORS)
@guarded
def household() -> dict[str, Any]:
    """The caller's household: phone, addresses, members."""
    return lookups.households(session())


@app.route("/notices", methods=["GET"], cors=CORS)
@guarded
def notices() -> dict[str, Any]:
    """District and school notices in the caller's language."""
    caller = session()
    return noticeboard.for_caller(caller, caller_lang(caller))


@app.route("/notices/{notice_id}/read", methods=["POST"], cors=CORS)
@guarded
def notice_read(notice_id: str) -> Response:
    """Mark a notice as read."""
    caller = session()
    noticeboard.mark_read(caller, notice_id, caller_lang(caller))
    return no_content()
