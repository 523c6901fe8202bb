"""XLSX with openpyxl in write-only mode: rows go to a temporary file as they come.

Texts are written as explicit string cells, so nothing an attendee typed can become a formula
or an error value (openpyxl would turn ``=...`` into a formula and ``#N/A`` into an error);
formula triggers are also neutralized like in CSV, because a user may later re-save the
sheet as CSV. Instants are real datetime cells. Excel has no time zones, so they are written
in UTC, say so in their header and their number format, and a last column names the zone.
"""

from datetime import UTC, datetime
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from registrations.exports.base import Exporter
from registrations.exports.rows import ColumnKind, ExportTable

INSTANT_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"'
SHEET_TITLE_MAX = 31  # Excel's limit


class XlsxExporter(Exporter):
    name = "xlsx"
    label = gettext_lazy("Excel workbook (XLSX)")
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"
    streams = False

    def write(self, table: ExportTable, output: BinaryIO) -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Attendees")[:SHEET_TITLE_MAX])
        bold = Font(bold=True)
        headers = [*self.safe_headers(table), _("Times are in")]
        sheet.append([_text_cell(sheet, header, font=bold) for header in headers])
        kinds = [column.kind for column in table.columns]
        for row in self.safe_rows(table):
            cells: list[object] = []
            for kind, value in zip(kinds, row, strict=True):
                if value is None:
                    cells.append(None)
                elif kind is ColumnKind.INSTANT:
                    cells.append(_instant_cell(sheet, value))  # type: ignore[arg-type]
                elif isinstance(value, str):
                    cells.append(_text_cell(sheet, value))
                else:
                    cells.append(value)
            cells.append("UTC")
            sheet.append(cells)
        workbook.save(output)


def _text_cell(sheet: WriteOnlyWorksheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    # Control characters are not allowed in XLSX at all; show where one was.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _instant_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    moment = datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=moment)
    cell.number_format = INSTANT_FORMAT
    return cell
