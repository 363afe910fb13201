"""A parent's chosen language: GET /me, PUT /me/language, kept by SIS imports, used by sends."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest

from chalicelib import languages, noticeboard, sis
from chalicelib.api import models
from portal.activation_keys import issue_keys
from portal.notices import definition, send

from .support.api import body
from .support.demo import DEMO, import_demo, parent, set_user_column
from .support.factories import get, put
from .support.notices import DEMO_NOTICE, private_tables, read_mail


@pytest.fixture(scope="module")
def district(dynamodb: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the demo export, imported into this module's own tables."""
    with private_tables("langchoice-"):
        export = tmp_path_factory.mktemp("sis") / "export"
        shutil.copytree(DEMO, export)
        import_demo(export)
        yield export


def language_of(api: Any, token: str) -> str:
    """The language GET /me reports."""
    return str(body(get(api, "/me", token))["language"])


@pytest.mark.unit
def test_the_request_model_offers_exactly_the_four_languages() -> None:
    assert get_args(models.Language) == languages.LANGUAGES


def test_without_a_choice_the_sis_language_holds(api: Any, district: Path) -> None:
    rafael = parent(api, "gdn-rafael-pena", "RafaelP")
    assert language_of(api, rafael) == "es"


@pytest.mark.parametrize(
    "payload",
    [
        {"language": "de"},
        {"language": "FR"},
        {"language": "fr-CA"},
        {"language": ""},
        {"language": None},
        {"language": 1},
        {"language": ["fr"]},
        {},
        {"language": "fr", "extra": True},
        ["fr"],
        "fr",
    ],
)
def test_anything_but_one_of_the_four_languages_is_refused(
    api: Any, district: Path, payload: Any
) -> None:
    rafael = parent(api, "gdn-rafael-pena", "RafaelP")
    refused = put(api, "/me/language", payload, rafael)
    assert refused.status_code == 400 and body(refused)["error"] == "invalid_request"
    assert language_of(api, rafael) == "es"


def test_choosing_needs_a_session(api: Any, district: Path) -> None:
    refused = put(api, "/me/language", {"language": "fr"})
    assert refused.status_code == 401 and body(refused)["error"] == "session_invalid"


def test_portal_notices_follow_the_choice(api: Any, district: Path) -> None:
    noticeboard.publish("welcome", "fr", "2026-08-01", "Bienvenue", "Bonjour.")
    noticeboard.publish("welcome", "vi", "2026-08-01", "Chào mừng", "Xin chào.")
    lan = parent(api, "gdn-lan-tran", "LanT")
    assert body(get(api, "/notices", lan))["district"][0]["title"] == "Chào mừng"
    assert put(api, "/me/language", {"language": "fr"}, lan).status_code == 204
    assert body(get(api, "/notices", lan))["district"][0]["title"] == "Bienvenue"
    put(api, "/me/language", {"language": "vi"}, lan)  # as the send test below expects


def test_the_choice_survives_a_reimport_and_the_next_send_uses_it(
    api: Any, district: Path, smtp: Path
) -> None:
    donald = parent(api, "gdn-donald-clayton", "DonaldC")
    assert language_of(api, donald) == "fr"  # the SIS's
    assert put(api, "/me/language", {"language": "vi"}, donald).status_code == 204
    assert language_of(api, donald) == "vi"
    # The next export changes both Daffy's guardians' SIS language; only Lan never chose one.
    set_user_column(district, "gdn-donald-clayton", "metadata.language", "es")
    set_user_column(district, "gdn-rafael-pena", "metadata.language", "en")
    import_demo(district)
    donald_in_sis = sis.get_guardian("gdn-donald-clayton")
    assert donald_in_sis is not None and donald_in_sis.language == "es"
    assert language_of(api, donald) == "vi"
    rafael = parent(api, "gdn-rafael-pena", "RafaelP")
    assert language_of(api, rafael) == "en"  # no choice: the SIS's new language

    notice = definition.parse({**definition.read(DEMO_NOTICE), "id": "langchoice"})
    outcome = send.send(notice)
    assert outcome.exit_code == 0
    mail = {m["To"]: m for m in read_mail(smtp)}
    donald_mail = mail["donald.clayton@example.org"]
    assert donald_mail["Content-Language"] == "vi"
    assert donald_mail["Subject"].startswith("Tựu trường")
    assert mail["rafael.pena@example.org"]["Content-Language"] == "en"
    assert mail["lan.tran@example.org"]["Content-Language"] == "vi"


def test_a_parent_with_an_account_gets_no_key_and_others_get_their_sis_language(
    api: Any, district: Path, tmp_path: Path
) -> None:
    """Keys go only to guardians without an account (issue 15, I1), in the SIS's language."""
    rafael = parent(api, "gdn-rafael-pena", "RafaelP")
    assert put(api, "/me/language", {"language": "fr"}, rafael).status_code == 204
    letters = tmp_path / "keys.csv"
    with pytest.raises(LookupError, match="already has an account"):
        issue_keys("gdn-rafael-pena", letters)
    issue_keys("gdn-minnie-clayton", letters)  # never activated: the SIS's language
    with letters.open(encoding="utf-8", newline="") as handle:
        assert [r["language"] for r in csv.DictReader(handle)] == ["en"]
