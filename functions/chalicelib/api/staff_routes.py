"""The staff pages' own routes: searches, activation letters and the audit trail (a blueprint,
registered by app.py). Each checks the caller's role first (staff.authorize), before the target.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response
from chalice.app import Request

from .. import audit, directory, letters, staff
from . import incoming, models
from .web import cors, guarded, json_response

bp = Blueprint(__name__)
CORS = cors()


def _request() -> Request:
    request = bp.current_request
    assert request is not None  # Chalice sets it before calling a route
    return request


def _actor(role: str, action: str) -> audit.Actor:
    """The caller as an actor with at least `role`, or the one 403 for everyone else."""
    request = _request()
    return staff.authorize(incoming.session_of(request), role, action, incoming.ip_of(request))


def _param(name: str) -> str | None:
    return incoming.query_of(_request()).get(name)


@bp.route("/staff/students", methods=["GET"], cors=CORS)
@guarded
def staff_students() -> dict[str, Any]:
    """A teacher finds a student of their school by student ID or name."""
    actor = _actor("teacher", "student_search")
    return {"students": directory.find_students(actor, _param("q") or "", _param("school"))}


@bp.route("/staff/parents", methods=["GET"], cors=CORS)
@guarded
def staff_parents() -> dict[str, Any]:
    """A school admin finds a parent of their school by username or name, with its state."""
    actor = _actor("school_admin", "parent_search")
    return {"parents": directory.find_parents(actor, _param("q") or "", _param("school"))}


@bp.route("/staff/activation-letters", methods=["POST"], cors=CORS)
@guarded
def staff_activation_letters() -> Response:
    """A school admin issues the keys of a guardian, a class or the school, as letters."""
    actor = _actor("school_admin", "activation_letters")
    data = incoming.body_of(_request(), models.ActivationLetters)
    return json_response(letters.issue(actor, data.scope, data.id), 201)


@bp.route("/staff/audit", methods=["GET"], cors=CORS)
@guarded
def staff_audit() -> dict[str, Any]:
    """The audit trail: a school admin's school, a district admin's every school."""
    actor = _actor("school_admin", "audit_read")
    return {"entries": audit.entries(actor, dict(incoming.query_of(_request())))}


@bp.route("/staff/audit.csv", methods=["GET"], cors=CORS)
@guarded
def staff_audit_csv() -> Response:
    """The same entries as a CSV download."""
    actor = _actor("school_admin", "audit_read")
    text = audit.to_csv(audit.entries(actor, dict(incoming.query_of(_request()))))
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="audit.csv"',
    }
    return Response(body=text, status_code=200, headers=headers)
