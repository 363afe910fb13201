"""School years: July 1 to June 30, named by the year they end (OneRoster's `schoolYear`)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from . import clock
from .config import settings

START_MONTH = 7


def of(day: date) -> int:
    """The school year holding `day`: 2026-11-24 and 2026-07-01 are in 2027, 2026-06-30 in 2026."""
    return day.year + 1 if day.month >= START_MONTH else day.year


def bounds(year: int) -> tuple[date, date]:
    """First and last day of a school year: July 1 of the year before to June 30."""
    return date(year - 1, START_MONTH, 1), date(year, START_MONTH - 1, 30)


def today(tz: str | None = None) -> date:
    """Today in the district's time zone (DISTRICT_TZ unless `tz`), on the movable test clock."""
    zone = ZoneInfo(tz or settings().district_tz)
    return datetime.fromtimestamp(clock.now(), tz=zone).date()


def current(tz: str | None = None) -> int:
    """The school year containing today (years are contiguous: between years means the next)."""
    return of(today(tz))
