"""Synthetic people and places: ids, names, usernames, emails, addresses and phones."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from random import Random

from portal.synthetic import pools

SEXES = ("female", "male")
PREFERRED_ENGLISH_SHARE, PREFERRED_MIDDLE_SHARE = 0.08, 0.05
# Letters NFKD cannot take apart but an email address must not carry.
_FOLD = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "œ": "oe"})


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name as the SIS holds it."""

    given: str
    middle: str
    family: str


def new_id(rng: Random) -> str:
    """A UUID-4-shaped sourcedId drawn from `rng`, so the seed fixes every id."""
    h = f"{rng.getrandbits(128):032x}"
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits of `text` ("Nguyễn-Trần" → "nguyentran")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def name_community(rng: Random, lang: str) -> str:
    """Which community's names a household of language `lang` carries."""
    if lang != "en":
        return lang
    # English-speaking homes include second-generation Latino, Vietnamese and Haitian families.
    return rng.choices(("en", "es", "fr", "vi"), (80, 10, 5, 5))[0]


def family_name(rng: Random, community: str) -> str:
    """A surname, sometimes compound the way each community builds them."""
    pool = pools.FAMILY[community]
    first = rng.choice(pool)
    roll = rng.random()
    if community == "es" and roll < 0.4:
        # Spanish usage: paternal then maternal surname, separated by a space.
        return f"{first} {rng.choice([n for n in pool if n != first])}"
    if community in ("vi", "en", "fr") and roll < 0.04:
        return f"{first}-{rng.choice([n for n in pool if n != first and ' ' not in n])}"
    return first


def given_name(rng: Random, community: str, sex: str) -> str:
    """A given name of that community and sex."""
    return rng.choice(pools.GIVEN[community][sex])


def adult_name(rng: Random, community: str, sex: str, family: str) -> Name:
    """A guardian's or teacher's name; Vietnamese adults mostly carry Văn or Thị."""
    middle = ""
    if community == "vi" and rng.random() < 0.7:
        middle = rng.choice(pools.VI_ADULT_MIDDLE[sex])
    elif rng.random() < 0.2:
        middle = _middle(rng, community, sex)
    return Name(given_name(rng, community, sex), middle, family)


def child_name(rng: Random, community: str, sex: str, family: str) -> Name:
    """A student's name; children of immigrant families often get English given names."""
    english_share = {"en": 0.0, "es": 0.25, "vi": 0.4, "fr": 0.15}[community]
    given_pool = "en" if rng.random() < english_share else community
    middle = ""
    if rng.random() < 0.35:
        if community == "vi":
            middle = rng.choice(pools.VI_CHILD_MIDDLE)
        else:
            middle = _middle(rng, community, sex)
    return Name(given_name(rng, given_pool, sex), middle, family)


def preferred_given(rng: Random, community: str, sex: str, name: Name) -> str:
    """The given name someone goes by when it is not the legal one, else "" (most people).

    Children and parents of immigrant families often go by an English name at school; now and
    then someone goes by their middle name.
    """
    roll, goes_by = rng.random(), ""
    if community != "en" and roll < PREFERRED_ENGLISH_SHARE:
        goes_by = given_name(rng, "en", sex)
    elif community != "vi" and len(name.middle) > 2 and roll > 1 - PREFERRED_MIDDLE_SHARE:
        goes_by = name.middle  # Vietnamese middle names (Văn, Thị) are never what one goes by
    return goes_by if goes_by != name.given else ""


def _middle(rng: Random, community: str, sex: str) -> str:
    """A middle name, now and then only its initial ("A.")."""
    name = given_name(rng, community, sex)
    return f"{name[0]}." if rng.random() < 0.2 else name


class Handles:
    """Hands out usernames and email addresses that no one else in the district holds."""

    def __init__(self) -> None:
        self.usernames: set[str] = set()
        self.emails: set[str] = set()

    def username(self, rng: Random, name: Name) -> str:
        """A login handle such as "mclayton" or "mclayton27"."""
        base = (ascii_fold(name.given)[:1] + ascii_fold(name.family))[:20] or "user"
        return self._unique(rng, base, self.usernames, "")

    def email(self, rng: Random, name: Name, domain: str) -> str:
        """An address such as "minnie.clayton@example.org", numbered when taken."""
        base = f"{ascii_fold(name.given)}.{ascii_fold(name.family)}"
        return self._unique(rng, base, self.emails, "@" + domain)

    @staticmethod
    def _unique(rng: Random, base: str, taken: set[str], suffix: str) -> str:
        """`base + suffix`, or with a number inserted before the suffix until it is free."""
        candidate = base + suffix
        span = 99
        while candidate in taken:
            candidate = f"{base}{rng.randint(2, span)}{suffix}"
            span = span * 10 + 9  # widen so a crowded name still finds room quickly
        taken.add(candidate)
        return candidate


def address(rng: Random) -> str:
    """A street address in the county, on one line."""
    city, zip_code = rng.choice(pools.CITIES)
    street = f"{rng.choice(pools.STREETS)} {rng.choice(pools.STREET_SUFFIXES)}"
    return f"{rng.randint(100, 9899)} {street}, {city}, GA {zip_code}"


def mailing_address(rng: Random, primary: str) -> str:
    """Where the household's mail goes: mostly home, sometimes a PO box, rarely unknown."""
    roll = rng.random()
    if roll < 0.85:
        return primary
    if roll < 0.95:
        city, zip_code = rng.choice(pools.CITIES)
        return f"PO Box {rng.randint(100, 9999)}, {city}, GA {zip_code}"
    return ""


def phone(rng: Random) -> str:
    """A fictional local number (555-01xx)."""
    return f"({rng.choice(pools.AREA_CODES)}) 555-01{rng.randint(0, 99):02d}"
