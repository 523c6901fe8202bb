"""The one row generator every export format writes: a header, then one row per registration.

Rows are read with ``values_list`` (no model instances) through ``.iterator(chunk_size=...)``,
which is a server-side cursor on PostgreSQL, so memory stays flat however big the event is.
Each format only decides how a cell looks; which rows and columns exist is decided here.
"""

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from events.models import Event, Question
from registrations.models import Registration
from registrations.selectors import REGISTRATION_ORDERINGS, registration_list

# A cell as the generator yields it: text, a whole number, an aware UTC instant, or empty.
Cell = str | int | datetime | None
Row = tuple[Cell, ...]

CHUNK_SIZE = 2000


class ColumnKind(enum.Enum):
    TEXT = "text"
    NUMBER = "number"
    INSTANT = "instant"  # an aware datetime in UTC


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: ColumnKind = ColumnKind.TEXT


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
        """Unknown values fall back to "all" and "registration time", never an error.

        ``default_status`` applies only when the query does not mention ``status`` at all, so
        an explicit ``status=`` (the list's "all" choice) still means everyone.
        """
        status = query.get("status", default_status)
        if status not in Registration.Status.values:
            status = ""
        ordering = query.get("sort") or default_ordering or "registered"
        if ordering not in REGISTRATION_ORDERINGS:
            ordering = "registered"
        return cls(search=query.get("q", "").strip()[:200], status=status, ordering=ordering)

    def as_query(self) -> dict[str, str]:
        return {"q": self.search, "status": self.status, "sort": self.ordering}


@dataclass
class ExportTable:
    """Columns plus a one-shot iterator of rows in the same order as the columns."""

    event: Event
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
        Column("name", _("Name")),
        Column("email", _("Email")),
        Column("status", _("Status")),
        Column("registered_at", _("Registered at (UTC)"), ColumnKind.INSTANT),
        Column("time_zone", _("Registrant time zone")),
        Column("language", _("Language")),
        *(Column(f"question_{question.pk}", question.label) for question in questions),
        Column("checked_in_at", _("Checked in at (UTC)"), ColumnKind.INSTANT),
        Column("waitlist_position", _("Waitlist position"), ColumnKind.NUMBER),
    ]
    return ExportTable(
        event=event,
        filters=filters,
        columns=columns,
        rows=_rows(event=event, filters=filters, questions=questions),
    )


def _filtered(*, event: Event, filters: ExportFilters) -> QuerySet[Registration]:
    return registration_list(
        event=event, search=filters.search, status=filters.status, ordering=filters.ordering
    )


def _rows(*, event: Event, filters: ExportFilters, questions: list[Question]) -> Iterator[Row]:
    # Positions come from one ordered read of the waitlist (ids only), looked up per row,
    # because a search filter hides some waitlisted people but must not renumber the others.
    positions = (
        waitlist_positions(event=event)
        if filters.status in ("", Registration.Status.WAITLISTED)
        else {}
    )
    answer_keys = [
        (str(question.pk), question.kind == Question.Kind.CHECKBOX) for question in questions
    ]
    yes, no = _("yes"), _("no")
    values = _filtered(event=event, filters=filters).values_list(
        "pk",
        "name",
        "email",
        "status",
        "created_at",
        "time_zone",
        "language",
        "answers",
        "checked_in_at",
    )
    for (
        pk,
        name,
        email,
        status,
        created_at,
        time_zone,
        language,
        answers,
        checked_in_at,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        answers = answers or {}
        answer_cells = [
            _answer_text(answers.get(key), checkbox=checkbox, yes=yes, no=no)
            for key, checkbox in answer_keys
        ]
        yield (
            name,
            email,
            status,
            created_at,
            time_zone,
            language,
            *answer_cells,
            checked_in_at,
            positions.get(pk),
        )


def _answer_text(value: object, *, checkbox: bool, yes: str, no: str) -> str:
    # Empty stays empty even for checkboxes: the question may be newer than the registration.
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or checkbox:
        if isinstance(value, str):
            value = value.lower() in ("true", "1", "on", "yes")
        return yes if value else no
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def waitlist_positions(*, event: Event) -> dict[int, int]:
    """Registration id → place on the waitlist (1 = promoted next), in promotion order."""
    waiting = (
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    return {pk: position for position, pk in enumerate(waiting.iterator(CHUNK_SIZE), start=1)}
