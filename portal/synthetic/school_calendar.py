"""The district calendar of one school year: day indexes, four terms and instruction days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib import school_year

# (month, day) on which each of the four terms starts; together they cover July 1 – June 30.
TERM_STARTS: tuple[tuple[int, int], ...] = ((7, 1), (10, 10), (1, 1), (3, 14))


@dataclass(frozen=True)
class Calendar:
    """Days of a school year counted from July 1, so rows can carry small integers."""

    year: int
    iso: tuple[str, ...]  # ISO date of every day index
    terms: tuple[tuple[int, int], ...]  # first and last day index of each term
    school_days: tuple[int, ...]  # day indexes with classes, ascending
    term_days: tuple[tuple[int, ...], ...]  # school days inside each term

    def term_of(self, day: int) -> int:
        """Index of the term holding day index `day`."""
        for index, (first, last) in enumerate(self.terms):
            if first <= day <= last:
                return index
        raise ValueError(f"day {day} is outside school year {self.year}")


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday = 0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _week_of(monday: date) -> set[date]:
    """Monday to Friday of the week starting on `monday`."""
    return {monday + timedelta(days=i) for i in range(5)}


def _holidays(start_year: int) -> set[date]:
    """Days off in a Georgia-style calendar; exact dates matter less than their shape."""
    end_year = start_year + 1
    thanksgiving = _nth_weekday(start_year, 11, 3, 4)
    winter = {date(start_year, 12, 21) + timedelta(days=i) for i in range(13)}
    return (
        {_nth_weekday(start_year, 9, 0, 1)}  # Labor Day
        | _week_of(thanksgiving - timedelta(days=3))
        | winter
        | {_nth_weekday(end_year, 1, 0, 3)}  # Martin Luther King Jr. Day
        | {_nth_weekday(end_year, 2, 0, 3)}  # Presidents' Day
        | _week_of(_nth_weekday(end_year, 4, 0, 1))  # spring break
    )


def build_calendar(year: int) -> Calendar:
    """The calendar of the school year ending in `year` (OneRoster schoolYear)."""
    first, last = school_year.bounds(year)
    length = (last - first).days + 1
    days = [first + timedelta(days=i) for i in range(length)]
    first_month = school_year.START_MONTH  # terms from this month on start in the first year
    starts = [date(year - 1 if m >= first_month else year, m, d) for m, d in TERM_STARTS]
    ends = [s - timedelta(days=1) for s in starts[1:]] + [last]
    terms = tuple(((s - first).days, (e - first).days) for s, e in zip(starts, ends, strict=True))
    # Classes run from the first Monday of August to the Friday on or before May 22.
    opening = _nth_weekday(year - 1, 8, 0, 1)
    closing = date(year, 5, 22) - timedelta(days=(date(year, 5, 22).weekday() - 4) % 7)
    off = _holidays(year - 1)
    in_session = [opening <= d <= closing and d.weekday() < 5 and d not in off for d in days]
    school = tuple(i for i, open_day in enumerate(in_session) if open_day)
    per_term = tuple(tuple(i for i in school if a <= i <= b) for a, b in terms)
    return Calendar(year, tuple(d.isoformat() for d in days), terms, school, per_term)
