"""Who gets a notice: guardians of the audience's active students, one message per address+language.

A guardian counts when active and linked to at least one active student of the audience (the
whole district, or one school); portal access does not matter for a notice. Guardians sharing an
address and a language get one message that names them all. A guardian's language is the one
their parent account chose in the portal, else the SIS's; outside en/fr/es/vi it falls back to
English. Guardians without a usable address are listed apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from chalicelib import languages
from chalicelib.storage import accounts as stored_accounts
from chalicelib.storage import sis as mirror
from portal.addresses import normal_address

from .definition import Definition
from .render import Recipient


@dataclass
class Audience:
    """The recipients of one notice, in a fixed order (address, then language)."""

    recipients: list[Recipient] = field(default_factory=list)
    no_address: list[tuple[str, str]] = field(default_factory=list)  # (guardian id, language)
    students: int = 0
    guardians: int = 0


def resolve(notice: Definition) -> Audience:
    """Read the SIS mirror and group the audience's guardians by address and language."""
    students: dict[str, tuple[str, str, bool]] = {}  # identifier → (given name, school, active)
    guardians: dict[str, dict[str, object]] = {}
    links: list[tuple[str, str]] = []
    for item in mirror.people():
        pk, sk = item["pk"], item["sk"]
        if pk.startswith("student#") and sk == "profile":
            students[pk[8:]] = (
                str(item.get("given_name", "")),
                str(item.get("school", "")),
                bool(item.get("active")),
            )
        elif pk.startswith("guardian#") and sk == "profile":
            guardians[pk[9:]] = item
        elif pk.startswith("guardian#") and sk.startswith("link#"):
            links.append((pk[9:], sk[5:]))
    school = notice.school
    children: dict[str, set[str]] = defaultdict(set)
    for guardian_id, student_id in links:
        student = students.get(student_id)
        guardian = guardians.get(guardian_id)
        if not student or not guardian or not student[2] or not guardian.get("active"):
            continue
        if school is None or student[1] == school:
            children[guardian_id].add(student_id)
    groups: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    audience = Audience(students=len({s for kids in children.values() for s in kids}))
    chosen = stored_accounts.chosen_languages_of_guardians() if children else {}
    for guardian_id in sorted(children):
        guardian = guardians[guardian_id]
        lang = chosen.get(guardian_id) or str(guardian.get("language") or languages.DEFAULT)
        lang = lang if lang in languages.LANGUAGES else languages.DEFAULT
        address = normal_address(str(guardian.get("email", "")))
        audience.guardians += 1
        if address is None:
            audience.no_address.append((guardian_id, lang))
            continue
        names, kids = groups.setdefault((address, lang), (set(), set()))
        names.add(f"{guardian.get('given_name', '')} {guardian.get('family_name', '')}".strip())
        kids.update(students[s][0] for s in children[guardian_id])
    audience.recipients = [
        Recipient(address, lang, tuple(sorted(names)), tuple(sorted(kids)))
        for (address, lang), (names, kids) in sorted(groups.items())
    ]
    return audience
