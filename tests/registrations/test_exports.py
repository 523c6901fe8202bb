"""Every export format parsed back and checked cell by cell."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from events.models import Event, Question
from registrations.exports import available_exporters, exporter_for
from registrations.exports.rows import ExportFilters, export_table, instant_text
from registrations.models import Registration
from tests.factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
HEADER = [
    "Name",
    "Email",
    "Status",
    "Registered at (UTC)",
    "Registrant time zone",
    "Language",
    "Dietary needs?",
    "Newsletter?",
    "Track",
    "Checked in at (UTC)",
    "Attended",
    "Minutes attended",
    "Waitlist position",
]
INJECTIONS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def event() -> Event:
    event = EventFactory(slug="tehran-book-club", capacity=2)
    diet = QuestionFactory(event=event, label="Dietary needs?", position=1)
    newsletter = QuestionFactory(
        event=event, label="Newsletter?", kind=Question.Kind.CHECKBOX, position=2
    )
    track = QuestionFactory(
        event=event,
        label="Track",
        kind=Question.Kind.SINGLE_CHOICE,
        choices="Beginners\nAdvanced",
        position=3,
    )
    RegistrationFactory(
        event=event,
        name="Ana Lima",
        email="ana@example.org",
        time_zone="Asia/Tehran",
        language="fa",
        answers={str(diet.pk): "vegan", str(newsletter.pk): True, str(track.pk): "Beginners"},
        created_at=T0,
        checked_in_at=T0 + timedelta(days=7, minutes=35),
    )
    RegistrationFactory(
        event=event,
        name="مریم رضایی",
        email="maryam@example.org",
        status="waitlisted",
        time_zone="America/Los_Angeles",
        answers={str(diet.pk): "line one\nline two, with comma", str(newsletter.pk): False},
        created_at=T0 + timedelta(hours=1),
    )
    RegistrationFactory(
        event=event,
        name="王小明",
        email="xiaoming@example.org",
        status="waitlisted",
        created_at=T0 + timedelta(hours=2),
    )
    RegistrationFactory(
        event=event,
        name="Zoë 🎉 O'Brien",
        email="zoe@example.org",
        status="cancelled",
        created_at=T0 + timedelta(hours=3),
    )
    RegistrationFactory(
        event=event,
        name="Bob",
        email="bob@example.org",
        status="confirmed",
        created_at=T0 + timedelta(hours=4),
    )
    return event


def csv_rows(event: Event, format_name: str = "csv", **query: str) -> list[list[str]]:
    data = export_bytes(event, format_name, **query)
    text = data.decode("utf-8-sig")
    delimiter = ";" if format_name == "csv-excel" else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def export_bytes(event: Event, format_name: str, **query: str) -> bytes:
    exporter = exporter_for(format_name)
    filters = ExportFilters.from_query(
        query, default_status=exporter.default_status, default_ordering=exporter.default_ordering
    )
    output = io.BytesIO()
    exporter.write(export_table(event=event, filters=filters), output)
    return output.getvalue()


def xlsx_rows(event: Event, **query: str) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(export_bytes(event, "xlsx", **query))).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def excel_text(value: object) -> object:
    """A cell's text as Excel shows it: OOXML writes control characters as _xHHHH_ (and a
    literal "_x" as "_x005F_x"), which openpyxl's reader leaves escaped."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-F]{4})_", lambda match: chr(int(match[1], 16)), value)


def test_csv_has_the_header_then_every_column_of_every_registration(event: Event) -> None:
    rows = csv_rows(event)
    assert rows[0] == HEADER
    assert rows[1] == [
        "Ana Lima",
        "ana@example.org",
        "confirmed",
        "2026-03-01T17:30:00+00:00",
        "Asia/Tehran",
        "fa",
        "vegan",
        "yes",
        "Beginners",
        "2026-03-08T18:05:00+00:00",
        "yes",  # checked in: attended
        "",
        "",
    ]
    assert rows[2] == [
        "مریم رضایی",
        "maryam@example.org",
        "waitlisted",
        "2026-03-01T18:30:00+00:00",
        "America/Los_Angeles",
        "en",
        "line one\nline two, with comma",
        "no",
        "",
        "",
        "",
        "",
        "1",
    ]
    assert [row[0] for row in rows[1:]] == [
        "Ana Lima",
        "مریم رضایی",
        "王小明",
        "Zoë 🎉 O'Brien",
        "Bob",
    ]
    assert [row[-1] for row in rows[1:]] == ["", "1", "2", "", ""]


