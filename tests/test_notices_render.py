"""One template per language → site page, email (text + HTML), printable HTML; dates by Babel."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import date

import pytest

from chalicelib.languages import LANGUAGES
from portal.notices import definition, mailer, pdf
from portal.notices.formats import hours, join, long_date
from portal.notices.render import Recipient, Renderer
from portal.notices.text import html_to_text

from .support.french import spacing_faults
from .support.notices import DEMO_NOTICE

pytestmark = pytest.mark.unit

SITE = "https://help.district.example/"
NOTICE = definition.load(DEMO_NOTICE)
# L3: the same day in every locale, as Babel writes it (format="long"; Vietnamese's own pattern).
L3 = {
    "en": "August 10, 2020",
    "fr": "10 août 2020",
    "es": "10 de agosto de 2020",
    "vi": "ngày 10 tháng 8 năm 2020",  # not CLDR's "10 tháng 8, 2020": the native long date
}
DEADLINE = {"en": "August 3, 2026", "fr": "3 août 2026", "es": "3 de agosto de 2026",
            "vi": "ngày 3 tháng 8 năm 2026"}  # fmt: skip
WINDOW = {
    "en": "between July 20, 2026 and July 31, 2026",
    "fr": "entre le 20 juillet 2026 et le 31 juillet 2026",
    "es": "entre el 20 de julio de 2026 y el 31 de julio de 2026",
    "vi": "từ ngày 20 tháng 7 năm 2026 đến ngày 31 tháng 7 năm 2026",
}
# Words each language's notice must use (site/glossary/*.yml) and a sentence that proves the
# body is in that language.
TERMS = {
    "en": ["claim the account", "challenge questions", "reset ticket", "24 hours", "Go", "Save"],
    "fr": ["configurer", "questions de sécurité", "demande de réinitialisation", "24 heures",
           "Valider", "Enregistrer", "vous"],
    "es": ["configurar", "preguntas de seguridad", "solicitud de restablecimiento de cuenta",
           "24 horas", "Ir", "Guardar", "su hijo o hija"],
    "vi": ["nhận tài khoản", "câu hỏi bảo mật", "phiếu yêu cầu đặt lại", "24 giờ",
           "Tiếp tục", "Lưu", "quý phụ huynh"],
}  # fmt: skip
ANCHORS = ["log-in", "login-troubleshooting", "new-students", "what-you-need", "claim-steps",
           "claim-troubleshooting"]  # fmt: skip


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(NOTICE, SITE)


def test_l3_dates_for_every_locale() -> None:
    for lang, expected in L3.items():
        assert long_date(date(2020, 8, 10), lang) == expected


def test_hours_and_lists_follow_each_locale() -> None:
    spaced = {
        lang: hours(24, lang).replace("\u00a0", " ").replace("\u202f", " ") for lang in LANGUAGES
    }
    assert spaced == {"en": "24 hours", "fr": "24 heures", "es": "24 horas", "vi": "24 giờ"}
    assert hours(1, "en") == "1 hour"
    assert [join(("A", "B", "C"), lang) for lang in LANGUAGES] == [
        "A, B, and C", "A, B et C", "A, B y C", "A, B và C"]  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_renders_the_whole_notice(renderer: Renderer, lang: str) -> None:
    parts = renderer.parts(lang)
    message = renderer.message(Recipient("ana@example.org", lang, ("Ana Diaz",), ("Ben", "Eva")))
    for text in (
        parts.page_md,
        message.text,
        message.html,
        message.subject,
        *parts.labels.values(),
    ):
        assert "{{" not in text and "{%" not in text and "None" not in text
    body = message.text.replace("\u00a0", " ").replace("\u202f", " ")  # Babel's fine spaces
    assert DEADLINE[lang] in message.subject and DEADLINE[lang] in body
    assert WINDOW[lang] in body
    for term in TERMS[lang]:
        assert term in body, term
    for product in ("CCPS Portal", "Infinite Campus"):
        assert product in body
    for url in dict(NOTICE.links).values():  # login, claim, reset videos, Wi-Fi, expectations
        assert url in body and f'href="{url}"' in message.html
    assert "S0123456" in body and "Ctrl" in body  # login steps and troubleshooting kept
    assert body.count("\n1. ") == 2  # the login steps and the claim steps
    assert "Ben" in message.text  # the footer names the students
    assert message.text.split("\n")[0].count("Ana Diaz") == 1  # every greeting names Ana
    assert "ana@example.org" in message.text
    assert f'<html lang="{lang}">' in message.html
    assert all(f'id="{anchor}"' in message.html for anchor in ANCHORS)


def test_the_seed_mistakes_are_not_copied(renderer: Renderer) -> None:
    english = renderer.parts("en").body_text
    assert "You can now follow the steps" in english
    assert "can not follow" not in english and "cannot follow" not in english
    assert "Homeowrk" not in english
    assert "réclamer" not in renderer.parts("fr").body_text.lower()  # glossary: not a complaint


def test_every_language_has_the_same_structure(renderer: Renderer) -> None:
    shapes = {}
    for lang in LANGUAGES:
        markdown = renderer.parts(lang).page_md
        shapes[lang] = [
            (line.split(" ", 1)[0], re.findall(r"\{ #[a-z-]+ \}", line))
            for line in markdown.splitlines()
            if line.startswith(("#", "|", "!!!", "1.", "9.", "- "))
        ]
    assert shapes["fr"] == shapes["en"] and shapes["es"] == shapes["en"]
    assert shapes["vi"] == shapes["en"]


def test_links_between_site_pages(renderer: Renderer) -> None:
    for lang in LANGUAGES:
        prefix = "" if lang == "en" else f"{lang}/"
        parts = renderer.parts(lang)
        assert "](../students/login.md)" in parts.page_md  # the site checks and rewrites it
        assert f'href="{SITE}{prefix}students/login/"' in parts.body_html  # mail and paper
        assert parts.web_url == f"{SITE}{prefix}notices/back-to-school-2026-27/"
        assert parts.pdf_url == f"{SITE}{prefix}notices/back-to-school-2026-27.pdf"


def test_greeting_and_footer_name_the_recipients(renderer: Renderer) -> None:
    pair = Recipient("fam@example.org", "fr", ("Ana Diaz", "Luis Diaz"), ("Ben", "Eva"))
    message = renderer.message(pair)
    assert message.text.startswith("Bonjour Ana Diaz et Luis Diaz,")
    assert "parent ou tuteur de Ben et Eva" in message.text
    assert renderer.parts("fr").greeting == "Chers parents et tuteurs,"  # site and PDF


def test_the_email_is_multipart_with_language_and_stable_message_id(renderer: Renderer) -> None:
    recipient = Recipient("lan.tran@example.org", "vi", ("Lan Trần",), ("Bảo",))
    header, sender = mailer.sender_of("Phòng Truyền thông", "notices@district.example")
    ids = {mailer.message_id(NOTICE.id, recipient.address, "vi", "district.example") for _ in "ab"}
    assert len(ids) == 1
    msg_id = ids.pop()
    assert msg_id != mailer.message_id(NOTICE.id, recipient.address, "en", "district.example")
    raw = mailer.mime(renderer.message(recipient), lang="vi", to=recipient.address,
                      from_header=header, msg_id=msg_id, notice_id=NOTICE.id)  # fmt: skip
    assert all(len(line) <= 998 for line in raw.split(b"\r\n")) and raw.isascii()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Content-Language"] == "vi" and parsed["Message-ID"] == msg_id
    assert parsed["X-Portal-Message-ID"] == msg_id  # kept where SES rewrites Message-ID
    assert parsed["From"] == "Phòng Truyền thông <notices@district.example>" and sender
    assert parsed["Subject"].startswith("Tựu trường năm học 2026-2027")
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert text.startswith("Kính gửi phụ huynh Lan Trần,") and "ngày 3 tháng 8 năm 2026" in html


def test_printable_html_has_a_qr_code_to_the_same_language_page(renderer: Renderer) -> None:
    page = pdf.print_html(renderer, "es")
    assert '<html lang="es">' in page and "<svg" in page and "<path" in page
    assert f"{SITE}es/notices/back-to-school-2026-27/" in page
    assert "Escanee este código" in page


def test_french_outputs_have_no_break_spaces_everywhere(renderer: Renderer) -> None:
    parts = renderer.parts("fr")
    message = renderer.message(Recipient("ana@example.org", "fr", ("Ana Diaz",), ("Ben",)))
    outputs = {
        "page": parts.page_md,
        "subject": message.subject,
        "email text": message.text,
        "email html": message.html,
        "print": pdf.print_html(renderer, "fr"),
        "portal": renderer.board_body("fr"),
    }
    for name, text in outputs.items():
        assert spacing_faults(text) == [], name
    assert "\u00a0:" in message.text and "«\u00a0" in message.html  # the marks are there
    assert "Exemple :" in spacing_faults("Exemple : S0123456")[0]  # the check can fail
    assert spacing_faults("« Oui ! »; non?") and not spacing_faults("https://a.b/?c=d")


def test_html_to_text_keeps_lists_tables_and_links() -> None:
    html = (
        "<p>Read <a href='https://x.org/a'>this</a> and <a href='#top'>that</a>.</p>"
        "<ol><li>One</li><li>Two</li></ol><ul><li>Dot</li></ul>"
        "<table><thead><tr><th>Problem</th><th>What to do</th></tr></thead>"
        "<tbody><tr><td>Lost</td><td>Ask <b>us</b></td></tr></tbody></table>"
    )
    assert html_to_text(html) == (
        "Read this <https://x.org/a> and that.\n\n1. One\n2. Two\n\n- Dot\n\n"
        "Problem: Lost\nWhat to do: Ask us\n"
    )
    assert "Problème\u00a0: Perdu" in html_to_text(html.replace("Problem", "Problème").replace(
        "Lost", "Perdu"), "fr")  # fmt: skip
