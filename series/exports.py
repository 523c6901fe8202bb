"""Series-wide attendee lists, as tables for the export formats (registrations.exports).

Two layouts (docs/series.md, "The attendee lists"):

- ``sessions``: one row per person and session, every session's registrations in turn;
- ``people``: one row per person (an email address), with a column per session holding
  their status in it, empty where they never registered.

The formats (CSV, CSV for Excel, XLSX) write them as they write an event's list, so formula
injection is neutralized in the same one place (``Exporter.safe_rows``). A series has at most
``MAX_SESSIONS`` sessions; the ``people`` table is gathered in memory (one small row per
person), the ``sessions`` table streams.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from events.models import Event
from events.timezones import utc_to_local
from registrations.exports.rows import (
    CHUNK_SIZE,
    Column,
    ColumnKind,
    ExportFilters,
    ExportTable,
    Row,
)
from registrations.models import Registration
from series.models import Series, SeriesRegistration


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _whole_series(series: Series) -> dict[str, SeriesRegistration]:
    """Active series registrations by normalized address."""
    return {
        member.email_normalized: member
        for member in series.registrations.filter(status=SeriesRegistration.Status.ACTIVE)
    }


def series_sessions_table(series: Series) -> ExportTable:
    """One row per person and session, by session start, then registration."""
    columns = [
        Column("session_starts_at", _("Session starts at (UTC)"), ColumnKind.INSTANT),
        Column("session", _("Session"), free_text=True),
        Column("name", _("Name"), free_text=True),
        Column("email", _("Email"), free_text=True),
        Column("status", _("Status")),
        Column("registered_at", _("Registered at (UTC)"), ColumnKind.INSTANT),
        Column("time_zone", _("Registrant time zone")),
        Column("whole_series", _("Registered for every session")),
    ]
    return ExportTable(
        event=None, filters=ExportFilters(), columns=columns, rows=_session_rows(series)
    )


def _session_rows(series: Series) -> Iterator[Row]:
    members = _whole_series(series)
    yes, no = _("yes"), _("no")
    rows = (
        Registration.objects.filter(event__series_session__series=series)
        .order_by("event__starts_at", "event_id", "created_at", "id")
        .values_list(
            "event__starts_at",
            "event__title",
            "name",
            "email",
            "email_normalized",
            "status",
            "created_at",
            "time_zone",
        )
    )
    for starts_at, title, name, email, normalized, status, created_at, zone in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield [
            _instant(starts_at),
            title,
            name,
            email,
            status,
            _instant(created_at),
            zone,
            yes if normalized in members else no,
        ]


@dataclass
class _Person:
    name: str
    email: str
    time_zone: str
    statuses: dict[int, str] = field(default_factory=dict)


def series_people_table(series: Series) -> ExportTable:
    """One row per person, with their status in each session (a column per session, headed
    by its local start in the series' zone), alphabetically by name."""
    sessions = list(
        Event.objects.filter(series_session__series=series)
        .order_by("starts_at", "id")
        .values_list("pk", "starts_at", "status")
    )
    cancelled = _("cancelled")
    columns = [
        Column("name", _("Name"), free_text=True),
        Column("email", _("Email"), free_text=True),
        Column("time_zone", _("Registrant time zone")),
        Column("whole_series", _("Registered for every session")),
        Column("sessions_confirmed", _("Sessions with a seat"), ColumnKind.NUMBER),
        *(
            Column(
                f"session_{pk}",
                f"{utc_to_local(starts_at, series.time_zone):%Y-%m-%d %H:%M}"
                + (f" ({cancelled})" if status == Event.Status.CANCELLED else ""),
            )
            for pk, starts_at, status in sessions
        ),
    ]
    session_ids = [pk for pk, _starts_at, _status in sessions]
    return ExportTable(
        event=None,
        filters=ExportFilters(),
        columns=columns,
        rows=_people_rows(series, session_ids),
    )


def _people_rows(series: Series, session_ids: list[int]) -> Iterator[Row]:
    members = _whole_series(series)
    people: dict[str, _Person] = {}
    registrations = (
        Registration.objects.filter(event__series_session__series=series)
        .order_by("created_at", "id")
        .values_list("event_id", "name", "email", "email_normalized", "status", "time_zone")
    )
    for event_id, name, email, normalized, status, zone in registrations.iterator(
        chunk_size=CHUNK_SIZE
    ):
        # The latest registration names the person, unless they registered for the series.
        person = people.setdefault(normalized, _Person(name=name, email=email, time_zone=zone))
        person.name, person.email, person.time_zone = name, email, zone
        person.statuses[event_id] = status
    for normalized, member in members.items():
        person = people.setdefault(
            normalized, _Person(name=member.name, email=member.email, time_zone=member.time_zone)
        )
        person.name, person.email, person.time_zone = member.name, member.email, member.time_zone
    yes, no = _("yes"), _("no")
    for normalized, person in sorted(
        people.items(), key=lambda item: (item[1].name.casefold(), item[0])
    ):
        statuses = person.statuses
        yield [
            person.name,
            person.email,
            person.time_zone,
            yes if normalized in members else no,
            sum(status == Registration.Status.CONFIRMED for status in statuses.values()),
            *(statuses.get(pk) or None for pk in session_ids),
        ]


# The layouts by the name the workspace's URL uses.
SERIES_EXPORT_TABLES: dict[str, Callable[[Series], ExportTable]] = {
    "sessions": series_sessions_table,
    "people": series_people_table,
}
