"""OneRoster 1.1 bulk CSV layout: file names, exact headers, vocabularies (1.2: oneroster12.py)."""

from __future__ import annotations

from collections.abc import Iterable

MANIFEST = "manifest.csv"

# Exact column order of every file this product reads or writes (CONTRACT.md section 3).
HEADERS: dict[str, list[str]] = {
    "manifest.csv": ["propertyName", "value"],
    "orgs.csv": [
        "sourcedId", "status", "dateLastModified", "name", "type", "identifier",
        "parentSourcedId", "metadata.email",
    ],
    "academicSessions.csv": [
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
        "parentSourcedId", "schoolYear",
    ],
    "users.csv": [
        "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
        "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email",
        "sms", "phone", "agentSourcedIds", "grades", "password", "metadata.language",
        "metadata.preferredGivenName", "metadata.preferredMiddleName",
        "metadata.preferredFamilyName",
    ],
    "courses.csv": [
        "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode",
        "grades", "orgSourcedId", "subjects", "subjectCodes",
    ],
    "classes.csv": [
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
        "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
        "subjectCodes", "periods",
    ],
    "enrollments.csv": [
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
        "userSourcedId", "role", "primary", "beginDate", "endDate",
    ],
    "demographics.csv": [
        "sourcedId", "status", "dateLastModified", "birthDate", "sex",
        "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
        "cityOfBirth", "publicSchoolResidenceStatus",
    ],
    "categories.csv": ["sourcedId", "status", "dateLastModified", "title", "metadata.weight"],
    "lineItems.csv": [
        "sourcedId", "status", "dateLastModified", "title", "description", "assignDate",
        "dueDate", "classSourcedId", "categorySourcedId", "gradingPeriodSourcedId",
        "resultValueMin", "resultValueMax",
    ],
    "results.csv": [
        "sourcedId", "status", "dateLastModified", "lineItemSourcedId", "studentSourcedId",
        "scoreStatus", "score", "scoreDate", "comment",
    ],
    "relationships.csv": ["guardianSourcedId", "studentSourcedId", "portalAccess"],
    "households.csv": ["sourcedId", "phone", "primaryAddress", "mailingAddress",
                       "memberSourcedIds"],
    "attendance.csv": ["sourcedId", "studentSourcedId", "classSourcedId", "date", "status"],
}  # fmt: skip

# Files of the OneRoster 1.1 standard this product uses; an export must hold all of them.
CORE_FILES: tuple[str, ...] = (
    "manifest.csv",
    "orgs.csv",
    "academicSessions.csv",
    "users.csv",
    "courses.csv",
    "classes.csv",
    "enrollments.csv",
    "demographics.csv",
    "categories.csv",
    "lineItems.csv",
    "results.csv",
)
# What the manifest may say of a file, and which core files may be declared `absent`: the
# gradebook (no grades are shown without it) and demographics, which the product never reads,
# so that a problem in it is a warning, never a reason to refuse an export.
MANIFEST_VALUES: tuple[str, ...] = ("absent", "bulk", "delta")
GRADEBOOK_FILES: tuple[str, ...] = ("categories.csv", "lineItems.csv", "results.csv")
UNREAD_FILES: tuple[str, ...] = ("demographics.csv",)
# Optional files of this product's own (documented in the README), never named in the manifest.
EXTENSION_FILES: tuple[str, ...] = (
    "relationships.csv",
    "households.csv",
    "attendance.csv",
)
# Every file name OneRoster 1.1 gives a `file.<name>` manifest entry, in the standard's order.
MANIFEST_FILE_ENTRIES: tuple[str, ...] = (
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItems",
    "orgs",
    "resources",
    "results",
    "users",
)
VERSION_KEY = "oneroster.version"
VERSIONS: tuple[str, ...] = ("1.1", "1.2")
# Preferred names: standard columns of a 1.2 users.csv; a 1.1 export may carry them as extension
# columns of the same names behind the `metadata.` prefix that 1.1 gives every extension.
PREFERRED_NAMES: tuple[str, ...] = ("preferredGivenName", "preferredMiddleName",
                                    "preferredFamilyName")  # fmt: skip
SOURCE_SYSTEM_NAME = "Infinite Campus"
SOURCE_SYSTEM_CODE = "CCPS"

# Columns holding several ids or codes, comma-separated inside one quoted field.
MULTI_VALUED: dict[str, tuple[str, ...]] = {
    "users.csv": ("orgSourcedIds", "agentSourcedIds", "grades", "userIds"),
    "courses.csv": ("grades", "subjects", "subjectCodes"),
    "classes.csv": ("grades", "termSourcedIds", "subjects", "subjectCodes", "periods"),
    "households.csv": ("memberSourcedIds",),
}

GRADES: tuple[str, ...] = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
                           "11", "12")  # fmt: skip
STUDENT_ROLE = "student"
GUARDIAN_ROLES: tuple[str, ...] = ("parent", "guardian", "relative")
STAFF_ROLES: tuple[str, ...] = ("teacher", "administrator", "aide", "proctor")
ROLES: tuple[str, ...] = (STUDENT_ROLE, *GUARDIAN_ROLES, *STAFF_ROLES)
ORG_TYPES: tuple[str, ...] = ("department", "school", "district", "local", "state", "national")
SESSION_TYPES: tuple[str, ...] = ("gradingPeriod", "semester", "schoolYear", "term")
CLASS_TYPES: tuple[str, ...] = ("homeroom", "scheduled")
SCORE_STATUSES: tuple[str, ...] = (
    "exempt",
    "fully graded",
    "not submitted",
    "partially graded",
    "submitted",
)
ATTENDANCE_STATUSES: tuple[str, ...] = ("present", "excused", "unexcused", "tardy", "exempt",
                                        "unknown")  # fmt: skip


def join_ids(values: Iterable[str]) -> str:
    """Join several values into one multi-valued field (the csv writer quotes it)."""
    return ",".join(values)


def split_ids(field: str) -> list[str]:
    """Split a multi-valued field, dropping blanks around and between commas."""
    return [part.strip() for part in field.split(",") if part.strip()]


def preferred_names(row: dict[str, str]) -> tuple[str, ...]:
    """A user's preferred given, middle and family name ("" for none), from either version."""
    return tuple((row.get(c) or row.get(f"metadata.{c}") or "").strip() for c in PREFERRED_NAMES)


def manifest_rows(present: Iterable[str], version: str = "1.1",
                  entries: Iterable[str] = MANIFEST_FILE_ENTRIES) -> list[list[str]]:  # fmt: skip
    """Rows of a bulk manifest.csv naming the present core files (e.g. "users.csv")."""
    names = {name.removesuffix(".csv") for name in present}
    rows = [["manifest.version", "1.0"], [VERSION_KEY, version]]
    rows += [[f"file.{entry}", "bulk" if entry in names else "absent"]
             for entry in entries]  # fmt: skip
    rows += [["source.systemName", SOURCE_SYSTEM_NAME], ["source.systemCode", SOURCE_SYSTEM_CODE]]
    return rows
