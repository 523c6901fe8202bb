"""Calendar invites as mail clients read them: parsed back by icalendar and by vobject."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject
from django.core import mail
from django.urls import reverse

from events.models import Event
from events.services import event_cancel, event_save, event_snapshot
from notifications.invites import (
    METHOD_CANCEL,
    METHOD_REQUEST,
    event_feed,
    invite_for_registration,
    invite_sequence_start,
    invite_uid,
)
from notifications.models import RegistrationInvite
from registrations.selectors import registration_manage_token
from registrations.services import registration_cancel
from tests.factories import EventFactory
from tests.notifications.helpers import calendar_part, mime, register

pytestmark = pytest.mark.django_db

START = (datetime.now(UTC) + timedelta(days=30)).replace(hour=0, minute=30, second=0, microsecond=0)
UTC_STAMP = re.compile(r"^\d{8}T\d{6}Z$")

# RFC 5546 section 3.2: properties a VEVENT must carry for each method (besides METHOD).
REQUIRED = {
    "REQUEST": {"attendee", "dtstamp", "dtstart", "organizer", "summary", "uid"},
    "CANCEL": {"attendee", "dtstamp", "organizer", "sequence", "uid"},
    "PUBLISH": {"dtstamp", "dtstart", "summary", "uid"},
}


def check_rfc5546(ics: str | bytes, method: str) -> Any:
    """Parse with both libraries, check what RFC 5546 asks of ``method``; return vobject's."""
    text = ics.decode() if isinstance(ics, bytes) else ics
    # icalendar: strict enough to reject broken folding or parameters.
    parsed = icalendar.Calendar.from_ical(text)
    assert parsed["METHOD"] == method
    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"]
    assert [component.name for component in parsed.subcomponents] == ["VEVENT"]
    # vobject: an independent reader.
    calendar = vobject.readOne(text)
    assert calendar.method.value == method
    assert "vtimezone" not in calendar.contents
    vevents = calendar.contents["vevent"]
    assert len(vevents) == 1
    vevent = vevents[0]
    present = set(vevent.contents)
    assert REQUIRED[method] <= present, REQUIRED[method] - present
    # Every instant in UTC, written with Z and no TZID: no VTIMEZONE for a client to misread.
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in {"DTSTART", "DTEND", "DTSTAMP"}:
            assert UTC_STAMP.match(value), line
    assert "TZID" not in text
    assert vevent.organizer.value.startswith("mailto:")
    if method == "PUBLISH":
        assert "attendee" not in vevent.contents
    else:
        assert len(vevent.contents["attendee"]) == 1
        assert vevent.attendee.value.startswith("mailto:")
    return calendar


def sent_calendars() -> list[Any]:
    calendars = []
    for message in mail.outbox:
        ics = calendar_part(mime(message))
        if ics is not None:
            calendars.append(vobject.readOne(ics))
    return calendars


def test_confirmation_request_follows_rfc5546_with_utc_times_and_join_link() -> None:
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org", name='Ana "Nickname" Ahmadi')

    ics = invite_for_registration(
        registration=registration, method=METHOD_REQUEST, sequence=0, manage_url=""
    )

    calendar = check_rfc5546(ics, "REQUEST")
    vevent = calendar.vevent
    assert vevent.uid.value == f"{registration.public_id}@convene.test"
    assert vevent.sequence.value == "0"
    assert vevent.dtstart.value == START
    assert vevent.dtend.value == START + timedelta(hours=1)
    assert vevent.status.value == "CONFIRMED"
    assert vevent.summary.value == event.title
    assert vevent.url.value == f"https://convene.test/events/{event.slug}/"
    assert vevent.organizer.value == "mailto:noreply@example.org"
    attendee = vevent.attendee
    assert attendee.value == "mailto:ana@example.org"
    assert attendee.params["RSVP"] == ["TRUE"]
    assert attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert attendee.params["ROLE"] == ["REQ-PARTICIPANT"]
    assert attendee.params["CN"] == ["Ana Nickname Ahmadi"]
    # A confirmed registrant of an online event finds the room from the calendar entry.
    assert vevent.location.value == "https://meet.example.org/secret-room"
    assert "Passcode 1234" in vevent.description.value


def test_in_person_invite_locates_the_venue() -> None:
    event = EventFactory(
        kind=Event.Kind.IN_PERSON,
        join_url="",
        venue_name="Shahr-e Ketab",
        venue_address="12 Book Street\nTehran",
    )
    registration = register(event, "ana@example.org")

    ics = invite_for_registration(
        registration=registration, method=METHOD_REQUEST, sequence=0, manage_url=""
    )

    assert check_rfc5546(ics, "REQUEST").vevent.location.value == (
        "Shahr-e Ketab, 12 Book Street, Tehran"
    )


def test_cancel_has_same_uid_higher_sequence_cancelled_status_and_no_join_link() -> None:
    event = EventFactory()
    registration = register(event, "ana@example.org")

    ics = invite_for_registration(
        registration=registration, method=METHOD_CANCEL, sequence=1, manage_url=""
    )

    vevent = check_rfc5546(ics, "CANCEL").vevent
    assert vevent.uid.value == invite_uid(registration)
    assert vevent.sequence.value == "1"
    assert vevent.status.value == "CANCELLED"
    assert "secret-room" not in ics.decode()


