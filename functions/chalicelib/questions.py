"""The 8 challenge questions, their choices in 4 languages, and answer normalisation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import languages
from .clock import utcnow
from .errors import DomainError
from .languages import LANGUAGES

QUESTION_IDS = tuple(range(1, 9))
ANSWERS_PER_ACCOUNT = 3
MAX_ANSWER_LENGTH = 100
MIN_BIRTH_YEAR = 1900

CHOICE, YEAR, TEXT = "choice", "year", "text"


class AnswersInvalid(DomainError):
    """Challenge answers that cannot be accepted; the message never repeats an answer."""

    code = "answers_invalid"

    def __init__(self, detail: str, question_id: int | None = None) -> None:
        # `field` names the question at fault ("question_3") or the whole list ("answers").
        self.field = "answers" if question_id is None else f"question_{question_id}"
        super().__init__(detail, field=self.field)
        self.detail = detail
        self.question_id = question_id


@dataclass(frozen=True)
class Choice:
    """One choice: the stable value, its label per language, and extra spellings accepted."""

    value: str
    labels: Mapping[str, str]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One predefined challenge question."""

    id: int
    texts: Mapping[str, str]
    kind: str
    choices: tuple[Choice, ...] = ()


# French typography wants a no-break space before "?"; the texts address the student (tu, tú, bạn).
_TEXTS: dict[int, dict[str, str]] = {
    1: {
        "en": "What is your birth month?",
        "fr": "Quel est votre mois de naissance\u00a0?",
        "es": "¿En qué mes naciste?",
        "vi": "Bạn sinh vào tháng nào?",
    },
    2: {
        "en": "What is your middle name?",
        "fr": "Quel est votre deuxième prénom\u00a0?",
        "es": "¿Cuál es tu segundo nombre?",
        "vi": "Tên đệm của bạn là gì?",
    },
    3: {
        "en": "In what year were you born?",
        "fr": "Quelle est votre année de naissance\u00a0?",
        "es": "¿En qué año naciste?",
        "vi": "Bạn sinh vào năm nào?",
    },
    4: {
        "en": "What is your school mascot?",
        "fr": "Quelle est la mascotte de votre école\u00a0?",
        "es": "¿Cuál es la mascota de tu escuela?",
        "vi": "Linh vật của trường bạn là gì?",
    },
    5: {
        "en": "Who is your homeroom teacher?",
        "fr": "Qui est votre professeur principal\u00a0?",
        "es": "¿Quién es tu maestro o maestra de salón hogar?",
        "vi": "Giáo viên chủ nhiệm của bạn là ai?",
    },
    6: {
        "en": "What is the confidential school password?",
        "fr": "Quel est le mot de passe confidentiel de votre école\u00a0?",
        "es": "¿Cuál es la contraseña confidencial de tu escuela?",
        "vi": "Mật khẩu bí mật của trường bạn là gì?",
    },
    7: {
        "en": "Which fruit do you like best?",
        "fr": "Quel fruit préférez-vous\u00a0?",
        "es": "¿Qué fruta te gusta más?",
        "vi": "Bạn thích loại trái cây nào nhất?",
    },
    8: {
        "en": "Which season do you like best?",
        "fr": "Quelle saison préférez-vous\u00a0?",
        "es": "¿Qué estación del año te gusta más?",
        "vi": "Bạn thích mùa nào nhất?",
    },
}

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

# Babel stays out of the Lambda package (QUALITY.md P6), so month names are data here;
# tests/test_questions.py compares them with Babel's CLDR names so they cannot drift.
MONTH_LABELS: dict[str, tuple[str, ...]] = {
    "en": tuple(m.capitalize() for m in MONTHS),
    "fr": (
        "Janvier", "Février", "Mars", "Avril", "Mai", "Juin",
        "Juillet", "Août", "Septembre", "Octobre", "Novembre", "Décembre",
    ),
    "es": (
        "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio",
        "Julio", "Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre",
    ),
    "vi": tuple(f"Tháng {n}" for n in range(1, 13)),
}  # fmt: skip

