"""Reading an attendance report: Zoom's webinar attendee report, or any CSV.

Zoom's report (Reports → Webinars → Attendee report) is a CSV with a byte-order mark, a
preamble about the webinar, and sections ("Host Details", "Panelist Details", "Attendee
Details"), each a header line and its rows. Only the attendee section is read. Its columns
include ``Attended`` (Yes/No: registered people who never joined are listed too),
``User Name (Original Name)``, ``Email``, ``Join Time``, ``Leave Time`` and
``Time in Session (minutes)``; someone who left and rejoined has one row per visit.

Any other CSV is read from its header line (the first line naming an email column); the
organizer picks the email column and, if present, minutes or join and leave times
(``ColumnChoice``). Nothing here touches the database.
"""

import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import datetime

from django.utils.translation import gettext as _

from events.time_display import localize_digits

MAX_REPORT_BYTES = 2 * 1024 * 1024
MAX_REPORT_ROWS = 20_000
ZOOM = "zoom"
ANY_CSV = "csv"
_ZOOM_SECTION = "attendee details"
# Formats seen in Zoom's reports and in spreadsheets; ISO 8601 is tried first.
_TIME_FORMATS = (
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)


class ReportError(ValueError):
    """The file cannot be read as an attendance report; the message says why, for people."""


@dataclass(frozen=True)
class ColumnChoice:
    """Which columns (by position) hold what; only ``email`` is required."""

    email: int
    minutes: int | None = None
    join: int | None = None
    leave: int | None = None
    attended: int | None = None
    name: int | None = None


@dataclass(frozen=True)
class AttendanceReport:
    format: str
    headers: list[str]
    # (line number in the file, cells); padded to the headers' length.
    rows: list[tuple[int, list[str]]]
    guessed: ColumnChoice | None


@dataclass(frozen=True)
class ReportRow:
    """One line of the report as read with the chosen columns."""

    line: int
    email: str
    name: str
    attended: bool
    minutes: int | None


def report_decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as Excel writes it."""
    if len(data) > MAX_REPORT_BYTES:
        raise ReportError(
            _("The file is too large (the limit is %(size)d MB).")
            % {"size": MAX_REPORT_BYTES // (1024 * 1024)}
        )
    if b"\x00" in data:
        raise ReportError(_("This is not a CSV file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header_key(cell: str) -> str:
    return re.sub(r"\s+", " ", cell.strip().lower())


def _find(headers: list[str], *candidates: str) -> int | None:
    keys = [_header_key(header) for header in headers]
    for candidate in candidates:
        for index, key in enumerate(keys):
            if key == candidate or key.startswith(candidate + " ("):
                return index
    return None


def guess_columns(headers: list[str]) -> ColumnChoice | None:
    """The columns a header line names, by Zoom's names and common ones; None without email."""
    email = _find(headers, "email", "email address", "e-mail", "user email", "participant email")
    if email is None:
        return None
    return ColumnChoice(
        email=email,
        minutes=_find(headers, "time in session", "duration", "minutes", "total duration"),
        join=_find(headers, "join time", "joined at", "join"),
        leave=_find(headers, "leave time", "left at", "leave"),
        attended=_find(headers, "attended"),
        name=_find(headers, "user name", "name", "full name", "participant"),
    )


