"""Attendance reports: Zoom's attendee report and any CSV, previewed, then recorded."""

import pytest
from django.utils import translation

from registrations.attendance.reports import (
    ANY_CSV,
    ZOOM,
    ColumnChoice,
    ReportError,
    parse_minutes,
    report_decode,
    report_read,
    report_rows,
)
from registrations.attendance.services import attendance_preview, attendance_record
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

# Zoom's webinar attendee report, trimmed: BOM, preamble, host section, quoted commas in a
# name, Ana's rejoin (two rows), an unknown email, a registrant who never joined.
ZOOM_REPORT = (
    "\ufeffAttendee Report\n"
    'Report Generated:,"Mar 10, 2025 11:02 AM"\n'
    "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,"
    "# Cancelled registrations,Unique Viewers,Total Users,Max Concurrent Views\n"
    '"Climate, jobs and you","812 3456 7890","Mar 10, 2025 10:00:01",92,5,0,3,4,3\n'
    "Host Details\n"
    "Attended,User Name (Original Name),Email,Join Time,Leave Time,"
    "Time in Session (minutes),Is Guest,Country/Region Name\n"
    'Yes,Host Person,host@campaign.example,"Mar 10, 2025 09:50:00","Mar 10, 2025 11:32:00",'
    "102,No,Germany\n"
    "Panelist Details\n"
    "Attended,User Name (Original Name),Email,Join Time,Leave Time,"
    "Time in Session (minutes),Is Guest,Country/Region Name\n"
    "Attendee Details\n"
    "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,"
    "Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,"
    "Country/Region Name\n"
    '"Yes","Ana Silva, MD (Ana)","Ana","Silva","ana@example.org","Mar 1, 2025 08:00:00",'
    '"approved","Mar 10, 2025 10:01:00","Mar 10, 2025 10:31:00","30","Yes","Portugal"\n'
    '"Yes","Ana Silva, MD (Ana)","Ana","Silva","ANA@example.org","Mar 1, 2025 08:00:00",'
    '"approved","Mar 10, 2025 10:40:00","Mar 10, 2025 11:25:00","45","Yes","Portugal"\n'
    '"Yes","Bo","Bo","","bo@example.org","Mar 2, 2025 08:00:00","approved",'
    '"Mar 10, 2025 10:00:00","Mar 10, 2025 11:30:00","90","Yes","Iran"\n'
    '"Yes","Stranger","Stranger","","stranger@example.org","","approved",'
    '"Mar 10, 2025 10:05:00","Mar 10, 2025 10:20:00","15","Yes",""\n'
    '"No","Cy","Cy","","cy@example.org","Mar 3, 2025 08:00:00","approved","--","--",'
    '"--","Yes",""\n'
)


@pytest.fixture
def event_with_registrants():  # type: ignore[no-untyped-def]
    event = EventFactory()
    people = {
        key: RegistrationFactory(event=event, name=name, email=f"{key}@example.org")
        for key, name in (("ana", "Ana Silva"), ("bo", "Bo"), ("cy", "Cy"), ("di", "Di"))
    }
    return event, people


def test_a_zoom_report_imports_with_the_right_counts(event_with_registrants) -> None:  # type: ignore[no-untyped-def]
    event, people = event_with_registrants
    report = report_read(report_decode(ZOOM_REPORT.encode("utf-8")))
    assert report.format == ZOOM
    assert report.guessed is not None

    preview = attendance_preview(event=event, rows=report_rows(report, report.guessed))

    # Ana (two rows merged), Bo, and Cy who never joined; the stranger is unmatched; the
    # host's section is not read at all.
    assert [attendee.registration.email for attendee in preview.matched] == [
        "ana@example.org",
        "bo@example.org",
        "cy@example.org",
    ]
    assert preview.attended_count == 2
    assert [row.row.email for row in preview.unmatched] == ["stranger@example.org"]
    assert preview.ambiguous == []

    assert attendance_record(event=event, preview=preview) == 3
    ana, bo, cy, di = (
        Registration.objects.get(pk=people[key].pk) for key in ["ana", "bo", "cy", "di"]
    )
    assert (ana.attended, ana.attended_minutes) == (True, 75)  # 30 + 45: the rejoin is summed
    assert (bo.attended, bo.attended_minutes) == (True, 90)
    assert (cy.attended, cy.attended_minutes) == (False, None)
    assert (di.attended, di.attended_minutes) == (None, None)  # not in the report
    assert ana.has_attended and not cy.has_attended

    # The same report again changes nothing (minutes are set, not added).
    again = attendance_preview(event=event, rows=report_rows(report, report.guessed))
    assert attendance_record(event=event, preview=again) == 0
    assert Registration.objects.get(pk=ana.pk).attended_minutes == 75


