"""A school of its own for a staff test: guardians, links and classes in the `sis` item layout
(storage/sis.py), with the gsi2 keys the staff searches and letters read."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.storage import tables

from .factories import PASSWORD, add_student, claim, login, post, unique_student_id


def new_school() -> str:
    """A school sourcedId no other test uses."""
    return f"org-{unique_student_id()}"


def add_guardian(
    given: str, family: str, children: list[str], school: str, *, language: str = "en",
    access: bool = True,
) -> str:  # fmt: skip
    """Write an active guardian linked to students of `school`; return the sourcedId."""
    gid = f"gdn-{unique_student_id()}"
    tables.put_item(
        "sis",
        {"pk": f"guardian#{gid}", "sk": "profile", "sourced_id": gid, "given_name": given,
         "family_name": family, "role": "parent", "email": f"{gid}@example.org",
         "language": language, "active": True},
    )  # fmt: skip
    for sid in children:
        tables.put_item(
            "sis",
            {"pk": f"guardian#{gid}", "sk": f"link#{sid}", "gsi1pk": f"student#{sid}",
             "gsi1sk": f"link#{gid}", "gsi2pk": f"school#{school}",
             "gsi2sk": f"guardian#{gid}#{sid}", "guardian_id": gid, "student_id": sid,
             "portal_access": access},
        )  # fmt: skip
    return gid


def enroll(class_id: str, school: str, student_ids: list[str]) -> None:
    """Put a class on each student's schedule."""
    for sid in student_ids:
        tables.put_item(
            "sis",
            {"pk": f"student#{sid}", "sk": f"class#{class_id}", "gsi2pk": f"class#{class_id}",
             "gsi2sk": f"student#{sid}", "class_id": class_id, "title": "Homeroom",
             "school": school, "periods": ["1"], "terms": []},
        )  # fmt: skip


def activate(api: Any, guardian_id: str, username: str) -> str:
    """Create the guardian's parent account with a fresh key; return a session token."""
    from chalicelib import activation

    key = activation.issue(guardian_id, "test")
    created = post(
        api,
        "/activation/account",
        {"activation_key": key, "username": username, "password": PASSWORD,
         "password_confirm": PASSWORD},
    )  # fmt: skip
    assert created.status_code == 201, created.body
    return str(login(api, username, PASSWORD)["session_token"])


def student_token(api: Any, school: str) -> tuple[str, str]:
    """A claimed student of `school` and a session token: (student ID, token)."""
    sid = add_student(school=school)
    claim(api, sid)
    return sid, str(login(api, f"S{sid}", PASSWORD)["session_token"])


def parent_username() -> str:
    """A parent username no other test uses (letters and digits)."""
    return f"Parent{unique_student_id()}"


def decoded(response: Any) -> Any:
    """A JSON response body."""
    return json.loads(response.body)