_MONTH_ROWS = tuple(
    (value, {lang: MONTH_LABELS[lang][i] for lang in LANGUAGES}) for i, value in enumerate(MONTHS)
)
# Labels follow US usage (plátano, durazno); regional and short spellings are accepted too.
_FRUIT_ROWS: tuple[tuple[str, dict[str, str]], ...] = (
    ("apple", {"en": "Apple", "fr": "Pomme", "es": "Manzana", "vi": "Táo"}),
    ("banana", {"en": "Banana", "fr": "Banane", "es": "Plátano", "vi": "Chuối"}),
    ("orange", {"en": "Orange", "fr": "Orange", "es": "Naranja", "vi": "Cam"}),
    ("peach", {"en": "Peach", "fr": "Pêche", "es": "Durazno", "vi": "Đào"}),
)
_SEASON_ROWS: tuple[tuple[str, dict[str, str]], ...] = (
    ("summer", {"en": "Summer", "fr": "Été", "es": "Verano", "vi": "Mùa hè"}),
    ("winter", {"en": "Winter", "fr": "Hiver", "es": "Invierno", "vi": "Mùa đông"}),
    ("fall", {"en": "Fall", "fr": "Automne", "es": "Otoño", "vi": "Mùa thu"}),
    ("spring", {"en": "Spring", "fr": "Printemps", "es": "Primavera", "vi": "Mùa xuân"}),
)
_ALIASES: dict[str, tuple[str, ...]] = {
    "september": ("setiembre",),
    "banana": ("banano", "guineo"),
    "peach": ("melocotón",),
    "summer": ("mùa hạ", "hè", "hạ"),
    "winter": ("đông",),
    "fall": ("autumn", "thu"),
    "spring": ("xuân",),
}
# Vietnamese speakers also spell month numbers out; giêng and chạp are the colloquial 1st and 12th.
_VI_MONTH_WORDS = (
    ("một", "giêng"), ("hai",), ("ba",), ("tư", "bốn"), ("năm",), ("sáu",),
    ("bảy",), ("tám",), ("chín",), ("mười",), ("mười một",), ("mười hai", "chạp"),
)  # fmt: skip
_SPELLED_MONTHS = {
    m: tuple(f"tháng {w}" for w in words) for m, words in zip(MONTHS, _VI_MONTH_WORDS, strict=True)
}
# Vietnamese often puts "trái" or "quả" before the name of a fruit.
_PREFIXED_FRUITS = {v: (f"trái {lb['vi']}", f"quả {lb['vi']}") for v, lb in _FRUIT_ROWS}


def _choices(
    rows: tuple[tuple[str, dict[str, str]], ...], extra: Mapping[str, tuple[str, ...]] | None = None
) -> tuple[Choice, ...]:
    """Build choices from (value, labels) rows with their accepted extra spellings."""
    extra = extra or {}
    return tuple(Choice(v, lb, _ALIASES.get(v, ()) + extra.get(v, ())) for v, lb in rows)


QUESTIONS: dict[int, Question] = {
    1: Question(1, _TEXTS[1], CHOICE, _choices(_MONTH_ROWS, _SPELLED_MONTHS)),
    2: Question(2, _TEXTS[2], TEXT),
    3: Question(3, _TEXTS[3], YEAR),
    4: Question(4, _TEXTS[4], TEXT),
    5: Question(5, _TEXTS[5], TEXT),
    6: Question(6, _TEXTS[6], TEXT),
    7: Question(7, _TEXTS[7], CHOICE, _choices(_FRUIT_ROWS, _PREFIXED_FRUITS)),
    8: Question(8, _TEXTS[8], CHOICE, _choices(_SEASON_ROWS)),
}

# Vietnamese đ is a letter of its own, not d plus a combining mark, so NFD leaves it alone.
_UNDECOMPOSABLE = str.maketrans({"đ": "d"})
_MONTH_NUMBER = re.compile(r"(?:thang ?)?(0?[1-9]|1[0-2])")
_YEAR = re.compile(r"[0-9]{4}")