def test_csv_is_rfc_4180_crlf_with_quoting_only_where_needed(event: Event) -> None:
    data = export_bytes(event, "csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.startswith(b"Name,Email,Status,")
    assert data.count(b"\r\n") == 6  # header and five rows; the newline inside a cell is "\n"
    assert b'"line one\nline two, with comma"' in data


def test_excel_csv_starts_with_a_bom_and_uses_semicolons(event: Event) -> None:
    data = export_bytes(event, "csv-excel")
    assert data.startswith("\ufeffName;Email;Status;".encode())
    rows = csv_rows(event, "csv-excel")
    assert rows == csv_rows(event, "csv")


def test_waitlist_positions_stay_true_when_a_search_hides_people_ahead(event: Event) -> None:
    rows = csv_rows(event, q="王")
    assert rows[1:] and [(row[0], row[-1]) for row in rows[1:]] == [("王小明", "2")]


def test_status_search_and_sort_filters_apply_like_the_attendee_list(event: Event) -> None:
    confirmed = csv_rows(event, status="confirmed")
    assert [row[0] for row in confirmed[1:]] == ["Ana Lima", "Bob"]
    assert [row[0] for row in csv_rows(event, q="EXAMPLE.ORG", sort="-name")[1:]] == [
        "王小明",
        "مریم رضایی",
        "Zoë 🎉 O'Brien",
        "Bob",
        "Ana Lima",
    ]
    assert [row[0] for row in csv_rows(event, q="ana")[1:]] == ["Ana Lima"]
    newest_first = csv_rows(event, sort="-registered")
    assert [row[0] for row in newest_first[1:]][:2] == ["Bob", "Zoë 🎉 O'Brien"]
    # Unknown values fall back to everyone, in registration order.
    assert csv_rows(event, status="bogus", sort="bogus") == csv_rows(event)


@pytest.mark.parametrize("format_name", ["csv", "csv-excel", "xlsx"])
def test_formula_triggers_are_neutralized_in_names_answers_and_headers(format_name: str) -> None:
    event = EventFactory()
    question = QuestionFactory(event=event, label="=HYPERLINK(1)")
    for number, value in enumerate(INJECTIONS):
        RegistrationFactory(
            event=event,
            name=value,
            email=f"p{number}@example.org",
            answers={str(question.pk): value},
            created_at=T0 + timedelta(minutes=number),
        )
    if format_name == "xlsx":
        rows: list[list[object]] = [[excel_text(cell) for cell in row] for row in xlsx_rows(event)]
    else:
        rows = [list(row) for row in csv_rows(event, format_name)]
    assert rows[0][6] == "'=HYPERLINK(1)"
    expected = ["'" + value for value in INJECTIONS]
    assert [row[0] for row in rows[1:]] == expected
    assert [row[6] for row in rows[1:]] == expected


def test_xlsx_cells_are_typed_never_formulas_and_times_carry_utc(event: Event) -> None:
    RegistrationFactory(event=event, name="#N/A", email="na@example.org", created_at=T0)
    workbook = load_workbook(io.BytesIO(export_bytes(event, "xlsx")))
    sheet = workbook.active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header == [*HEADER, "Times are in"]
    assert next(sheet.iter_rows(max_row=1))[0].font.bold
    ana = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Ana Lima")
    assert ana[3].value == datetime(2026, 3, 1, 17, 30)
    assert ana[3].is_date and "UTC" in ana[3].number_format
    assert ana[9].value == datetime(2026, 3, 8, 18, 5)
    assert ana[-1].value == "UTC"
    assert [cell.value for cell in ana[4:9]] == ["Asia/Tehran", "fa", "vegan", "yes", "Beginners"]
    not_available = next(
        row for row in sheet.iter_rows(min_row=2) if row[1].value == "na@example.org"
    )
    assert not_available[0].value == "#N/A" and not_available[0].data_type == "s"
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[0] for row in values][:5] == [
        "Ana Lima",
        "#N/A",
        "مریم رضایی",
        "王小明",
        "Zoë 🎉 O'Brien",
    ]
    assert values[2][6] == "line one\nline two, with comma"
    assert [row[12] for row in values] == [None, None, 1, 2, None, None]


