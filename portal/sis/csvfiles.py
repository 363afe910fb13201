"""Reading one OneRoster CSV file: encoding, header, rows with physical line numbers, field checks.

Every problem becomes one `file:line: column: problem` string (CONTRACT.md section 3); "—"
stands for a line or column that does not apply (a missing file, an undecodable line).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

NONE = "—"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?")
_BOOLEANS = {"true": True, "false": False}


def problem(file: str, line: int | str, column: str, text: str) -> str:
    """One error line as the CLI prints it."""
    return f"{file}:{line}: {column}: {text}"


def is_tobedeleted(row: dict[str, str]) -> bool:
    """True when the row's status takes it out of the snapshot."""
    return row.get("status", "").strip() == "tobedeleted"


class Errors:
    """Every problem (or every warning) found in an export; by file in reading order, then line."""

    def __init__(self) -> None:
        self._found: list[tuple[str, int | str, str, str]] = []
        self._rank: dict[str, int] = {}

    def add(self, file: str, line: int | str, column: str, text: str) -> None:
        """Record one problem."""
        self._rank.setdefault(file, len(self._rank))
        self._found.append((file, line, column, text))

    def lines(self) -> list[str]:
        """The problems as `file:line: column: problem`, references checked late included."""
        order = sorted(
            self._found, key=lambda p: (self._rank[p[0]], p[1] if isinstance(p[1], int) else 0)
        )
        return [problem(*p) for p in order]

    def __bool__(self) -> bool:
        return bool(self._found)


class _Counting(io.RawIOBase):
    """A binary file that reports how many bytes were read (drives the progress bar)."""

    def __init__(self, raw: BinaryIO, tick: Callable[[int], None] | None) -> None:
        self.raw, self.tick = raw, tick

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if self.tick and count:
            self.tick(count)
        return count or 0


Row = tuple[int, dict[str, str]]  # physical line where the record starts, values by column


