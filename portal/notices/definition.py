"""A notice definition (notices/*.yml): exactly the contract's fields, checked before any use.

Problems are collected, not raised one by one, and each names the field and its values, e.g.
"reset_window: start 2021-07-26 is after end 2021-07-23". YAML dates are read as text (so
2026-02-30 is reported, not a loader crash) and a key given twice is an error.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from chalicelib import school_year as school_years
from chalicelib.config import settings
from chalicelib.languages import LANGUAGES

NOTICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")  # as chalicelib.noticeboard accepts
SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
URL = re.compile(r"https?://[^\s/$.?#][^\s<>\"]*", re.IGNORECASE)
EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
SCHOOL_AUDIENCE = re.compile(r"school:([^\s:]+)")
LINKS = ("login_video", "claim_video", "reset_video", "wifi", "expectations")


class NoticeInvalid(Exception):
    """The definition cannot be used; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _url(value: Any) -> str:
    if not isinstance(value, str) or not URL.fullmatch(value.strip()):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.strip()


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} must be non-empty text")
    return value.strip()


def _email(value: Any) -> str:
    if not isinstance(value, str) or not EMAIL.fullmatch(value.strip()):
        raise ValueError(f"{value!r} is not an email address")
    return value.strip()


Day = Annotated[date, BeforeValidator(_day)]
Url = Annotated[str, BeforeValidator(_url)]
Text = Annotated[str, BeforeValidator(_text)]
Email = Annotated[str, BeforeValidator(_email)]
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


class Window(BaseModel):
    """The days on which teachers take reset tickets."""

    model_config = STRICT
    start: Day
    end: Day


class Links(BaseModel):
    """The pages the notice points to."""

    model_config = STRICT
    login_video: Url
    claim_video: Url
    reset_video: Url
    wifi: Url
    expectations: Url


def _names(value: Any) -> Any:
    """One name for every language, or one per language (all four: a reader sees their own)."""
    if isinstance(value, dict):
        if sorted(value) != sorted(LANGUAGES):
            raise ValueError(f"give a name for each of {', '.join(LANGUAGES)}")
        return {lang: _text(text) for lang, text in value.items()}
    return _text(value)


class Sender(BaseModel):
    """Who the email comes from."""

    model_config = STRICT
    name: Annotated[str | dict[str, str], BeforeValidator(_names)]
    email: Email

    def name_in(self, lang: str) -> str:
        """The sender's name as a reader of `lang` sees it in the From line."""
        return self.name[lang] if isinstance(self.name, dict) else self.name


class Definition(BaseModel):
    """The facts of one notice (CONTRACT.md section 2, "Notices")."""

    model_config = STRICT
    id: str
    kind: str
    school_year: str
    login_deadline: Day
    reset_window: Window
    links: Links
    audience: str
    sender: Sender | None = None
    new_student_delay_hours: int | None = Field(default=None)

    @property
    def first_year(self) -> int:
        """2026 for "2026-2027"."""
        return int(self.school_year[:4])

    @property
    def year_start(self) -> date:
        """July 1 of the first year."""
        return school_years.bounds(self.first_year + 1)[0]

    @property
    def year_end(self) -> date:
        """June 30 of the second year."""
        return school_years.bounds(self.first_year + 1)[1]

    @property
    def school(self) -> str | None:
        """The org sourcedId of a school audience, None for the whole district."""
        match = SCHOOL_AUDIENCE.fullmatch(self.audience)
        return match.group(1) if match else None

    @property
    def delay_hours(self) -> int:
        """Hours a new student waits before claiming (the district's setting)."""
        return settings().claim_delay_hours


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text and refuses a key given twice."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key}: given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read(path: Path) -> dict[str, Any]:
    """The YAML mapping in `path`, or NoticeInvalid."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe
    except OSError as err:
        raise NoticeInvalid([f"{path}: cannot be read ({err.strerror})"]) from None
    except UnicodeDecodeError:
        raise NoticeInvalid([f"{path}: not UTF-8 text"]) from None
    except yaml.YAMLError as err:
        raise NoticeInvalid([f"{path}: not valid YAML: {err}".replace("\n", " ")]) from None
    if not isinstance(data, dict):
        raise NoticeInvalid([f"{path}: must be a mapping of the notice's fields"])
    return data


def parse(data: dict[str, Any]) -> Definition:
    """Validate a mapping: every field and type problem, then every broken rule between fields."""
    try:
        definition = Definition.model_validate(data)
    except ValidationError as err:
        problems = [_describe(e) for e in err.errors()]
        raise NoticeInvalid(problems + rules(_valid_fields(data))) from None
    problems = rules(dict(definition))
    if problems:
        raise NoticeInvalid(problems)
    return definition


def load(path: Path) -> Definition:
    """Read and validate a definition file (templates are checked by render.check)."""
    return parse(read(path))


def _valid_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of `data` that are valid on their own (so the rules can still be checked)."""
    valid = {}
    for name, info in Definition.model_fields.items():
        if name in data and info.annotation is not None:
            try:
                valid[name] = TypeAdapter(info.annotation).validate_python(data[name])
            except (ValidationError, TypeError):
                continue
    return valid