def test_xlsx_keeps_control_characters_in_the_escape_excel_reads() -> None:
    event = EventFactory()
    RegistrationFactory(event=event, name="Ana\x07Lima _x0041_")
    name = xlsx_rows(event)[1][0]
    assert name == "Ana_x0007_Lima _x005F_x0041_"
    assert excel_text(name) == "Ana\x07Lima _x0041_"


def test_door_list_shows_confirmed_people_alphabetically_with_names_exactly(event: Event) -> None:
    RegistrationFactory(event=event, name="Zed <b>", email="zed@example.org")
    RegistrationFactory(event=event, name="=Eve", email="eve@example.org")
    html = export_bytes(event, "door-list").decode()
    assert html.index("Ana Lima") < html.index("Bob") < html.index("Zed &lt;b&gt;")
    assert ">=Eve<" in html
    assert "مریم" not in html and "王小明" not in html
    assert "Dietary needs?: vegan" in html
    assert "Checked in at" in html
    assert "4 people" in html


def test_door_list_can_include_everyone_when_asked(event: Event) -> None:
    html = export_bytes(event, "door-list", status="all").decode()
    assert "مریم رضایی" in html and "王小明" in html and "Waitlisted" in html


def test_every_registered_format_names_itself() -> None:
    names = [exporter.name for exporter in available_exporters()]
    assert names == ["csv", "csv-excel", "xlsx", "door-list"]
    with pytest.raises(LookupError):
        exporter_for("pdf")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2026-03-01 17:30:00+00", "2026-03-01T17:30:00+00:00"),  # PostgreSQL, UTC session
        ("2026-03-01 17:30:00.999999+00", "2026-03-01T17:30:00+00:00"),
        ("2026-03-01 17:30:00.5", "2026-03-01T17:30:00+00:00"),  # SQLite keeps naive UTC
        ("2026-03-01 21:00:00+03:30", "2026-03-01T17:30:00+00:00"),  # any other zone
        (None, None),
    ],
)
def test_stored_instants_become_iso_8601_utc_to_the_second(
    stored: str | None, shown: str | None
) -> None:
    assert instant_text(stored) == shown


@pytest.mark.parametrize("kind", [Question.Kind.SHORT_TEXT, Question.Kind.CHECKBOX])
@pytest.mark.parametrize("format_name", ["csv", "xlsx", "door-list"])
def test_every_stored_answer_type_exports_as_text_whatever_the_questions_kind(
    kind: str, format_name: str
) -> None:
    event = EventFactory()
    question = QuestionFactory(event=event, label="Answer", kind=kind)
    stored: list[object] = [True, False, 1, 0, 2.5, "true", "Beginners", "+1", None]
    for number, value in enumerate(stored):
        RegistrationFactory(
            event=event,
            name=f"Person {number}",
            answers={str(question.pk): value},
            created_at=T0 + timedelta(minutes=number),
        )
    expected = ["yes", "no", "1", "0", "2.5", "true", "Beginners", "'+1", ""]
    if format_name == "door-list":
        page = export_bytes(event, format_name, sort="registered").decode()
        notes = re.findall(r"<li>Answer: (.*?)</li>", page)
        assert notes == [value.lstrip("'") for value in expected if value]
        return
    if format_name == "xlsx":
        cells = [row[6] for row in xlsx_rows(event)[1:]]
        assert cells == [value or None for value in expected]
    else:
        assert [row[6] for row in csv_rows(event)[1:]] == expected


def test_exports_say_who_attended_and_for_how_long(event: Event) -> None:
    Registration.objects.filter(email="ana@example.org").update(attended=True, attended_minutes=75)
    Registration.objects.filter(status=Registration.Status.WAITLISTED).update(attended=False)

    rows = csv_rows(event)

    attended, minutes = HEADER.index("Attended"), HEADER.index("Minutes attended")
    by_email = {row[1]: (row[attended], row[minutes]) for row in rows[1:]}
    assert by_email["ana@example.org"] == ("yes", "75")
    # Listed as not attended: "no"; nothing known yet (the event is ahead): empty.
    assert sorted(by_email.values()).count(("no", "")) == 2
    assert ("", "") in by_email.values()
