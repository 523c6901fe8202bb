"""The one row generator every export format writes: a header, then one row per registration.

Rows are read with ``values_list`` (no model instances) through ``.iterator(chunk_size=...)``,
which is a server-side cursor on PostgreSQL, so memory stays flat however big the event is.
Each format only decides how a cell looks; which rows and columns exist is decided here.
"""

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import F, Func, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from events.models import Event, Question
from registrations.models import Registration, attendance_state
from registrations.selectors import REGISTRATION_ORDERINGS, registration_list

# A cell as the generator yields it: text, a whole number, or empty. Instants are text too,
# ISO-8601 in UTC with the offset (2026-03-01T17:30:00+00:00): what CSV prints as is, and
# what XLSX and the door list turn back into datetimes (fromisoformat is cheap; formatting
# a datetime is not).
Cell = str | int | None
Row = list[Cell]

CHUNK_SIZE = 2000


class ColumnKind(enum.Enum):
    TEXT = "text"
    NUMBER = "number"
    INSTANT = "instant"  # ISO-8601 text in UTC, whole seconds


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: ColumnKind = ColumnKind.TEXT
    # Typed by a person (a registrant or an organizer), so it may look like a formula;
    # statuses, zones and language codes come from fixed lists.
    free_text: bool = False


@dataclass(frozen=True)
class ExportFilters:
    """The attendee list's filters, read from the same query string (q, status, sort)."""

    search: str = ""
    status: str = ""
    ordering: str = "registered"

    @classmethod
    def from_query(
        cls, query: Mapping[str, str], *, default_status: str = "", default_ordering: str = ""
    ) -> "ExportFilters":
        """Unknown values fall back to everyone and registration time, never an error.

        ``default_status`` applies when ``status`` is missing or empty; ``status=all`` (or
        any unknown value) means everyone.
        """
        status = query.get("status") or default_status
        if status not in Registration.Status.values:
            status = ""
        ordering = query.get("sort") or default_ordering or "registered"
        if ordering not in REGISTRATION_ORDERINGS:
            ordering = "registered"
        search = query.get("q", "").strip()[:200]
        if "\x00" in search:
            # What the attendee list does too (its form refuses it); PostgreSQL cannot
            # compare text holding NUL, so the search would be an error.
            search = ""
        return cls(search=search, status=status, ordering=ordering)

    def as_query(self) -> dict[str, str]:
        return {"q": self.search, "status": self.status, "sort": self.ordering}


@dataclass
class ExportTable:
    """Columns plus a one-shot iterator of rows in the same order as the columns.

    Each row is a fresh list that its consumer may change in place (formats do, to avoid a
    copy per row). ``event`` is None for a table that is not one event's (a series' list,
    series.exports); formats that need the event (the door list) are not offered for those.
    """

    event: Event | None
    filters: ExportFilters
    columns: list[Column]
    rows: Iterator[Row] = field(repr=False)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column_index(self, key: str) -> int:
        return next(index for index, column in enumerate(self.columns) if column.key == key)


def export_row_count(*, event: Event, filters: ExportFilters) -> int:
    return _filtered(event=event, filters=filters).count()


def export_table(*, event: Event, filters: ExportFilters) -> ExportTable:
    """The event's registrations as the attendee list filters and orders them."""
    questions = list(event.questions.order_by("position", "id"))
    columns = [
        Column("name", _("Name"), free_text=True),
        Column("email", _("Email"), free_text=True),
        Column("status", _("Status")),
        Column("registered_at", _("Registered at (UTC)"), ColumnKind.INSTANT),
        Column("time_zone", _("Registrant time zone")),
        Column("language", _("Language")),
        *(
            Column(f"question_{question.pk}", question.label, free_text=True)
            for question in questions
        ),
        Column("checked_in_at", _("Checked in at (UTC)"), ColumnKind.INSTANT),
        # "yes" (checked in, or present in an attendance report), "no" (absent: listed as
        # not attended, or confirmed and the event is over), empty (nothing known yet).
        Column("attended", _("Attended")),
        Column("attended_minutes", _("Minutes attended"), ColumnKind.NUMBER),
        Column("waitlist_position", _("Waitlist position"), ColumnKind.NUMBER),
    ]
    with_consent = _asks_or_asked_consent(event)
    if with_consent:
        columns += [
            Column("consented_at", _("Consent given at (UTC)"), ColumnKind.INSTANT),
            Column("consent_text", _("Consent given"), free_text=True),
        ]
    return ExportTable(
        event=event,
        filters=filters,
        columns=columns,
        rows=_rows(event=event, filters=filters, questions=questions, with_consent=with_consent),
    )


def _asks_or_asked_consent(event: Event) -> bool:
    """Consent columns when the organization asks for consent, or once did for this event."""
    return (
        event.organization.consent_required
        or Registration.objects.filter(event=event, consented_at__isnull=False).exists()
    )


