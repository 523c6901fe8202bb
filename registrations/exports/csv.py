"""CSV: RFC 4180 (CRLF line ends, fields quoted only when needed, quotes doubled), UTF-8.

Two flavours:
- ``csv``: plain UTF-8 with commas, for programs, mail-merge tools and spreadsheets' import.
- ``csv-excel``: for double-clicking in Excel. Excel reads a CSV as UTF-8 only when it starts
  with a byte order mark, and splits columns on the *list separator of the computer's locale*,
  which is ``;`` wherever the decimal separator is a comma (most of continental Europe and Latin
  America). A ``sep=,`` first line would force the separator, but Excel
  then ignores the BOM (names in Farsi, Chinese or with accents turn into mojibake) and every
  other program shows ``sep=,`` as a data row; so this flavour is BOM + ``;``. XLSX is the
  locale-proof choice and the one the workspace recommends.
"""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from registrations.exports.base import Exporter
from registrations.exports.rows import Cell, ExportTable

# Bytes handed to the response at once: big enough to keep per-chunk overhead negligible,
# small enough that memory stays flat.
FLUSH_BYTES = 64 * 1024
# Rows handed to the csv module at once (one C call instead of one per row).
ROWS_PER_WRITE = 100


class CsvExporter(Exporter):
    name = "csv"
    label = _("CSV (UTF-8)")
    description = _("For mail-merge tools, other programs and spreadsheets' import dialogs.")
    content_type = "text/csv; charset=utf-8"
    file_extension = "csv"
    delimiter = ","
    byte_order_mark = b""

    def stream(self, table: ExportTable) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow(self.safe_headers(table))
        pending = self.byte_order_mark
        batch: list[list[Cell]] = []
        # Instants already are ISO-8601 text in UTC (rows.py), so every cell prints as is.
        for cells in self.safe_rows(table):
            batch.append(cells)
            if len(batch) == ROWS_PER_WRITE:
                writer.writerows(batch)
                batch.clear()
                if buffer.tell() >= FLUSH_BYTES:
                    yield pending + buffer.getvalue().encode()
                    pending = b""
                    buffer.seek(0)
                    buffer.truncate()
        writer.writerows(batch)
        yield pending + buffer.getvalue().encode()


class ExcelCsvExporter(CsvExporter):
    name = "csv-excel"
    label = _("CSV for Excel (UTF-8 with BOM, semicolons)")
    description = _(
        "Opens with a double click in Excel where the list separator is a semicolon "
        "(most of Europe); elsewhere choose XLSX."
    )
    file_suffix = "-excel"
    delimiter = ";"
    byte_order_mark = "\ufeff".encode()
