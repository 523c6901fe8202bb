"""A printable door list: confirmed people from A to Z, a box to tick, and what they told us.

An HTML page, not a download: names are shown exactly as typed (HTML escaping, no formula
neutralization), in big type, with a print stylesheet.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registrations.exports.base import Exporter
from registrations.exports.rows import ExportTable
from registrations.models import Registration


@dataclass(frozen=True)
class DoorListEntry:
    name: str
    email: str
    notes: list[str]
    status: str
    checked_in_at: datetime | None


class DoorListExporter(Exporter):
    name = "door-list"
    label = _("Printable door list")
    description = _("Confirmed people from A to Z with a box to tick, for the venue door.")
    content_type = "text/html; charset=utf-8"
    file_extension = "html"
    as_attachment = False
    neutralizes_formulas = False
    default_status = Registration.Status.CONFIRMED
    default_ordering = "name"

    def entries(self, table: ExportTable) -> Iterator[DoorListEntry]:
        position = {column.key: index for index, column in enumerate(table.columns)}
        questions = [
            (index, column.header)
            for index, column in enumerate(table.columns)
            if column.key.startswith("question_")
        ]
        statuses = dict(Registration.Status.choices)
        for row in self.safe_rows(table):
            notes = [f"{label}: {row[index]}" for index, label in questions if row[index]]
            status = str(row[position["status"]])
            yield DoorListEntry(
                name=str(row[position["name"]]),
                email=str(row[position["email"]]),
                notes=notes,
                status="" if status == Registration.Status.CONFIRMED else str(statuses[status]),
                checked_in_at=_moment(row[position["checked_in_at"]]),
            )

    def stream(self, table: ExportTable) -> Iterator[bytes]:
        context = {
            "event": table.event,
            "filters": table.filters,
            "entries": list(self.entries(table)),
            "printed_at": timezone.now(),
        }
        yield render_to_string("registrations/exports/doorlist.html", context).encode()


def _moment(cell: object) -> datetime | None:
    return datetime.fromisoformat(cell) if isinstance(cell, str) else None