def _filtered(*, event: Event, filters: ExportFilters) -> QuerySet[Registration]:
    return registration_list(
        event=event, search=filters.search, status=filters.status, ordering=filters.ordering
    )


def _rows(
    *, event: Event, filters: ExportFilters, questions: list[Question], with_consent: bool
) -> Iterator[Row]:
    # Positions come from one ordered read of the waitlist (ids only), looked up per row,
    # because a search filter hides some waitlisted people but must not renumber the others.
    positions = (
        waitlist_positions(event=event)
        if filters.status in ("", Registration.Status.WAITLISTED)
        else {}
    )
    # Answers are picked out of the JSON by the database, one text column per question, so
    # no row's JSON is decoded in Python. Whatever the question's kind is now, a stored
    # true/false reads yes/no and anything else its text: a question's kind may change after
    # people answered it.
    yes, no = _("yes"), _("no")
    event_over = event.has_ended
    answers = {
        f"answer_{question.pk}": AnswerText("answers", str(question.pk), yes=yes, no=no)
        for question in questions
    }
    consent = ("consented_text", "consent_text") if with_consent else ()
    values = (
        _filtered(event=event, filters=filters)
        .annotate(
            created_text=Cast("created_at", TextField()),
            checked_in_text=Cast("checked_in_at", TextField()),
            consented_text=Cast("consented_at", TextField()),
            **answers,
        )
        .values_list(
            "pk",
            "name",
            "email",
            "status",
            "created_text",
            "time_zone",
            "language",
            "checked_in_text",
            "attended",
            "attended_minutes",
            *consent,
            *answers,
        )
    )
    for (
        pk,
        name,
        email,
        status,
        created_at,
        time_zone,
        language,
        checked_in_at,
        attended,
        attended_minutes,
        *cells,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        attendance = attendance_state(
            status=status, checked_in_at=checked_in_at, attended=attended, event_over=event_over
        )
        attended_text = {"attended": yes, "absent": no}.get(attendance or "", "")
        row: Row = [
            name,
            email,
            status,
            instant_text(created_at),
            time_zone,
            language,
            *cells[len(consent) :],
            instant_text(checked_in_at),
            attended_text,
            attended_minutes,
            positions.get(pk),
        ]
        if with_consent:
            consented_at, consent_text = cells[:2]
            row += [instant_text(consented_at), consent_text]
        yield row


class AnswerText(Func):
    """One answer as text (NULL when unanswered), whatever JSON type it was stored as.

    JSON true/false become ``yes``/``no`` (the database tells a boolean from the number 1 or
    the text "true", which Python no longer can once SQLite's json_extract has made it 1 and
    PostgreSQL's ->> "true"); numbers, texts and lists become their text. Django's own
    ``KT("answers__12")`` reads a key made of digits as an array index, and our keys are
    question ids, hence this small expression.
    """

    output_field = TextField()

    def __init__(self, field: str, key: str, *, yes: str, no: str) -> None:
        super().__init__(F(field))
        self.key, self.yes, self.no = key, yes, no

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        # SQLite: json_extract gives true as 1 and a number as a number; json_type tells them apart.
        field, params = compiler.compile(self.source_expressions[0])
        path = f'$."{self.key}"'
        return (
            f"CASE json_type({field}, %s) WHEN 'true' THEN %s WHEN 'false' THEN %s "
            f"ELSE CAST(json_extract({field}, %s) AS TEXT) END",
            (*params, path, self.yes, self.no, *params, path),
        )

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        field, params = compiler.compile(self.source_expressions[0])
        return (
            f"CASE {field} -> %s::text WHEN 'true'::jsonb THEN %s::text "
            f"WHEN 'false'::jsonb THEN %s::text ELSE {field} ->> %s::text END",
            (*params, self.key, self.yes, self.no, *params, self.key),
        )


def instant_text(text: str | None) -> str | None:
    """The database's text for a stored instant as ISO-8601 in UTC, to the second.

    Timestamps are read as text (the driver's timestamp conversion that Django installs runs
    a regex per value and was most of the export's time). PostgreSQL prints
    "2026-03-01 17:30:00.5+00" (Django sets the session zone to UTC) and SQLite keeps the naive
    UTC text "2026-03-01 17:30:00.5"; both become "2026-03-01T17:30:00+00:00".
    """
    if text is None:
        return None
    tail = text[19:]
    iso_date = text[4:5] == "-" and text[10:11] == " "  # not a non-ISO DateStyle
    if iso_date and (not tail or tail.endswith("+00") or ("+" not in tail and "-" not in tail)):
        return f"{text[:10]}T{text[11:19]}+00:00"
    moment = datetime.fromisoformat(text).astimezone(UTC).replace(microsecond=0)
    return moment.isoformat()


def waitlist_positions(*, event: Event) -> dict[int, int]:
    """Registration id → place on the waitlist (1 = promoted next), in promotion order."""
    waiting = (
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    return {pk: position for position, pk in enumerate(waiting.iterator(CHUNK_SIZE), start=1)}