def test_uid_stays_and_sequence_rises_from_confirmation_through_update_to_cancellation(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, "ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        previous = event_snapshot(event)
        event.starts_at += timedelta(hours=2)
        event.ends_at += timedelta(hours=2)
        event_save(event=event, previous=previous)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)

    calendars = sent_calendars()
    assert [calendar.method.value for calendar in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {calendar.vevent.uid.value for calendar in calendars} == {invite_uid(registration)}
    assert [calendar.vevent.sequence.value for calendar in calendars] == ["0", "1", "2"]
    assert calendars[1].vevent.dtstart.value == START + timedelta(hours=2)
    assert calendars[2].vevent.status.value == "CANCELLED"


def test_a_first_invite_starts_at_zero_and_one_sent_before_is_raised_not_reset() -> None:
    registration = register(EventFactory(), "ana@example.org")
    invite = RegistrationInvite.objects.get(registration=registration)
    assert invite.sequence == 0
    invite.sequence = 4
    invite.save()

    assert invite_sequence_start(registration=registration) == 5
    assert RegistrationInvite.objects.get(registration=registration).sequence == 5


def test_event_cancellation_sends_cancel_above_the_last_sequence(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, "ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event)

    request, cancel = sent_calendars()
    check_rfc5546(cancel.serialize(), "CANCEL")
    assert cancel.vevent.uid.value == request.vevent.uid.value == invite_uid(registration)
    assert int(cancel.vevent.sequence.value) > int(request.vevent.sequence.value)
    assert cancel.vevent.status.value == "CANCELLED"


def test_resending_a_row_renders_the_sequence_stored_with_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The SEQUENCE comes from the row, not from the registration's current number."""
    from notifications.models import OutboxEmail
    from notifications.rendering import email_message_build

    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, "ana@example.org")
    confirmation = OutboxEmail.objects.get(registration=registration, kind="confirmation")
    with django_capture_on_commit_callbacks(execute=True):
        previous = event_snapshot(event)
        event.starts_at += timedelta(days=1)
        event.ends_at += timedelta(days=1)
        event_save(event=event, previous=previous)

    again = calendar_part(mime(email_message_build(confirmation)))

    assert again is not None
    assert vobject.readOne(again).vevent.sequence.value == "0"


def test_public_feed_publishes_without_attendee_or_join_link() -> None:
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=2))

    ics = event_feed(event=event)

    vevent = check_rfc5546(ics, "PUBLISH").vevent
    assert vevent.dtstart.value == START
    assert vevent.status.value == "CONFIRMED"
    assert "secret-room" not in ics.decode()
    assert "Passcode" not in ics.decode()


def test_the_manage_page_offers_the_registrants_own_invite_as_emailed(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Same UID and SEQUENCE as the last emailed invite: adding both gives one event."""
    event = EventFactory(starts_at=START, ends_at=START + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, "ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        previous = event_snapshot(event)
        event.starts_at += timedelta(hours=2)
        event.ends_at += timedelta(hours=2)
        event_save(event=event, previous=previous)
    emailed = sent_calendars()[-1]
    token = registration_manage_token(registration)
    invite_url = reverse("notifications:registration_invite", kwargs={"token": token})

    page = client.get(reverse("registrations:manage", kwargs={"token": token})).content.decode()
    assert f'href="{invite_url}"' in page
    assert reverse("notifications:event_calendar", kwargs={"slug": event.slug}) not in page

    response = client.get(invite_url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    downloaded = check_rfc5546(response.content, "REQUEST")
    assert downloaded.vevent.uid.value == emailed.vevent.uid.value == invite_uid(registration)
    assert downloaded.vevent.sequence.value == emailed.vevent.sequence.value == "1"
    assert downloaded.vevent.dtstart.value == emailed.vevent.dtstart.value
    assert downloaded.vevent.description.value == emailed.vevent.description.value
    # Reading it writes nothing.
    assert RegistrationInvite.objects.get(registration=registration).sequence == 1


def test_there_is_no_own_invite_once_cancelled(client: Any) -> None:
    registration = register(EventFactory(), "ana@example.org")
    url = reverse(
        "notifications:registration_invite",
        kwargs={"token": registration_manage_token(registration)},
    )
    assert client.get(url).status_code == 200
    registration_cancel(registration=registration)
    assert client.get(url).status_code == 404
    assert client.get(url.replace("/r/", "/r/x")).status_code == 404


CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def test_the_public_calendar_of_a_title_stored_with_line_breaks_and_controls_is_valid(
    client: Any,
) -> None:
    """Titles stored before one-line fields refused such characters must not break the file."""
    event = EventFactory(
        title="Poetry\r\nnight; \x1b[31mlive\x07, \u202eread",
        kind=Event.Kind.IN_PERSON,
        venue_name="Corner\nBookstore",
        organization__name='The "Corner"\x1b Bookstore',
    )

    response = client.get(f"/events/{event.slug}/calendar.ics")

    assert response.status_code == 200
    ics = response.content.decode()
    assert not CONTROLS.search(ics.replace("\r\n", ""))
    vobject_calendar = check_rfc5546(ics, "PUBLISH")
    assert vobject_calendar.vevent.summary.value == "Poetry night; [31mlive, read"
    # Escaped as TEXT (RFC 5545 3.3.11), which is what calendars expect of the name.
    assert "\r\nX-WR-CALNAME:Poetry night\\; [31mlive\\, read\r\n" in ics
    assert vobject_calendar.vevent.location.value == "Corner Bookstore"


def test_a_registrant_invite_survives_control_characters_in_stored_names() -> None:
    event = EventFactory(title="Evening\nreadings", organization__name="Books\x1b Inc")
    registration = register(event, "ana@example.org", name="Ana\x07 Lima")

    ics = invite_for_registration(
        registration=registration, method=METHOD_REQUEST, sequence=0, manage_url=""
    )

    vevent = check_rfc5546(ics, "REQUEST").vevent
    assert vevent.summary.value == "Evening readings"
    assert vevent.attendee.params["CN"] == ["Ana Lima"]
    assert vevent.organizer.params["CN"] == ["Books Inc"]
