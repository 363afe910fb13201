"""Households of the synthetic district: guardians, students and every row about a student."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from chalicelib import identity
from portal.sis.oneroster import GRADES, join_ids
from portal.synthetic import people, pools
from portal.synthetic.people import Name
from portal.synthetic.schedule import District, Section
from portal.synthetic.school_calendar import Calendar

EmitMany = Callable[[str, list[list[str]]], None]  # (file name, rows)
Kid = tuple[int, int, int]  # grade index, school index, cohort index

# Home languages (chalicelib.languages) in the order they are drawn: the order fixes the output.
LANGUAGE_WEIGHTS: dict[str, int] = {"en": 60, "es": 25, "vi": 10, "fr": 5}
_LANGUAGES, _WEIGHTS = tuple(LANGUAGE_WEIGHTS), tuple(LANGUAGE_WEIGHTS.values())
SPLIT_SHARE = 0.083  # of two-guardian homes, so about 5 % of all households
SHARED_EMAIL_SHARE = 0.12
NO_EMAIL_SHARE = 0.03
ONE_SIDED_LINK_SHARE = 0.03  # guardian rows that leave the link to the student's side
MISSING_SHARE, LATE_SHARE = 0.05, 0.08
ABSENCES = range(9)
ABSENCE_WEIGHTS = (10, 12, 14, 15, 14, 11, 9, 7, 8)  # about four rows per student
STATUSES = ("excused", "unexcused", "tardy", "exempt", "unknown", "present")
STATUS_WEIGHTS = (34, 24, 34, 4, 3, 1)
# Race columns of demographics.csv, then "two or more", weighted per community.
RACE_COLUMNS = 5
RACE_WEIGHTS = {
    "en": (1, 1, 80, 1, 12, 5),
    "es": (12, 0, 6, 2, 60, 20),
    "vi": (0, 95, 0, 0, 0, 5),
    "fr": (0, 0, 85, 0, 12, 3),
}
BORN_ABROAD = {"en": 0.03, "es": 0.4, "vi": 0.35, "fr": 0.5}


@dataclass(slots=True)
class _Guardian:
    """A guardian while their household is being written."""

    sid: str
    role: str
    name: Name
    email: str
    sms: str
    phone: str
    apart: bool  # lives in another household and may not see the students
    sex: str


class Families:
    """Writes households one by one, so memory stays flat whatever the district's size."""

    def __init__(self, rng: Random, cal: Calendar, district: District,
                 handles: people.Handles, emit: EmitMany, names: Random) -> None:  # fmt: skip
        self.rng, self.cal, self.district = rng, cal, district
        self.handles, self.emit = handles, emit
        self.names = names  # preferred names draw from their own stream: the rest stays as it was

    def household(self, kids: list[Kid], identifiers: Iterator[str]) -> None:
        """Write one household: its guardians, its students and all their rows."""
        rng = self.rng
        lang = rng.choices(_LANGUAGES, _WEIGHTS)[0]
        community = people.name_community(rng, lang)
        surname = people.family_name(rng, community)
        home_phone = people.phone(rng)
        guardians = self._guardians(community, surname, home_phone)
        students = [(people.new_id(rng), kid) for kid in kids]
        student_ids = [sid for sid, _ in students]
        schools = list(dict.fromkeys(self.district.schools[s].sid for _, (_, s, _) in students))
        users, links = [], []
        for g in guardians:
            agents = "" if rng.random() < ONE_SIDED_LINK_SHARE else join_ids(student_ids)
            name, username = g.name, self.handles.username(rng, g.name)
            row = [g.sid, "", "", "true", join_ids(schools), g.role, username, "", name.given]
            row += [name.family, name.middle, "", g.email, g.sms, g.phone, agents, "", "", lang]
            row += self._preferred(community, g.sex, name)
            users.append(row)
            access = "false" if g.apart else "true"
            links += [[g.sid, sid, access] for sid in student_ids]
        guardian_ids = join_ids(g.sid for g in guardians)
        for sid, kid in students:
            users.append(self._student(sid, kid, next(identifiers), community, surname, lang,
                                       guardian_ids))  # fmt: skip
        self.emit("users.csv", users)
        self.emit("relationships.csv", links)
        homes = []
        # A split family is two households, both listing the students (they live in both).
        for group in ([g for g in guardians if not g.apart], [g for g in guardians if g.apart]):
            if group:
                where = people.address(rng)
                members = join_ids([*(g.sid for g in group), *student_ids])
                homes.append([people.new_id(rng), group[0].phone, where,
                              people.mailing_address(rng, where), members])  # fmt: skip
        self.emit("households.csv", homes)

    def _guardians(self, community: str, surname: str, home_phone: str) -> list[_Guardian]:
        """One or two guardians; about one home in twenty is split between two addresses."""
        rng = self.rng
        if rng.random() < 0.6:
            partner_role = rng.choices(("parent", "guardian", "relative"), (90, 5, 5))[0]
            partner_sex = "male" if partner_role == "parent" else rng.choice(people.SEXES)
            cast = [("parent", "female"), (partner_role, partner_sex)]
        else:
            role, sex = rng.choices(
                (("parent", "female"), ("parent", "male"), ("guardian", "female"),
                 ("relative", "female")), (78, 10, 8, 4))[0]  # fmt: skip
            cast = [(role, sex)]
        split = len(cast) == 2 and rng.random() < SPLIT_SHARE
        out: list[_Guardian] = []
        for index, (role, sex) in enumerate(cast):
            # Vietnamese and many Latina mothers keep their own surname; so do grandparents.
            own = {"vi": 1.0, "es": 0.7}.get(community, 0.2) if sex == "female" else 0.0
            if role != "parent":
                own = 0.5
            family = people.family_name(rng, community) if rng.random() < own else surname
            name = people.adult_name(rng, community, sex, family)
            apart = split and index == 1
            if index == 1 and not apart and out[0].email and rng.random() < SHARED_EMAIL_SHARE:
                email = out[0].email
            elif rng.random() < NO_EMAIL_SHARE:
                email = ""
            else:
                email = self.handles.email(rng, name, rng.choice(pools.EMAIL_DOMAINS))
            sms = people.phone(rng) if rng.random() < 0.6 else ""
            phone = people.phone(rng) if apart else home_phone
            out.append(_Guardian(people.new_id(rng), role, name, email, sms, phone, apart, sex))
        return out

    def _student(self, sid: str, kid: Kid, identifier: str, community: str, surname: str,
                 lang: str, guardian_ids: str) -> list[str]:  # fmt: skip
        """A student's user row; writes their demographics, schedule, grades and attendance."""
        rng = self.rng
        grade, school_index, cohort = kid
        school = self.district.schools[school_index]
        sections = self.district.cohorts[(school_index, grade)][cohort]
        sex = rng.choice(people.SEXES)
        name = people.child_name(rng, community, sex, surname)
        self._demographics(sid, grade, sex, community)
        self.emit("enrollments.csv", [[people.new_id(rng), "", "", sec.sid, sec.school, sid,
                  "student", "false", sec.begin, sec.end] for sec in sections])  # fmt: skip
        self._results(sid, sections)
        self._attendance(sid, sections, homeroom=school.level == "E")
        username = identity.student_username(identifier)
        return [sid, "", "", "true", school.sid, "student", username, "", name.given,
                name.family, name.middle, identifier, "", "", "", guardian_ids, GRADES[grade],
                "", lang, *self._preferred(community, sex, name)]  # fmt: skip

    def _preferred(self, community: str, sex: str, name: Name) -> list[str]:
        """The metadata.preferred* columns of a user row: a given name now and then."""
        return [people.preferred_given(self.names, community, sex, name), "", ""]

    def _demographics(self, sid: str, grade: int, sex: str, community: str) -> None:
        """Birth date fitting the grade (5 on September 1 for kindergarten), race, birthplace."""
        rng = self.rng
        age = 5 + grade + (1 if rng.random() < 0.04 else 0)  # a few repeated a year
        latest = date(self.cal.year - 1 - age, 9, 1)
        born = latest - timedelta(days=rng.randint(0, 364))
        race = rng.choices(range(RACE_COLUMNS + 1), RACE_WEIGHTS[community])[0]
        flags = [False] * RACE_COLUMNS
        if race == RACE_COLUMNS:  # two or more: mark two of them
            for index in rng.sample(range(RACE_COLUMNS), 2):
                flags[index] = True
        else:
            flags[race] = True
        hispanic = community == "es" or rng.random() < 0.03
        places = pools.BIRTHPLACES[community]
        abroad = rng.random() < BORN_ABROAD[community]
        country, state, city = rng.choice([p for p in places if (p[0] != "US") == abroad])
        residence = "01652" if rng.random() < 0.95 else "01653"  # CEDS residence codes
        self.emit("demographics.csv", [[sid, "", "", born.isoformat(), sex,
                  *(str(f).lower() for f in flags), str(race == RACE_COLUMNS).lower(),
                  str(hispanic).lower(), country, state, city, residence]])  # fmt: skip

    def _results(self, sid: str, sections: tuple[Section, ...]) -> None:
        """Scores for most assignments; a few late (scored after the due date), a few missing."""
        rng, iso, new_id = self.rng, self.cal.iso, people.new_id
        last = len(iso) - 1
        ability = min(1.0, max(0.45, rng.gauss(0.83, 0.09)))
        rows = []
        for section in sections:
            for lid, due, points in section.line_items:
                roll = rng.random()
                if roll < MISSING_SHARE:
                    continue
                share = min(1.0, max(0.0, rng.gauss(ability, 0.08)))
                score = round(share * points * 2) / 2 if points <= 20 else round(share * points)
                if roll < MISSING_SHARE + LATE_SHARE:
                    day = min(last, due + rng.randint(1, 9))
                    comment = pools.LATE_COMMENT if rng.random() < 0.4 else ""
                else:
                    day = due
                    comment = rng.choice(pools.COMMENTS) if rng.random() < 0.04 else ""
                rows.append([new_id(rng), "", "", lid, sid, "fully graded", f"{score:g}",
                             iso[day], comment])  # fmt: skip
        self.emit("results.csv", rows)

    def _attendance(self, sid: str, sections: tuple[Section, ...], homeroom: bool) -> None:
        """A few absences and tardies; elementary schools take attendance in homeroom."""
        rng, cal = self.rng, self.cal
        count = rng.choices(ABSENCES, ABSENCE_WEIGHTS)[0]
        rows = []
        for day in sorted(rng.sample(cal.school_days, count)):
            if homeroom:
                section = sections[0]
            else:
                section = rng.choice([s for s in sections if s.first_day <= day <= s.last_day])
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            rows.append([people.new_id(rng), sid, section.sid, cal.iso[day], status])
        self.emit("attendance.csv", rows)
