"""What every export format is: a small class that writes the rows of an ExportTable."""

from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from django.utils.functional import Promise

from registrations.exports.rows import ExportTable, Row

# OWASP "CSV injection": a spreadsheet treats a cell starting with one of these as a formula
# (tab and carriage return because some programs strip them and then see the next character).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: str) -> str:
    """Prefix a would-be formula with a single quote so it is shown as text, never evaluated."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class Exporter:
    """One export format. Subclasses set the class attributes and implement ``stream``.

    ``streams`` says the format can be produced chunk by chunk inside a request at any size;
    formats that cannot (XLSX is a zip written at the end) override ``write`` instead and are
    built in the background when big.
    """

    name: ClassVar[str]
    label: ClassVar[str | Promise]
    description: ClassVar[str | Promise] = ""
    content_type: ClassVar[str]
    file_extension: ClassVar[str]
    # Goes before the extension in the file's name, for formats that share an extension.
    file_suffix: ClassVar[str] = ""
    as_attachment: ClassVar[bool] = True
    streams: ClassVar[bool] = True
    # Spreadsheets evaluate formulas; an HTML page does not and shows names exactly.
    neutralizes_formulas: ClassVar[bool] = True
    # The door list shows confirmed people alphabetically unless the query says otherwise.
    default_status: ClassVar[str] = ""
    default_ordering: ClassVar[str] = ""

    def stream(self, table: ExportTable) -> Iterator[bytes]:
        raise NotImplementedError

    def write(self, table: ExportTable, output: BinaryIO) -> None:
        for chunk in self.stream(table):
            output.write(chunk)

    def safe_headers(self, table: ExportTable) -> list[str]:
        if not self.neutralizes_formulas:
            return table.headers
        return [neutralize_formula(header) for header in table.headers]

    def safe_rows(self, table: ExportTable) -> Iterator[Row]:
        """The table's rows with every typed-in text neutralized: the one place this happens."""
        if not self.neutralizes_formulas:
            yield from table.rows
            return
        free_text = [index for index, column in enumerate(table.columns) if column.free_text]
        for row in table.rows:
            for index in free_text:
                value = row[index]
                if isinstance(value, str):
                    row[index] = neutralize_formula(value)
            yield row
