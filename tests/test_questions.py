"""Challenge questions, their choices in 4 languages, and answer normalisation."""

from __future__ import annotations

import pytest
from babel.dates import get_month_names

from chalicelib import clock, questions
from chalicelib.errors import DomainError
from chalicelib.questions import (
    LANGUAGES,
    AnswersInvalid,
    canonical_answer,
    normalize_answer,
    validate_selection,
)

pytestmark = pytest.mark.unit

ENGLISH = {
    1: "What is your birth month?",
    2: "What is your middle name?",
    3: "In what year were you born?",
    4: "What is your school mascot?",
    5: "Who is your homeroom teacher?",
    6: "What is the confidential school password?",
    7: "Which fruit do you like best?",
    8: "Which season do you like best?",
}
CHOICE_VALUES = {
    1: [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ],
    7: ["apple", "banana", "orange", "peach"],
    8: ["summer", "winter", "fall", "spring"],
}  # fmt: skip


def this_year() -> int:
    """The year the module judges birth years against."""
    return clock.utcnow().year


def invalid(question_id: object, answer: object) -> AnswersInvalid:
    """The error canonical_answer raises for an answer."""
    with pytest.raises(AnswersInvalid) as caught:
        canonical_answer(question_id, answer)  # type: ignore[arg-type]
    return caught.value


# The list the API serves.


@pytest.mark.parametrize("lang", LANGUAGES)
def test_questions_shape(lang: str) -> None:
    served = questions.questions(lang)
    assert [q["id"] for q in served] == list(range(1, 9))
    for q in served:
        assert set(q) == {"id", "text", "choices"}
        assert q["text"].strip() and q["text"] == q["text"].strip()
        if q["id"] in CHOICE_VALUES:
            assert [c["value"] for c in q["choices"]] == CHOICE_VALUES[q["id"]]
            assert all(set(c) == {"value", "label"} and c["label"].strip() for c in q["choices"])
        else:
            assert q["choices"] is None


def test_english_texts() -> None:
    assert {q["id"]: q["text"] for q in questions.questions("en")} == ENGLISH


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "fr"), ("fr-CA", "fr"), ("ES", "es"), ("vi_VN", "vi"), ("de", "en"), ("", "en")],
)
def test_language_choice(lang: str, expected: str) -> None:
    assert questions.questions(lang) == questions.questions(expected)


def test_texts_differ_per_language() -> None:
    texts = {lang: [q["text"] for q in questions.questions(lang)] for lang in LANGUAGES}
    for a in LANGUAGES:
        for b in LANGUAGES:
            if a < b:
                assert all(x != y for x, y in zip(texts[a], texts[b], strict=True))


def test_selected_questions_in_given_order() -> None:
    served = questions.questions("vi", ids=[7, 2, 3])
    assert [q["id"] for q in served] == [7, 2, 3]
    assert served[0]["choices"][0] == {"value": "apple", "label": "Táo"}


def test_served_lists_are_fresh_copies() -> None:
    questions.questions("en")[0]["choices"].clear()
    assert len(questions.questions("en")[0]["choices"]) == 12


@pytest.mark.parametrize("lang", LANGUAGES)
def test_month_labels_match_babel(lang: str) -> None:
    names = get_month_names("wide", locale=lang)
    # Labels stand alone in a list, so they start with a capital as CLDR's stand-alone forms do.
    expected = [names[n][:1].upper() + names[n][1:] for n in range(1, 13)]
    assert list(questions.MONTH_LABELS[lang]) == expected


