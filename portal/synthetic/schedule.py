"""District layout of a synthetic export: schools, teachers, courses, classes and gradebooks."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from random import Random

from portal.sis.oneroster import GRADES, join_ids
from portal.synthetic import people, pools
from portal.synthetic.school_calendar import Calendar

Emit = Callable[[str, list[str]], None]  # (file name, row)

DISTRICT_NAME = "Clayton County Public Schools"
LEVEL_GRADES = {"E": range(0, 6), "M": range(6, 9), "H": range(9, 13)}
COHORT_SIZE = {"E": 22, "M": 26, "H": 26}  # students who share one timetable
PERIODS = 6
CORE = ("Language Arts", "Mathematics", "Science", "Social Studies")
SPECIALS = ("Art", "Music", "Physical Education")
ELECTIVES = {
    "M": ("Band", "Chorus", "Visual Art", "Spanish I", "Computer Science"),
    "H": ("Spanish I", "French I", "Band", "Visual Art", "Computer Science"),
}
HIGH_TITLES = {
    "Language Arts": ("Ninth Grade Literature", "World Literature", "American Literature",
                      "British Literature"),
    "Mathematics": ("Algebra I", "Geometry", "Algebra II", "Pre-Calculus"),
    "Science": ("Biology", "Physical Science", "Chemistry", "Environmental Science"),
    "Social Studies": ("World Geography", "World History", "US History", "Economics"),
}  # fmt: skip
CODES = {
    "Homeroom": "HR", "Language Arts": "LA", "Mathematics": "MATH", "Science": "SCI",
    "Social Studies": "SOC", "Art": "ART", "Music": "MUS", "Physical Education": "PE",
    "Health": "HLTH", "Band": "BAND", "Chorus": "CHOR", "Visual Art": "VART",
    "Spanish I": "SPAN1", "French I": "FREN1", "Computer Science": "CS",
}  # fmt: skip
ROOMS = {
    "Physical Education": "Gym", "Art": "Art Room", "Visual Art": "Art Room",
    "Music": "Music Room", "Band": "Band Room", "Chorus": "Chorus Room",
}  # fmt: skip
# Gradebook schemes: (category, weight, points possible); each class's weights add up to 100.
# Elementary ones are the parent guide's example (50, 15, 5) with the tests that complete it.
SCHEMES = {
    "E": (("Classwork", 50, 20), ("Quiz", 15, 20), ("Homework", 5, 10), ("Tests", 30, 50)),
    "S": (("Homework", 20, 10), ("Quizzes", 30, 20), ("Tests", 50, 100)),
    "other": (("Classwork", 60, 20), ("Projects", 40, 50)),
}
ITEMS_PER_CLASS = {"E": 5, "S": 5, "other": 2}
TITLES = {
    "Classwork": "{} Classwork", "Quiz": "Quiz: {}", "Quizzes": "Quiz: {}",
    "Homework": "{} Homework", "Tests": "Test: {}", "Projects": "{} Project",
}  # fmt: skip
WHOLE_YEAR, FIRST_HALF, SECOND_HALF = (0, 1, 2, 3), (0, 1), (2, 3)


@dataclass(frozen=True, slots=True)
class Section:
    """One class, with what the student rows about it need."""

    sid: str
    school: str
    first_day: int
    last_day: int
    begin: str
    end: str
    line_items: tuple[tuple[str, int, int], ...]  # sourcedId, due day index, points possible


@dataclass(frozen=True, slots=True)
class School:
    """A school org of the district."""

    sid: str
    name: str
    level: str


@dataclass
class District:
    """What student rows refer to: schools and each cohort's classes (homeroom first)."""

    sid: str
    schools: list[School]
    cohorts: dict[tuple[int, int], list[tuple[Section, ...]]]  # (school, grade) → cohorts