def closest(column: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `column` (difflib, any letter case), if one is close enough."""
    folded = {c.casefold(): c for c in candidates}
    found = difflib.get_close_matches(column.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[found[0]] if found else None


class CsvFile:
    """One file of the export, read as UTF-8 (a BOM is allowed) with its header checked.

    A problem with what the product reads goes to `errors`; an oddity in a column it never
    reads (unknown, repeated or unnamed) goes to `warnings`. `known` is every column of the
    file the product knows (its standard and extension columns), `required` those it needs.
    """

    def __init__(
        self,
        directory: Path,
        name: str,
        required: list[str],
        errors: Errors,
        tick: Callable[[int], None] | None = None,
        known: Collection[str] = (),
        warnings: Errors | None = None,
    ) -> None:
        self.path, self.name, self.required = directory / name, name, required
        self.known = set(known) | set(required)
        self.errors, self.tick = errors, tick
        self.warnings = Errors() if warnings is None else warnings
        self.ok = True  # False once the file is missing, unreadable or lacks columns
        self.columns: list[str] = []
        self.rows_read = 0

    def rows(self) -> Iterator[Row]:
        """Data rows with their starting line; problems with the file itself go to `errors`."""
        if not self.path.is_file():
            self.errors.add(self.name, NONE, NONE, "missing file")
            self.ok = False
            return
        try:
            raw = self.path.open("rb")
        except OSError as failed:  # e.g. no permission: a problem of the export, not a crash
            self.errors.add(self.name, NONE, NONE, f"cannot be read ({failed.strerror})")
            self.ok = False
            return
        with raw:
            text = io.TextIOWrapper(
                io.BufferedReader(_Counting(raw, self.tick), 1 << 16),
                encoding="utf-8-sig",
                newline="",
            )
            reader = csv.reader(text, strict=True)
            try:
                yield from self._records(reader)
            except UnicodeDecodeError:
                self.errors.add(self.name, _first_bad_line(self.path), NONE, "not UTF-8")
                self.ok = False
            except csv.Error as err:
                self.errors.add(self.name, reader.line_num, NONE, f"not valid CSV ({err})")
                self.ok = False

    def _records(self, reader: Iterator[list[str]]) -> Iterator[Row]:
        header = next(reader, None)
        if header is None:
            self.errors.add(self.name, 1, NONE, "empty file (no header line)")
            self.ok = False
            return
        self.columns = [h.strip() for h in header]
        missing = self._check_header()
        if missing:
            self.ok = False
            return
        width, columns = len(self.columns), self.columns
        end = reader.line_num  # type: ignore[attr-defined]
        for values in reader:
            start, end = end + 1, reader.line_num  # type: ignore[attr-defined]
            if not values or values == [""]:
                continue  # a blank line is not a record
            self.rows_read += 1
            if len(values) != width:
                text = f"expected {width} fields, found {len(values)}"
                self.errors.add(self.name, start, NONE, text)
                continue
            yield start, dict(zip(columns, values, strict=True))

    def _check_header(self) -> list[str]:
        """Report missing columns (naming the closest one found) and odd ones; the missing."""
        unknown = [c for c in dict.fromkeys(self.columns) if c not in self.known]
        missing = [c for c in self.required if c not in self.columns]
        hinted: set[str] = set()  # unknown columns named by a missing one: not warned again
        for column in missing:
            found = closest(column, unknown)
            if found:
                hinted.add(found)
            # Always say what the header offers instead, so the fix is clear at a glance.
            offered = f"found {found}" if found else "no column like it in this file"
            self.errors.add(self.name, 1, column, f"missing column ({offered})")
        first: dict[str, int] = {}
        for number, column in enumerate(self.columns, start=1):
            if column in first:
                # Which of two same-named columns holds the value is a guess: refuse to guess.
                sink = self.errors if column in self.known else self.warnings
                sink.add(self.name, 1, column or NONE,
                         f"column {number} repeats column {first[column]}")  # fmt: skip
                continue
            first[column] = number
            if column not in unknown or column in hinted:
                continue
            if not column:
                self.warnings.add(self.name, 1, NONE, f"column {number} has no name; not read")
                continue
            absent = [k for k in self.known if k not in self.columns]
            like = closest(column, absent)
            if like:
                self.warnings.add(self.name, 1, column, f"unknown column, not read (did you "
                                                        f"mean {like}?)")  # fmt: skip
            elif not column.startswith("metadata."):  # a district's own metadata is expected
                self.warnings.add(self.name, 1, column, "unknown column, not read")
        return missing


def _first_bad_line(path: Path) -> int:
    """Physical line (1-based) holding the first byte sequence that is not UTF-8."""
    decoder_line = 1
    with path.open("rb") as raw:
        for number, chunk in enumerate(raw, start=1):
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                return number
            decoder_line = number
    return decoder_line  # a sequence cut by the end of file


class Checker:
    """Field checks for one row; each failure is recorded against the row's line."""

    def __init__(self, file: str, errors: Errors) -> None:
        self.file, self.errors = file, errors
        self.line = 0

    def fail(self, column: str, text: str) -> None:
        """Record a problem of the current row."""
        self.errors.add(self.file, self.line, column, text)

    def required(self, row: dict[str, str], column: str) -> str:
        """The value, or "" after reporting that it is missing."""
        value = row[column]
        if not value.strip():
            self.fail(column, "required value missing")
        return value

    def date(self, row: dict[str, str], column: str, required: bool = False) -> str:
        """A YYYY-MM-DD date (or "" when optional and blank)."""
        value = row[column].strip()
        if not value:
            if required:
                self.fail(column, "required value missing")
            return ""
        if _DATE.fullmatch(value):
            try:
                date.fromisoformat(value)
                return value
            except ValueError:
                pass
        self.fail(column, f"bad date {value!r} (expected YYYY-MM-DD)")
        return ""

    def datetime(self, row: dict[str, str], column: str, required: bool = False) -> str:
        """A date or an ISO 8601 date-time, as OneRoster allows for this column."""
        value = row[column].strip()
        if not value:
            if required:
                self.fail(column, "required value missing")
            return ""
        if _DATETIME.fullmatch(value):
            try:
                datetime.fromisoformat(value)
                return value
            except ValueError:
                pass
        self.fail(column, f"bad date {value!r} (expected YYYY-MM-DD or ISO 8601 date-time)")
        return ""

    def choice(self, row: dict[str, str], column: str, allowed: tuple[str, ...]) -> str:
        """One of `allowed` (exact spelling)."""
        value = row[column].strip()
        if value not in allowed:
            shown = ", ".join(a or '""' for a in allowed)
            self.fail(column, f"bad value {value!r} (expected one of: {shown})")
        return value

    def boolean(self, row: dict[str, str], column: str, blank: bool | None = None) -> bool:
        """`true` or `false` (any case); `blank` is the value of an empty field, if allowed."""
        value = row[column].strip().lower()
        if value in _BOOLEANS:
            return _BOOLEANS[value]
        if not value and blank is not None:
            return blank
        self.fail(column, f"bad value {row[column]!r} (expected true or false)")
        return False

    def number(self, row: dict[str, str], column: str, required: bool = False) -> float | None:
        """A finite decimal number, or None when blank and optional."""
        value = row[column].strip()
        if not value:
            if required:
                self.fail(column, "required value missing")
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.fail(column, f"not a number: {value!r}")
            return None
        return number
