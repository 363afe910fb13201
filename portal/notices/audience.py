"""Who gets a notice: guardians of the audience's active students, one message per address+language.

A guardian counts when active and linked to at least one active student of the audience (the
whole district, or one school); portal access does not matter for a notice. Guardians sharing an
address and a language get one message that names them all. A guardian's language is the one
their parent account chose in the portal, else the SIS's; outside en/fr/es/vi it falls back to
English. Guardians without a usable address are listed apart.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from chalicelib import languages
from chalicelib.sis import shown_name
from chalicelib.storage import accounts as stored_accounts
from chalicelib.storage import sis as mirror
from portal.addresses import normal_address

from .definition import Definition
from .render import Recipient

READERS = 8  # index queries and batch reads side by side: each mostly waits on the database


@dataclass
class Audience:
    """The recipients of one notice, in a fixed order (address, then language)."""

    recipients: list[Recipient] = field(default_factory=list)
    no_address: list[tuple[str, str]] = field(default_factory=list)  # (guardian id, language)
    students: int = 0
    guardians: int = 0


def resolve(notice: Definition) -> Audience:
    """Read the audience through the SIS mirror's index and group its guardians by address and
    language: one school's guardian links (or each school's, for the district), then the
    profiles they name, by key. Nothing is scanned."""
    schools = (
        [notice.school]
        if notice.school
        else [str(org["sourced_id"]) for org in mirror.orgs() if org.get("type") == "school"]
    )
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        links = [link for found in pool.map(mirror.links_of_school, schools) for link in found]
        student_ids = sorted({str(link["student_id"]) for link in links})
        guardian_ids = sorted({str(link["guardian_id"]) for link in links})
        profiles = list(pool.map(mirror.students, _chunks(student_ids)))
        people = list(pool.map(mirror.guardians, _chunks(guardian_ids)))
    students = {str(p["student_id"]): p for chunk in profiles for p in chunk}
    guardians = {str(g["sourced_id"]): g for chunk in people for g in chunk}
    children: dict[str, set[str]] = defaultdict(set)
    for link in links:
        student = students.get(str(link["student_id"]))
        guardian = guardians.get(str(link["guardian_id"]))
        if student and guardian and student.get("active") and guardian.get("active"):
            children[str(link["guardian_id"])].add(str(link["student_id"]))
    groups: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    audience = Audience(students=len({s for kids in children.values() for s in kids}))
    chosen = stored_accounts.chosen_languages_of(sorted(children)) if children else {}
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
        first, last = shown_name(guardian, "given_name"), shown_name(guardian, "family_name")
        names.add(f"{first} {last}".strip())
        kids.update(shown_name(students[s], "given_name") for s in children[guardian_id])
    audience.recipients = [
        Recipient(address, lang, tuple(sorted(names)), tuple(sorted(kids)))
        for (address, lang), (names, kids) in sorted(groups.items())
    ]
    return audience


def _chunks(ids: list[str], size: int = 1000) -> list[list[str]]:
    """Ids in slices, read side by side."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]