def rules(fields: dict[str, Any]) -> list[str]:
    """Every broken rule among the (valid) fields given."""
    problems: list[str] = []
    notice_id = fields.get("id")
    if notice_id is not None and not NOTICE_ID.fullmatch(notice_id):
        problems.append(
            f"id: {notice_id!r} must be lower-case letters, digits and dashes (at most 100)"
        )
    days = {}
    if "login_deadline" in fields:
        days["login_deadline"] = fields["login_deadline"]
    window = fields.get("reset_window")
    if window is not None:
        days["reset_window.start"], days["reset_window.end"] = window.start, window.end
    school_year = fields.get("school_year")
    if school_year is not None:
        year = SCHOOL_YEAR.fullmatch(school_year)
        if not year or int(year.group(2)) != int(year.group(1)) + 1:
            problems.append(
                f"school_year: {school_year!r} must be two years in a row, like 2026-2027"
            )
        else:
            first, last = school_years.bounds(int(year.group(2)))
            for name, day in days.items():
                if not first <= day <= last:
                    problems.append(
                        f"{name}: {day} is outside the school year {school_year} "
                        f"({first} to {last})"
                    )
    if window is not None:
        if window.start > window.end:
            problems.append(f"reset_window: start {window.start} is after end {window.end}")
        deadline = fields.get("login_deadline")
        if deadline is not None and window.end > deadline:
            problems.append(f"reset_window: end {window.end} is after login_deadline {deadline}")
    audience = fields.get("audience")
    if audience is not None and audience != "district" and not SCHOOL_AUDIENCE.fullmatch(audience):
        problems.append(f"audience: {audience!r} must be 'district' or 'school:<org sourcedId>'")
    hours, wanted = fields.get("new_student_delay_hours"), settings().claim_delay_hours
    if hours is not None and hours != wanted:
        problems.append(f"new_student_delay_hours: {hours} differs from CLAIM_DELAY_HOURS {wanted}")
    return problems


def _describe(error: Any) -> str:
    """One pydantic error as "field: problem" with the offending value."""
    where = ".".join(str(part) for part in error["loc"])
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return f"{where}: missing"
    if kind == "extra_forbidden":
        parent = error["loc"][:-1]
        allowed = _allowed(parent)
        return f"{where}: unknown field (allowed: {', '.join(allowed)})"
    if kind == "value_error":
        return f"{where}: {error['ctx']['error']}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{where}: {value!r} must be a mapping"
    expected = {"string_type": "text", "int_type": "a whole number"}.get(kind, error["msg"])
    return f"{where}: {value!r} must be {expected}"


def _allowed(parent: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Definition
    for part in parent:
        annotation = model.model_fields[str(part)].annotation
        model = next(
            (a for a in getattr(annotation, "__args__", (annotation,)) if isinstance(a, type)),
            model,
        )
    return list(model.model_fields)