# Normalisation.


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  Mr.   SMITH ", "mr. smith"),
        ("\tWitty\nMouse\u00a0", "witty mouse"),
        ("José", "jose"),
        ("Jose\u0301", "jose"),  # decomposed accent
        ("Ngô Đình Diệm", "ngo dinh diem"),
        ("ĐÀO", "dao"),
        ("Nguyễn Thị Ưu", "nguyen thi uu"),
        ("Straße", "strasse"),
        ("ＭＡＲＩＡ", "maria"),  # full-width (NFKC)
        ("ﬁsh", "fish"),  # ligature (NFKC)
        ("Ⅻ", "xii"),
        ("Çédille", "cedille"),
        ("한국", "한국"),  # Hangul recomposes
        ("", ""),
    ],
)
def test_normalize_answer(raw: str, normalized: str) -> None:
    assert normalize_answer(raw) == normalized


# Choices match in any of the 4 languages.


@pytest.mark.parametrize(
    ("question_id", "answer", "value"),
    [
        (7, "pomme", "apple"),
        (7, "Táo", "apple"),
        (7, "tao", "apple"),
        (7, "trái táo", "apple"),
        (7, "manzana", "apple"),
        (7, "APPLE", "apple"),
        (7, "  apple  ", "apple"),
        (7, "Plátano", "banana"),
        (7, "guineo", "banana"),
        (7, "Chuối", "banana"),
        (7, "Banane", "banana"),
        (7, "naranja", "orange"),
        (7, "quả cam", "orange"),
        (7, "Pêche", "peach"),
        (7, "durazno", "peach"),
        (7, "melocotón", "peach"),
        (7, "Đào", "peach"),
        (8, "Summer", "summer"),
        (8, "été", "summer"),
        (8, "ETE", "summer"),
        (8, "verano", "summer"),
        (8, "mùa hè", "summer"),
        (8, "Hiver", "winter"),
        (8, "mùa đông", "winter"),
        (8, "autumn", "fall"),
        (8, "Automne", "fall"),
        (8, "otoño", "fall"),
        (8, "Mùa thu", "fall"),
        (8, "printemps", "spring"),
        (8, "primavera", "spring"),
        (8, "MÙA XUÂN", "spring"),
        (1, "tháng 1", "january"),
        (1, "Tháng 01", "january"),
        (1, "tháng một", "january"),
        (1, "tháng giêng", "january"),
        (1, "janvier", "january"),
        (1, "enero", "january"),
        (1, "January", "january"),
        (1, "1", "january"),
        (1, "01", "january"),
        (1, "février", "february"),
        (1, "fevrier", "february"),
        (1, "tháng tư", "april"),
        (1, "août", "august"),
        (1, "aout", "august"),
        (1, "setiembre", "september"),
        (1, "12", "december"),
        (1, "tháng mười hai", "december"),
        (1, "Diciembre", "december"),
    ],
)
def test_choice_in_any_language(question_id: int, answer: str, value: str) -> None:
    assert canonical_answer(question_id, answer) == value


@pytest.mark.parametrize("question_id", sorted(CHOICE_VALUES))
def test_every_value_and_label_matches(question_id: int) -> None:
    for choice in questions.QUESTIONS[question_id].choices:
        for spelling in (choice.value, *choice.labels.values(), *choice.aliases):
            assert canonical_answer(question_id, spelling) == choice.value
            assert canonical_answer(question_id, spelling.upper()) == choice.value


@pytest.mark.parametrize("question_id", sorted(CHOICE_VALUES))
def test_no_spelling_names_two_choices(question_id: int) -> None:
    questions._build_lookup(questions.QUESTIONS[question_id])


def test_collision_would_be_caught() -> None:
    labels = {"en": "Same", "fr": "Même", "es": "Mismo", "vi": "Giống"}
    clash = questions.Question(
        99, {}, questions.CHOICE, (questions.Choice("a", labels), questions.Choice("b", labels))
    )
    with pytest.raises(ValueError, match="two choices"):
        questions._build_lookup(clash)


# Free text and years.