def questions(lang: str, ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """The questions (all, or those in `ids` in that order) in the contract's JSON shape."""
    lang = languages.or_default(lang)
    wanted = QUESTION_IDS if ids is None else tuple(ids)
    result = []
    for qid in wanted:
        question = QUESTIONS[qid]
        choices = None
        if question.kind == CHOICE:
            choices = [{"value": c.value, "label": c.labels[lang]} for c in question.choices]
        result.append({"id": qid, "text": question.texts[lang], "choices": choices})
    return result


def normalize_answer(s: str) -> str:
    """Fold an answer for comparison: NFKC, case fold, no accents, single spaces, trimmed."""
    folded = unicodedata.normalize("NFKC", s).casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    # Recompose what NFD split without accents (Hangul syllables, for one).
    bare = unicodedata.normalize("NFC", bare.translate(_UNDECOMPOSABLE))
    return " ".join(bare.split())


def _build_lookup(question: Question) -> dict[str, str]:
    """Map every normalised value, label and alias of a choice question to its value."""
    lookup: dict[str, str] = {}
    for choice in question.choices:
        for spelling in (choice.value, *choice.labels.values(), *choice.aliases):
            key = normalize_answer(spelling)
            if lookup.setdefault(key, choice.value) != choice.value:
                raise ValueError(f"question {question.id}: {spelling!r} names two choices")
    return lookup


@cache
def _lookup(question_id: int) -> dict[str, str]:
    """The choice lookup of one question, built once per process."""
    return _build_lookup(QUESTIONS[question_id])


def _current_year() -> int:
    """This year in UTC (the project's movable clock), where Lambda keeps its time."""
    return utcnow().year


def _has_bad_characters(s: str) -> bool:
    """Tell whether `s` holds control characters or lone surrogates (never typed by a person)."""
    return any(
        (unicodedata.category(c) == "Cc" and not c.isspace()) or unicodedata.category(c) == "Cs"
        for c in s
    )


def _check_question_id(question_id: object) -> None:
    """Raise AnswersInvalid unless `question_id` is a whole number from 1 to 8."""
    # bool is an int subclass: True must not pass for question 1.
    if type(question_id) is not int or question_id not in QUESTIONS:
        raise AnswersInvalid(f"Choose questions numbered {QUESTION_IDS[0]} to {QUESTION_IDS[-1]}.")


def canonical_answer(question_id: int, answer: str) -> str:
    """Return the form of an answer that gets hashed, or raise AnswersInvalid."""
    _check_question_id(question_id)
    if not isinstance(answer, str):
        raise AnswersInvalid(f"Answer question {question_id} with text.", question_id)
    trimmed = unicodedata.normalize("NFC", answer).strip()
    if not trimmed or len(trimmed) > MAX_ANSWER_LENGTH or _has_bad_characters(trimmed):
        raise AnswersInvalid(
            f"Answer question {question_id} with 1 to {MAX_ANSWER_LENGTH} characters.", question_id
        )
    normalized = normalize_answer(trimmed)
    if not normalized:
        raise AnswersInvalid(f"Answer question {question_id} with letters or digits.", question_id)
    question = QUESTIONS[question_id]
    if question.kind == YEAR:
        this_year = _current_year()
        if not _YEAR.fullmatch(normalized) or not MIN_BIRTH_YEAR <= int(normalized) <= this_year:
            raise AnswersInvalid(
                f"Answer question {question_id} with a year from {MIN_BIRTH_YEAR} to {this_year}.",
                question_id,
            )
        return normalized
    if question.kind == CHOICE:
        return _choice_value(question, normalized)
    return normalized


def _choice_value(question: Question, normalized: str) -> str:
    """Match a normalised answer to a choice value, or raise AnswersInvalid."""
    value = _lookup(question.id).get(normalized)
    if value is None and question.id == 1:
        # Months may also be given by number: "1", "01", "tháng 1", "tháng 01".
        number = _MONTH_NUMBER.fullmatch(normalized)
        if number:
            value = MONTHS[int(number.group(1)) - 1]
    if value is None:
        raise AnswersInvalid(f"Answer question {question.id} with one of its choices.", question.id)
    return value


def validate_selection(answers: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Check exactly 3 answers to distinct questions and return them in canonical form."""
    if len(answers) != ANSWERS_PER_ACCOUNT:
        raise AnswersInvalid(f"Answer exactly {ANSWERS_PER_ACCOUNT} questions.")
    ids = [qid for qid, _ in answers]
    for qid in ids:
        _check_question_id(qid)
    if len(set(ids)) != len(ids):
        raise AnswersInvalid(f"Answer {ANSWERS_PER_ACCOUNT} different questions.")
    return [(qid, canonical_answer(qid, answer)) for qid, answer in answers]
