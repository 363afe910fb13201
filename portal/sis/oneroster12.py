"""OneRoster 1.2 bulk CSV: what differs from 1.1, and a 1.1 user written as its 1.2 twin.

1.2 moves each user's role and orgs out of users.csv into roles.csv (one row per role and org,
`primary` or `secondary`) and gives users.csv preferred names and a primary org. Every other
file the import reads keeps its 1.1 columns (1.2 adds some the import does not need), and the
extension files and columns of 1.1 are accepted alike (validate_roles.py reads 1.2).
"""

from __future__ import annotations

from portal.sis import oneroster as ors

VERSION = "1.2"
ROLES_FILE = "roles.csv"
USERS_HEADER: list[str] = [
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds",
    "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
    "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds",
    *ors.PREFERRED_NAMES, "primaryOrgSourcedId", "pronouns", "metadata.language",
]  # fmt: skip
ROLES_HEADER: list[str] = [
    "sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate",
    "endDate", "orgSourcedId", "userProfileSourcedId",
]  # fmt: skip
HEADERS: dict[str, list[str]] = {**ors.HEADERS, "users.csv": USERS_HEADER,
                                 ROLES_FILE: ROLES_HEADER}  # fmt: skip
# Columns that may be left out: what 1.2 added to users.csv (the import reads the preferred
# names and primaryOrgSourcedId when they are there) and what roles.csv holds that it never reads.
OPTIONAL_COLUMNS: dict[str, set[str]] = {
    "users.csv": {"userMasterIdentifier", "resourceSourcedIds", *ors.PREFERRED_NAMES,
                  "primaryOrgSourcedId", "pronouns"},
    ROLES_FILE: {"beginDate", "endDate", "userProfileSourcedId"},
}  # fmt: skip
CORE_FILES: tuple[str, ...] = (*ors.CORE_FILES, ROLES_FILE)
MANIFEST_FILE_ENTRIES: tuple[str, ...] = tuple(
    sorted((*ors.MANIFEST_FILE_ENTRIES, "roles", "userProfiles"), key=str.lower)
)
PRIMARY, SECONDARY = "primary", "secondary"
ROLE_TYPES: tuple[str, ...] = (PRIMARY, SECONDARY)
# 1.2 names an administrator by office; the portal, like 1.1, knows them all as administrator
# (and takes 1.1's own word from an export that still writes it).
ADMINISTRATORS: tuple[str, ...] = ("counselor", "districtAdministrator", "principal",
                                   "siteAdministrator", "systemAdministrator")  # fmt: skip
ROLES: tuple[str, ...] = (*ors.ROLES, *ADMINISTRATORS)
TWIN_ADMINISTRATOR = "siteAdministrator"  # what a 1.1 administrator becomes in a twin


def as_1_1(role: str) -> str:
    """A 1.2 role in the 1.1 vocabulary the rest of the import speaks."""
    return "administrator" if role in ADMINISTRATORS else role


def twin(user: dict[str, str]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A 1.1 users.csv row as its 1.2 users.csv row and roles.csv rows (primary in each org)."""
    orgs = ors.split_ids(user.get("orgSourcedIds", ""))
    row = {c: user.get(c, "") for c in USERS_HEADER}
    row.update(zip(ors.PREFERRED_NAMES, ors.preferred_names(user), strict=True))
    row["primaryOrgSourcedId"] = orgs[0] if orgs else ""
    role = user.get("role", "")
    role = TWIN_ADMINISTRATOR if role == "administrator" else role
    sid = user.get("sourcedId", "")
    roles = [{"sourcedId": f"{sid}-role-{n}", "status": user.get("status", ""),
              "dateLastModified": user.get("dateLastModified", ""), "userSourcedId": sid,
              "roleType": PRIMARY, "role": role, "orgSourcedId": org}
             for n, org in enumerate(orgs, start=1)]  # fmt: skip
    return row, roles