@pytest.mark.parametrize(
    ("question_id", "answer", "canonical"),
    [
        (2, " Marie   Claire ", "marie claire"),
        (4, "Eagles", "eagles"),
        (5, "Mrs. O'Brien", "mrs. o'brien"),
        (6, "Witty Mouse", "witty mouse"),
        (2, "x" * 100, "x" * 100),
        (2, "  " + "x" * 100 + "  ", "x" * 100),  # counted after trimming
        (3, "2012", "2012"),
        (3, " 1900 ", "1900"),
        (3, "２０１０", "2010"),  # full-width digits
    ],
)
def test_free_text_and_year(question_id: int, answer: str, canonical: str) -> None:
    assert canonical_answer(question_id, answer) == canonical


def test_current_year_is_the_latest() -> None:
    assert canonical_answer(3, str(this_year())) == str(this_year())
    invalid(3, str(this_year() + 1))


def test_year_follows_the_movable_clock() -> None:
    next_year = str(this_year() + 1)
    try:
        clock.advance(366 * 24 * 3600)
        assert canonical_answer(3, next_year) == next_year
    finally:
        clock.reset()


# Everything else is answers_invalid.


@pytest.mark.parametrize(
    ("question_id", "answer", "field"),
    [
        (0, "x", "answers"),
        (9, "x", "answers"),
        (-1, "x", "answers"),
        (True, "x", "answers"),
        ("1", "x", "answers"),
        (None, "x", "answers"),
        (2, "", "question_2"),
        (2, "   ", "question_2"),
        (2, "x" * 101, "question_2"),
        (2, None, "question_2"),
        (4, "eagles\x00", "question_4"),
        (4, "ea\x1bgles", "question_4"),
        (4, "eagles\ud800", "question_4"),
        (4, "\u0301\u0301", "question_4"),  # nothing left after removing accents
        (3, "99", "question_3"),
        (3, "12345", "question_3"),
        (3, "2o10", "question_3"),
        (3, "1899", "question_3"),
        (3, "2010.", "question_3"),
        (3, "twenty ten", "question_3"),
        (1, "13", "question_1"),
        (1, "0", "question_1"),
        (1, "00", "question_1"),
        (1, "tháng 13", "question_1"),
        (1, "smarch", "question_1"),
        (7, "mango", "question_7"),
        (7, "apple banana", "question_7"),
        (7, "1", "question_7"),
        (8, "monsoon", "question_8"),
        (8, "summer!", "question_8"),
    ],
)
def test_invalid_answers(question_id: object, answer: object, field: str) -> None:
    err = invalid(question_id, answer)
    assert isinstance(err, DomainError)
    assert err.code == "answers_invalid"
    assert err.field == field
    assert err.extra == {"field": field}
    assert err.question_id == (None if field == "answers" else question_id)


def test_message_never_repeats_the_answer() -> None:
    err = invalid(7, "my-secret-fruit")
    assert "my-secret-fruit" not in str(err)
    assert "question 7" in str(err)


# Picking 3 questions.


def test_selection_canonicalised_in_order() -> None:
    picked = validate_selection([(7, "Pomme"), (3, " 2011 "), (2, "Anh  Thư")])
    assert picked == [(7, "apple"), (3, "2011"), (2, "anh thu")]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([], "answers"),
        ([(1, "1"), (2, "x")], "answers"),
        ([(1, "1"), (2, "x"), (4, "y"), (5, "z")], "answers"),
        ([(1, "1"), (1, "2"), (2, "x")], "answers"),
        ([(1, "1"), (2, "x"), (9, "y")], "answers"),
        ([(1, "1"), (2, "x"), (True, "y")], "answers"),
        ([(1, "1"), (2, "x"), (3, "1850")], "question_3"),
        ([(1, "smarch"), (2, "x"), (3, "2001")], "question_1"),
    ],
)
def test_invalid_selection(answers: list[tuple[int, str]], field: str) -> None:
    with pytest.raises(AnswersInvalid) as caught:
        validate_selection(answers)
    assert caught.value.code == "answers_invalid"
    assert caught.value.field == field
