"""OneRoster 1.2: roles.csv, read into the model the 1.1 reader builds (a role and orgs per user).

roles.csv is read before users.csv; users() then takes each user's role and orgs from it
instead of the 1.1 columns, so both versions fill the same Export:
- the role is the user's primary role. The standard wants one primary role per org; a user
  may hold the same primary role in several orgs (a student of two schools), but primary rows
  that name different roles are an error on the later roles.csv line (the portal knows each
  person in one role), and a user without a primary role is an error on its users.csv line;
- the orgs are primaryOrgSourcedId (when users.csv gives it), then the orgs of the primary
  roles, then those of the secondary ones, each once, in file order;
- a row with status `tobedeleted` no longer counts, unless the user has no other: a user
  leaving the district keeps the role and orgs they are leaving.
Problems are reported where they are: a role row's on its roles.csv line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.sis import oneroster as ors
from portal.sis import oneroster12 as ors12
from portal.sis.csvfiles import Checker, is_tobedeleted
from portal.sis.validator import Validator


@dataclass(slots=True)
class _Held:
    """What roles.csv says of one user: primary role (first line), orgs by kind of row."""

    role: str = ""
    line: int = 0
    leaving: str = ""  # the primary role of a `tobedeleted` row, used only when no other
    left: list[str] = field(default_factory=list)  # orgs of `tobedeleted` rows, the same way
    faulty: bool = False  # a row of this user was refused: that error says enough
    primary: list[str] = field(default_factory=list)
    secondary: list[str] = field(default_factory=list)


class Roles:
    """roles.csv as read: the role and orgs of each user, for users()."""

    def __init__(self, v: Validator) -> None:
        self.v = v
        self.held: dict[str, _Held] = {}
        self.pending: list[tuple[int, str, str]] = []  # userSourcedIds, checked after users.csv

    def add(self, line: int, row: dict[str, str]) -> None:
        """One row of roles.csv, checked."""
        v, c = self.v, self.v.c
        kind = c.choice(row, "roleType", ors12.ROLE_TYPES)
        role = c.choice(row, "role", ors12.ROLES)
        org = v.ref("orgSourcedId", c.required(row, "orgSourcedId"), "orgs.csv",
                    v.export.orgs, "org")  # fmt: skip
        user = c.required(row, "userSourcedId").strip()
        if not user:
            return
        self.pending.append((line, "userSourcedId", user))
        held = self.held.setdefault(user, _Held())
        if role not in ors12.ROLES or kind not in ors12.ROLE_TYPES:
            held.faulty = True
        elif kind == ors12.PRIMARY and is_tobedeleted(row):
            held.leaving = held.leaving or ors12.as_1_1(role)
        elif kind == ors12.PRIMARY:
            if held.role and held.role != ors12.as_1_1(role):
                c.fail("role", f"second primary role {role!r} of user {user!r} (primary role "
                               f"{held.role!r} on line {held.line})")  # fmt: skip
            elif not held.role:
                held.role, held.line = ors12.as_1_1(role), line
        if org in v.export.orgs:
            kept = held.primary if kind == ors12.PRIMARY else held.secondary
            (held.left if is_tobedeleted(row) else kept).append(org)

    def of(self, row: dict[str, str]) -> tuple[str, list[str]]:
        """The role and orgs of the users.csv row being checked ("" with no primary role)."""
        v, c = self.v, self.v.c
        sid = row["sourcedId"].strip()
        first = row.get("primaryOrgSourcedId", "").strip()
        if first:
            v.ref("primaryOrgSourcedId", first, "orgs.csv", v.export.orgs, "org")
        held = self.held.get(sid, _Held())
        role = held.role or held.leaving
        if not role and not held.faulty and ors12.ROLES_FILE not in v.broken:
            c.fail("sourcedId", f"user {sid!r} has no primary role in {ors12.ROLES_FILE}")
        known = [first] if first in v.export.orgs else []
        orgs = [*held.primary, *held.secondary] or held.left
        return role, list(dict.fromkeys([*known, *orgs]))


def before_users(v: Validator) -> None:
    """A 1.2 export: read roles.csv, which then gives users() each user's role and orgs."""
    if v.manifest.get(ors.VERSION_KEY) != ors12.VERSION:
        return
    v.headers = ors12.HEADERS
    roles = Roles(v)
    seen: dict[str, int] = {}
    for line, row in v.each(ors12.ROLES_FILE):
        v.unique(row, seen)
        roles.add(line, row)
    v.roles = roles


def after_users(v: Validator) -> None:
    """A 1.2 export: every user roles.csv names is a row of users.csv."""
    if not isinstance(v.roles, Roles):
        return
    v.c = Checker(ors12.ROLES_FILE, v.errors)
    v.later(v.roles.pending, "users.csv", v.export.roles, "user")
    v.roles.pending.clear()