def school_levels(students: int) -> list[str]:
    """Level of each school: about one school per 600 students, at least one per level."""
    total = max(3, round(students / 600))
    middle, high = max(1, int(total * 0.22)), max(1, int(total * 0.25))
    return ["E"] * max(1, total - middle - high) + ["M"] * middle + ["H"] * high


def cohort_count(level: str, students: int) -> int:
    """How many cohorts (timetables) a grade of `students` students needs."""
    return max(1, math.ceil(students / COHORT_SIZE[level]))


def write_district(
    rng: Random,
    cal: Calendar,
    levels: list[str],
    counts: Mapping[tuple[int, int], int],
    emit: Emit,
    handles: people.Handles,
) -> District:
    """Write orgs, sessions, courses, classes, gradebooks and teachers; return the layout."""
    return _Builder(rng, cal, emit, handles).build(levels, counts)


class _Builder:
    """Writes the district's fixed rows while it lays out classes cohort by cohort."""

    def __init__(self, rng: Random, cal: Calendar, emit: Emit, handles: people.Handles) -> None:
        self.rng, self.cal, self.emit, self.handles = rng, cal, emit, handles
        self.courses: dict[tuple[int, int, str], tuple[str, str]] = {}
        self.teachers: dict[tuple[object, ...], tuple[str, str]] = {}
        self.rooms: dict[tuple[int, str], int] = {}
        self.employee = rng.randint(100000, 400000)
        self.schools: list[School] = []
        self.year_sid = ""
        self.term_sids: list[str] = []

    def build(self, levels: list[str], counts: Mapping[tuple[int, int], int]) -> District:
        """Lay out every school's cohorts in a fixed order."""
        district = self._orgs(levels)
        self._sessions()
        cohorts: dict[tuple[int, int], list[tuple[Section, ...]]] = {}
        for s, school in enumerate(self.schools):
            slot = 0  # elementary specials rotate through the whole school
            for g in LEVEL_GRADES[school.level]:
                n = counts.get((s, g), 0)
                if not n:
                    continue
                row = []
                for j in range(cohort_count(school.level, n)):
                    if school.level == "E":
                        row.append(self._elementary(s, g, j, slot))
                        slot += 1
                    else:
                        row.append(self._secondary(s, g, j))
                cohorts[(s, g)] = row
        return District(district, self.schools, cohorts)

    def _orgs(self, levels: list[str]) -> str:
        """District and school orgs; each school name is used once per level."""
        district = people.new_id(self.rng)
        self.emit("orgs.csv", [district, "", "", DISTRICT_NAME, "district", "CCPS", "", ""])
        names = {lv: self.rng.sample(pools.SCHOOL_NAMES, len(pools.SCHOOL_NAMES)) for lv in "EMH"}
        used = {lv: 0 for lv in "EMH"}
        for index, level in enumerate(levels):
            n = used[level]
            used[level] += 1
            base = names[level][n % len(names[level])]
            # Past the pool, number the names rather than invent implausible ones.
            suffix = f" No. {n // len(names[level]) + 1}" if n >= len(names[level]) else ""
            name = f"{base} {pools.LEVEL_SUFFIX[level]}{suffix}"
            sid = people.new_id(self.rng)
            number = f"{(index + 1) * 100 + self.rng.randint(1, 99):04d}"
            office = f"office{number}@{pools.STAFF_EMAIL_DOMAIN}"  # the school's front office
            self.emit("orgs.csv", [sid, "", "", name, "school", number, district, office])
            self.schools.append(School(sid, name, level))
        return district

    def _sessions(self) -> None:
        """The school year and its four terms."""
        cal, year = self.cal, self.cal.year
        self.year_sid = people.new_id(self.rng)
        self.emit("academicSessions.csv", [self.year_sid, "", "", f"{year - 1}-{year}",
                  "schoolYear", cal.iso[0], cal.iso[-1], "", str(year)])  # fmt: skip
        for index, (first, last) in enumerate(cal.terms):
            sid = people.new_id(self.rng)
            self.term_sids.append(sid)
            self.emit("academicSessions.csv", [sid, "", "", f"Term {index + 1}", "term",
                      cal.iso[first], cal.iso[last], self.year_sid, str(year)])  # fmt: skip

    def _elementary(self, s: int, g: int, j: int, slot: int) -> tuple[Section, ...]:
        """Homeroom, four core classes with the homeroom teacher, one special per semester."""
        label = "K" if g == 0 else str(g)
        teacher = self._teacher(s, ("homeroom", g, j), "")
        special_period = slot % PERIODS + 1
        periods = [p for p in range(1, PERIODS + 1) if p != special_period]
        out = [self._section(s, g, j, f"Homeroom {label}", "Homeroom", "HR", WHOLE_YEAR,
                             teacher, None)]  # fmt: skip
        for subject, period in zip(CORE, periods, strict=False):
            out.append(self._section(s, g, j, f"{subject} {label}", subject, str(period),
                                     WHOLE_YEAR, teacher, "E"))  # fmt: skip
        # Six consecutive cohorts share a block: one specials teacher, six distinct periods.
        block = slot // PERIODS
        for half, terms in enumerate((FIRST_HALF, SECOND_HALF)):
            index = (block + half) % len(SPECIALS)
            subject = SPECIALS[index]
            rest = (index - half) % len(SPECIALS)
            nth = (block - rest + 2) // len(SPECIALS)  # earlier blocks with this special
            who = self._teacher(s, ("special", subject, half, nth), ROOMS[subject])
            out.append(self._section(s, g, j, subject, subject, str(special_period), terms,
                                     who, "other"))  # fmt: skip
        return tuple(out)

    def _secondary(self, s: int, g: int, j: int) -> tuple[Section, ...]:
        """Six periods; a rotation by cohort keeps each teacher's five sections apart."""
        level = self.schools[s].level
        electives = ELECTIVES[level]
        elective = electives[(j + g) % len(electives)]
        plan: list[tuple[str, str, tuple[int, ...], object]] = [
            (subject, subject, WHOLE_YEAR, j // 5) for subject in CORE
        ]
        plan.append((elective, elective, WHOLE_YEAR, ("elective", j // 25)))
        if level == "H":
            plan.append(("Physical Education", "Physical Education", FIRST_HALF, j // 5))
            plan.append(("Health", "Health", SECOND_HALF, j // 5))
        else:
            plan.append(("Physical Education", "Physical Education", WHOLE_YEAR, j // 5))
        out = []
        for k, (title, subject, terms, group) in enumerate(plan):
            slot = min(k, PERIODS - 1)  # Health shares PE's period in the other semester
            period = str((slot + j) % PERIODS + 1)
            if level == "H" and subject in HIGH_TITLES:
                title = HIGH_TITLES[subject][g - 9]
            elif level == "M" and subject in CORE:
                title = f"{subject} {g}"
            owner = "Physical Education" if subject == "Health" else subject
            who = self._teacher(s, ("subject", g, owner, group), ROOMS.get(owner, ""))
            scheme = "S" if subject in CORE else "other"
            out.append(self._section(s, g, j, title, subject, period, terms, who, scheme))
        return tuple(out)

    def _teacher(self, s: int, key: tuple[object, ...], room_kind: str) -> tuple[str, str]:
        """The teacher (sourcedId, room) for `key`, hired on first use."""
        full_key = (s, *key)
        if full_key in self.teachers:
            return self.teachers[full_key]
        rng = self.rng
        kind = room_kind or "Room"
        count = self.rooms.get((s, kind), 0)
        self.rooms[(s, kind)] = count + 1
        if room_kind:
            room = room_kind if count == 0 else f"{room_kind} {count + 1}"
        else:
            room = f"Room {100 * (1 + count // 20) + count % 20 + 1}"
        community = rng.choices(("en", "es", "fr", "vi"), (70, 12, 10, 8))[0]
        sex = rng.choices(people.SEXES, (3, 1))[0]
        name = people.adult_name(rng, community, sex, people.family_name(rng, community))
        self.employee += rng.randint(1, 9)
        sid = people.new_id(rng)
        email = self.handles.email(rng, name, pools.STAFF_EMAIL_DOMAIN)
        self.emit("users.csv", [sid, "", "", "true", self.schools[s].sid, "teacher",
                  self.handles.username(rng, name), "", name.given, name.family, name.middle,
                  str(self.employee), email, "", "", "", "", "", "", "", "", ""])  # fmt: skip
        self.teachers[full_key] = (sid, room)
        return sid, room

    def _section(self, s: int, g: int, j: int, title: str, subject: str, period: str,
                 terms: tuple[int, ...], teacher: tuple[str, str],
                 scheme: str | None) -> Section:  # fmt: skip
        """Write one class with its course, teacher enrollment and gradebook."""
        rng, cal, school = self.rng, self.cal, self.schools[s]
        course = self.courses.get((s, g, title))
        if course is None:
            code = f"{CODES[subject]}-{GRADES[g]}"
            course = (people.new_id(rng), code)
            self.courses[(s, g, title)] = course
            self.emit("courses.csv", [course[0], "", "", self.year_sid, title, code, GRADES[g],
                      school.sid, subject, ""])  # fmt: skip
        sid = people.new_id(rng)
        kind = "homeroom" if subject == "Homeroom" else "scheduled"
        room = f"{teacher[1]} Classroom" if subject == "Health" else teacher[1]
        self.emit("classes.csv", [sid, "", "", title, GRADES[g], course[0], f"{course[1]}-{j + 1}",
                  kind, room, school.sid, join_ids(self.term_sids[t] for t in terms), subject,
                  "", period])  # fmt: skip
        first, last = cal.terms[terms[0]][0], cal.terms[terms[-1]][1]
        begin, end = cal.iso[first], cal.iso[last]
        self.emit("enrollments.csv", [people.new_id(rng), "", "", sid, school.sid, teacher[0],
                  "teacher", "true", begin, end])  # fmt: skip
        items = self._gradebook(sid, subject, scheme, terms) if scheme else ()
        return Section(sid, school.sid, first, last, begin, end, items)

    def _gradebook(self, class_sid: str, subject: str, scheme: str,
                   terms: tuple[int, ...]) -> tuple[tuple[str, int, int], ...]:  # fmt: skip
        """Categories with weights and a few assignments spread over the class's terms."""
        rng, cal = self.rng, self.cal
        categories = []
        for title, weight, points in SCHEMES[scheme]:
            cid = people.new_id(rng)
            self.emit("categories.csv", [cid, "", "", title, str(weight)])
            categories.append((cid, title, points))
        days = [d for t in terms for d in cal.term_days[t]]
        count = ITEMS_PER_CLASS[scheme]
        picks = sorted(rng.sample(range(len(days)), count))
        order = [i % len(categories) for i in range(count)]
        rng.shuffle(order)
        topics = pools.TOPICS.get(subject, pools.GENERIC_TOPICS)
        items = []
        for pos, category in zip(picks, order, strict=True):
            cid, cat_title, points = categories[category]
            topic = rng.choice(topics)
            due = days[pos]
            # Take-home work is assigned days ahead; in-class work is assigned and due at once.
            ahead = rng.randint(1, 7) if cat_title in ("Homework", "Projects") else 0
            assign = days[max(0, pos - ahead)]
            lid = people.new_id(rng)
            description = f"{subject}: {topic}." if rng.random() < 0.7 else ""
            self.emit("lineItems.csv", [lid, "", "", TITLES[cat_title].format(topic),
                      description, cal.iso[assign], cal.iso[due], class_sid, cid,
                      self.term_sids[cal.term_of(due)], "0", str(points)])  # fmt: skip
            items.append((lid, due, points))
        return tuple(items)