def test_a_cancelled_registrant_and_a_known_name_with_another_email_are_ambiguous(
    event_with_registrants,  # type: ignore[no-untyped-def]
) -> None:
    event, _people = event_with_registrants
    RegistrationFactory(event=event, email="gone@example.org", status=Registration.Status.CANCELLED)
    text = (
        "Name,Email,Minutes\n"
        "Gone,gone@example.org,10\n"
        "Di,di.at.work@example.org,20\n"
        "Di,,20\n"
        "Nobody,,5\n"
    )
    report = report_read(text)
    preview = attendance_preview(
        event=event, rows=report_rows(report, ColumnChoice(email=1, minutes=2, name=0))
    )
    assert preview.matched == []
    assert [row.row.line for row in preview.ambiguous] == [2, 3, 4]
    assert [row.row.line for row in preview.unmatched] == [5]


def test_any_csv_with_a_chosen_email_column_and_join_and_leave_times(
    event_with_registrants,  # type: ignore[no-untyped-def]
) -> None:
    event, people = event_with_registrants
    text = (
        "Exported from our streaming tool\n"
        "\n"
        "Who,Contact,Joined,Left\n"
        '"Silva, Ana",ana@example.org,2025-03-10 10:00:00,2025-03-10 10:50:00\n'
        "Bo,bo@example.org,03/10/2025 10:00:00,03/10/2025 10:20:30\n"
        "Bo,bo@example.org,not a time,03/10/2025 11:00:00\n"
    )
    report = report_read(text)
    assert report.format == ANY_CSV
    assert report.headers == ["Who", "Contact", "Joined", "Left"]
    # No column is called "email": the organizer picks "Contact".
    assert report.guessed is None

    columns = ColumnChoice(email=1, join=2, leave=3, name=0)
    preview = attendance_preview(event=event, rows=report_rows(report, columns))
    attendance_record(event=event, preview=preview)

    assert Registration.objects.get(pk=people["ana"].pk).attended_minutes == 50
    # The unreadable row still says Bo was there; its minutes are unknown.
    bo = Registration.objects.get(pk=people["bo"].pk)
    assert (bo.attended, bo.attended_minutes) == (True, 21)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02", "not a CSV"),
        (b"Email\n", "no rows"),
        (b"x" * (2 * 1024 * 1024 + 1), "too large"),
    ],
)
def test_files_that_are_not_reports_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ReportError, match=message):
        report_read(report_decode(data))


def test_a_column_the_file_does_not_have_is_refused() -> None:
    report = report_read("Email\na@example.org\n")
    with pytest.raises(ReportError):
        report_rows(report, ColumnChoice(email=3))


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("42", 42), ("42.6", 43), ("1:02:30", 63), ("0:45", 45), ("--", None), ("", None)],
)
def test_minutes_are_read_from_numbers_and_clock_durations(value: str, minutes: int | None) -> None:
    assert parse_minutes(value) == minutes


def test_a_report_too_long_is_refused_with_the_limit_in_the_readers_digits() -> None:
    text = "email\n" + "a@example.org\n" * 20_001

    with pytest.raises(ReportError, match="20000 lines"):
        report_read(text)
    with translation.override("fa"), pytest.raises(ReportError, match="۲۰۰۰۰ سطر"):
        report_read(text)
