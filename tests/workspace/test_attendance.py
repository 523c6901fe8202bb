"""The workspace's attendance report (upload → preview → record) and follow-ups page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Organization
from notifications.models import ReminderRule, ScheduledReminder
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory
from tests.registrations.test_attendance import ZOOM_REPORT
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(organization: Organization) -> Event:
    event = EventFactory(organization=organization, title="Climate, jobs and you")
    for key in ("ana", "bo", "cy"):
        RegistrationFactory(event=event, name=key.title(), email=f"{key}@example.org")
    return event


def url(name: str, event: Event) -> str:
    return reverse(f"workspace:{name}", kwargs={"event_id": event.pk})


def upload(client: Client, event: Event, content: bytes, name: str = "report.csv") -> object:
    return client.post(
        url("attendance_upload", event), {"report": SimpleUploadedFile(name, content)}
    )


def test_a_zoom_report_is_previewed_then_recorded(organizer_client: Client, webinar: Event) -> None:
    response = upload(organizer_client, webinar, ZOOM_REPORT.encode("utf-8"))
    assert response.status_code == 302  # type: ignore[attr-defined]

    preview = organizer_client.get(url("attendance_preview", webinar))
    text = preview.content.decode()
    assert "3 matched (2 attended) · 0 ambiguous · 1 unmatched" in text
    assert "stranger@example.org" in text
    # Nothing is saved by the preview.
    assert not Registration.objects.filter(attended__isnull=False).exists()

    recorded = organizer_client.post(
        url("attendance_import", webinar), {"email": "4", "minutes": "9", "join": "", "leave": ""}
    )
    assert recorded.status_code == 302
    minutes = dict(Registration.objects.values_list("email", "attended_minutes"))
    assert minutes == {"ana@example.org": 75, "bo@example.org": 90, "cy@example.org": None}
    assert AuditLogEntry.objects.get(action="attendance.imported").details["attended"] == 2

    attendees = organizer_client.get(url("attendees", webinar)).content.decode()
    assert "Attended" in attendees and "75 minutes" in attendees and "Absent" in attendees
    stats = organizer_client.get(url("stats", webinar)).content.decode()
    assert "67%" in stats  # 2 of 3 confirmed


def test_any_csv_asks_for_the_email_column_first(organizer_client: Client, webinar: Event) -> None:
    upload(organizer_client, webinar, b"Who,Contact,Minutes\nAna,ana@example.org,12\n")

    first = organizer_client.get(url("attendance_preview", webinar)).content.decode()
    assert "Email column" in first and "matched" not in first

    chosen = organizer_client.get(
        url("attendance_preview", webinar), {"email": "1", "minutes": "2"}
    ).content.decode()
    assert "1 matched (1 attended)" in chosen


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01binary", b"Email\n", "Email\nana@example.org".encode("utf-16")],
)
def test_a_bad_file_is_a_clear_error_never_a_500(
    organizer_client: Client, webinar: Event, content: bytes
) -> None:
    response = upload(organizer_client, webinar, content)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'class="errorlist' in response.content.decode()  # type: ignore[attr-defined]


def test_a_column_out_of_range_or_an_expired_upload_is_handled(
    organizer_client: Client, webinar: Event
) -> None:
    expired = organizer_client.post(url("attendance_import", webinar), {"email": "0"})
    assert expired.status_code == 302 and expired["Location"].endswith("/attendance/")
    upload(organizer_client, webinar, b"Email\nana@example.org\n")
    bad = organizer_client.post(url("attendance_import", webinar), {"email": "7"})
    assert bad.status_code == 400


def test_the_follow_ups_page_writes_both_messages_and_removes_one(
    organizer_client: Client, webinar: Event
) -> None:
    data = {
        "attended-amount": "2",
        "attended-unit": "hours",
        "attended-subject": "The recording",
        "attended-message": "https://video.example.org/1",
        "absent-amount": "1",
        "absent-unit": "days",
        "absent-subject": "Sorry we missed you",
        "absent-message": "Watch it here",
    }
    assert organizer_client.post(url("follow_ups", webinar), data).status_code == 302

    rules = {rule.audience: rule for rule in ReminderRule.objects.filter(kind="after_end")}
    assert (rules["attended"].minutes_after, rules["absent"].minutes_after) == (120, 1440)
    assert ScheduledReminder.objects.filter(rule__kind="after_end").count() == 6
    page = organizer_client.get(url("follow_ups", webinar)).content.decode()
    assert "The recording" in page and "Watch it here" in page
    # The event form's reminders do not show them, nor drop them.
    assert "after_end" not in organizer_client.get(url("event_edit", webinar)).content.decode()

    data["absent-message"] = ""
    assert organizer_client.post(url("follow_ups", webinar), data).status_code == 302
    assert list(
        ReminderRule.objects.filter(kind="after_end").values_list("audience", flat=True)
    ) == ["attended"]


def test_a_follow_up_more_than_30_days_after_is_a_field_error(
    organizer_client: Client, webinar: Event
) -> None:
    data = {
        "attended-amount": "31",
        "attended-unit": "days",
        "attended-message": "Hi",
        "absent-amount": "1",
        "absent-unit": "hours",
        "absent-message": "",
    }
    response = organizer_client.post(url("follow_ups", webinar), data)
    assert response.status_code == 400
    assert "at most 30 days" in response.content.decode()


def test_attendees_of_an_ended_event_without_a_record_show_as_absent(
    organizer_client: Client, organization: Organization
) -> None:
    event = EventFactory(
        organization=organization,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
    )
    RegistrationFactory(event=event, checked_in_at=timezone.now() - timedelta(hours=3))
    RegistrationFactory(event=event)
    page = organizer_client.get(url("attendees", event)).content.decode()
    assert "Checked in" in page and "Absent" in page


def test_a_duplicated_event_keeps_its_follow_ups(organizer_client: Client, webinar: Event) -> None:
    from accounts.models import User
    from notifications.reminders.follow_ups import follow_up_save, follow_ups_for_event
    from workspace.services.events import event_duplicate

    follow_up_save(
        event=webinar, audience="absent", minutes_after=90, subject="Missed", message="Watch"
    )
    copy = event_duplicate(
        actor=User.objects.get(email="organizer@example.org"),
        event=webinar,
        title="Again",
        starts_at=webinar.starts_at + timedelta(days=30),
    )

    follow_ups = follow_ups_for_event(copy)
    assert follow_ups["attended"] is None
    assert follow_ups["absent"] is not None and follow_ups["absent"].message == "Watch"