def report_read(text: str) -> AttendanceReport:
    """Read a report's text. Raises ``ReportError`` when no table can be found."""
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ReportError(_("The file is not valid CSV: %(error)s") % {"error": error}) from None
    if len(lines) > MAX_REPORT_ROWS:
        raise ReportError(
            _("The file has more than %(count)s lines.")
            % {"count": localize_digits(str(MAX_REPORT_ROWS))}
        )
    report = _read_zoom(lines) or _read_any(lines)
    if not report.rows:
        raise ReportError(_("The file has a header line but no rows below it."))
    return report


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _table(
    lines: list[list[str]], header_at: int, *, stop_at_section: bool
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    headers = [cell.strip() for cell in lines[header_at]]
    rows = []
    for index in range(header_at + 1, len(lines)):
        cells = lines[index]
        if _is_blank(cells):
            if stop_at_section:
                break
            continue
        if stop_at_section and len(cells) == 1 and cells[0].strip().endswith("Details"):
            break
        padded = [cell.strip() for cell in cells] + [""] * (len(headers) - len(cells))
        rows.append((index + 1, padded[: max(len(headers), 1)]))
    return headers, rows


def _read_zoom(lines: list[list[str]]) -> AttendanceReport | None:
    for index, cells in enumerate(lines):
        if cells and _header_key(cells[0]) == _ZOOM_SECTION:
            header_at = index + 1
            while header_at < len(lines) and _is_blank(lines[header_at]):
                header_at += 1
            if header_at >= len(lines):
                raise ReportError(_("The report's attendee section is empty."))
            headers, rows = _table(lines, header_at, stop_at_section=True)
            guessed = guess_columns(headers)
            if guessed is None:
                raise ReportError(_("The report's attendee section has no Email column."))
            return AttendanceReport(format=ZOOM, headers=headers, rows=rows, guessed=guessed)
    return None


def _read_any(lines: list[list[str]]) -> AttendanceReport:
    if all(_is_blank(cells) for cells in lines[:50]):
        raise ReportError(_("The file is empty."))
    # The first line naming an email column is the header; failing that, the first of the
    # widest lines (a preamble above the table is usually one or two cells wide).
    head = lines[:50]
    widest = max(len(cells) for cells in head if not _is_blank(cells))
    header_at = next(
        (i for i, cells in enumerate(head) if guess_columns(cells) is not None),
        next(i for i, cells in enumerate(head) if len(cells) == widest and not _is_blank(cells)),
    )
    headers, rows = _table(lines, header_at, stop_at_section=False)
    return AttendanceReport(
        format=ANY_CSV, headers=headers, rows=rows, guessed=guess_columns(headers)
    )


def _whole_minutes(minutes: float) -> int:
    # Half a minute rounds up (not to the even number, as round() would).
    return int(minutes + 0.5)


def parse_minutes(value: str) -> int | None:
    """Whole minutes from "42", "42.5" or "1:02:03" (h:mm:ss); None if unreadable."""
    value = value.strip()
    if not value:
        return None
    if ":" in value:  # h:mm or h:mm:ss
        parts = value.split(":")
        if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
            return None
        hours, minutes, seconds = (*map(int, parts), 0)[:3]
        return _whole_minutes(hours * 60 + minutes + seconds / 60)
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    if not 0 <= number < 100_000:
        return None
    return _whole_minutes(number)


def parse_time(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for time_format in _TIME_FORMATS:
        try:
            return datetime.strptime(value, time_format)  # noqa: DTZ007 - only differences used
        except ValueError:
            continue
    return None


def _minutes_between(join: str, leave: str) -> int | None:
    joined, left = parse_time(join), parse_time(leave)
    if joined is None or left is None or (joined.tzinfo is None) != (left.tzinfo is None):
        return None
    seconds = (left - joined).total_seconds()
    return _whole_minutes(seconds / 60) if seconds >= 0 else None


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def report_rows(report: AttendanceReport, columns: ColumnChoice) -> list[ReportRow]:
    """Each data row read with ``columns``. Raises ``ReportError`` for a column out of range."""
    width = len(report.headers)
    for index in (columns.email, columns.minutes, columns.join, columns.leave):
        if index is not None and not 0 <= index < width:
            raise ReportError(_("Choose columns the file has."))
    if (columns.join is None) != (columns.leave is None):
        columns = replace(columns, join=None, leave=None)
    rows = []
    for line, cells in report.rows:
        attended_cell = _cell(cells, columns.attended).strip().lower()
        attended = attended_cell not in ("no", "false", "0", "n")
        minutes = None
        if columns.minutes is not None:
            minutes = parse_minutes(_cell(cells, columns.minutes))
        elif columns.join is not None and columns.leave is not None:
            minutes = _minutes_between(_cell(cells, columns.join), _cell(cells, columns.leave))
        rows.append(
            ReportRow(
                line=line,
                email=_cell(cells, columns.email).strip(),
                name=_cell(cells, columns.name).strip(),
                attended=attended,
                minutes=minutes if attended else None,
            )
        )
    return rows
