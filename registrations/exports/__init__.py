"""Attendee export formats, interchangeable like ``django.contrib.sessions.backends``.

Every format writes the rows of the one generator in ``rows.py``; a new format is one small
``Exporter`` subclass in this package plus one line below.
"""

from django.utils.module_loading import import_string

from registrations.exports.base import Exporter

EXPORTERS = {
    "csv": "registrations.exports.csv.CsvExporter",
    "csv-excel": "registrations.exports.csv.ExcelCsvExporter",
    "xlsx": "registrations.exports.xlsx.XlsxExporter",
    "door-list": "registrations.exports.doorlist.DoorListExporter",
}


def exporter_for(name: str) -> Exporter:
    """The exporter called ``name``; ``LookupError`` if there is none."""
    try:
        exporter_class: type[Exporter] = import_string(EXPORTERS[name])
    except KeyError:
        raise LookupError(name) from None
    return exporter_class()


def available_exporters() -> list[Exporter]:
    return [exporter_for(name) for name in EXPORTERS]
