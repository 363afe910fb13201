"""Words that depend on the language, all from Babel's CLDR data (never hand-made tables)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.units import format_unit

# Where a native reader writes a long date otherwise than CLDR. Vietnamese: CLDR 48 says
# "3 tháng 8, 2026"; letters, forms and the site's pages write "ngày 3 tháng 8 năm 2026"
# (the site's scripts do the same in portal-messages.js formatDate).
LONG_DATE = {"vi": "'ngày' d 'tháng' M 'năm' y"}


def long_date(day: date, lang: str) -> str:
    """The long date of the locale: August 3, 2026 / 3 août 2026 / ngày 3 tháng 8 năm 2026."""
    return format_date(day, format=LONG_DATE.get(lang, "long"), locale=lang)


# Where our pages and glossary chose another word than CLDR's for a duration in hours. Vietnamese:
# CLDR 48 (Babel 2.19) says "tiếng", the spoken word; a written notice says "giờ", as every page
# of the site does, and "giờ" never reads as "language" (tiếng Việt) next to it.
HOUR_UNIT = {"vi": "{0} giờ"}


def hours(count: int, lang: str) -> str:
    """A number of hours with the locale's unit and plural: 24 hours / 24 heures / 24 giờ."""
    if lang in HOUR_UNIT:
        return HOUR_UNIT[lang].format(count)
    return format_unit(count, "duration-hour", length="long", locale=lang)


@lru_cache(maxsize=16)
def _list_patterns(lang: str) -> dict[str, str]:
    """CLDR's patterns for joining a list in `lang` (Babel's data, read once)."""
    patterns = Locale.parse(lang).list_patterns["standard"]
    return {key: patterns[key] for key in ("start", "middle", "end", "2")}


def join(items: tuple[str, ...], lang: str) -> str:
    """ "Ana, Ben and Chloé" in the language's own way (babel.lists.format_list's rules, with
    the locale's patterns looked up once: this runs for every message)."""
    if len(items) <= 1:
        return items[0] if items else ""
    patterns = _list_patterns(lang)
    if len(items) == 2:
        return patterns["2"].format(*items)
    text = patterns["start"].format(items[0], items[1])
    for item in items[2:-1]:
        text = patterns["middle"].format(text, item)
    return patterns["end"].format(text, items[-1])
