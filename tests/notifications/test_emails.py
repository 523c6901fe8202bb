"""Which email each change sends, and what the registrant reads in it."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from events.facts import EventChanged
from events.lifecycle import publish
from events.models import Event
from events.services import event_cancel, event_save, event_snapshot
from notifications.models import OutboxEmail
from notifications.outbox import outbox_enqueue
from registrations.facts import RegistrationRejected
from registrations.services import registration_cancel
from tests.factories import EventFactory
from tests.notifications.helpers import calendar_part, mime, register, text_part

pytestmark = pytest.mark.django_db

# Sunday 9 Jan 2022 22:00 in Tehran is 10:30 the same morning in Los Angeles.
START = datetime(2022, 1, 9, 18, 30, tzinfo=UTC)


def html_of(message: EmailMultiAlternatives) -> str:
    return text_part(mime(message), "html")


def test_confirmation_speaks_the_registrants_zone_and_carries_the_join_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(title="Poetry night")
    with time_machine.travel(START - timedelta(days=3), tick=False):
        event.starts_at, event.ends_at = START, START + timedelta(hours=1)
        event.save()
        with django_capture_on_commit_callbacks(execute=True):
            registration = register(event, "ana@example.org", time_zone="Asia/Tehran")

    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "You're registered: Poetry night"
    when = "Sun 9 Jan 2022, 22:00 Tehran time — 10:30 in Los Angeles, event time"
    assert when in message.body
    assert "https://meet.example.org/secret-room" in message.body
    assert "Passcode 1234" in message.body
    assert "https://convene.test/r/" in message.body
    html = html_of(message)
    assert '<html lang="en" dir="ltr">' in html
    assert when in html
    assert calendar_part(mime(message)) is not None
    row = OutboxEmail.objects.get(registration=registration)
    assert (row.kind, row.status, row.attempts) == ("confirmation", "sent", 1)
    assert row.sent_at is not None
    assert row.subject == message.subject
    assert message.extra_headers["Message-ID"] == row.message_id


def test_waitlist_notice_gives_the_place_in_line_but_no_invite_or_join_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(capacity=1, title="Small room")
    register(event, "first@example.org")
    register(event, "second@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "third@example.org")

    (message,) = mail.outbox
    assert message.subject == "You're on the waitlist: Small room"
    assert "You are number 2 in line." in message.body
    assert "secret-room" not in message.body
    assert "secret-room" not in html_of(message)
    assert calendar_part(mime(message)) is None


def test_pending_registrant_is_told_to_await_approval_without_invite(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(approval_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "ana@example.org")

    (message,) = mail.outbox
    assert "awaiting approval" in message.subject
    assert "we'll email you their answer" in message.body
    assert "secret-room" not in message.body
    assert calendar_part(mime(message)) is None


def test_cancelling_sends_cancel_to_the_leaver_and_an_invite_to_the_promoted(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(capacity=1, title="Small room")
    leaving = register(event, "leaving@example.org")
    register(event, "waiting@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=leaving)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    cancellation = by_recipient["leaving@example.org"]
    assert cancellation.subject == "Your registration is cancelled: Small room"
    assert "METHOD:CANCEL" in (calendar_part(mime(cancellation)) or "")
    promoted = by_recipient["waiting@example.org"]
    assert promoted.subject == "A seat opened up — you're in: Small room"
    assert "secret-room" in promoted.body
    assert "METHOD:REQUEST" in (calendar_part(mime(promoted)) or "")


def test_cancelling_a_waitlisted_registration_sends_no_calendar_update(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(capacity=1)
    register(event, "seated@example.org")
    waiting = register(event, "waiting@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=waiting)

    (message,) = mail.outbox
    assert message.to == ["waiting@example.org"]
    assert calendar_part(mime(message)) is None


def test_registering_again_resends_the_confirmation_at_most_once_per_five_minutes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory()
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "ana@example.org")
        clock.shift(timedelta(minutes=2))
        with django_capture_on_commit_callbacks(execute=True):
            register(event, " ANA@example.org ")
        assert len(mail.outbox) == 1

        clock.shift(timedelta(minutes=4))
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "ana@example.org")
            register(event, "ana@example.org")

    assert len(mail.outbox) == 2
    again = mail.outbox[1]
    assert again.subject == mail.outbox[0].subject
    assert "here are your registration details once more" in again.body
    first_invite, second_invite = (calendar_part(mime(message)) for message in mail.outbox)
    assert "SEQUENCE:0" in (first_invite or "")
    assert "SEQUENCE:0" in (second_invite or "")


def test_registering_again_while_waitlisted_resends_the_waitlist_notice(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(capacity=1)
    register(event, "seated@example.org")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        register(event, "ana@example.org")
        clock.shift(timedelta(minutes=6))
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "ana@example.org")

    (message,) = mail.outbox
    assert "waitlist" in message.subject
    assert calendar_part(mime(message)) is None


def test_moving_the_event_tells_confirmed_registrants_old_and_new_time(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with time_machine.travel(START - timedelta(days=3), tick=False):
        event = EventFactory(
            capacity=1, title="Poetry night", starts_at=START, ends_at=START + timedelta(hours=1)
        )
        register(event, "seated@example.org", time_zone="Asia/Tehran")
        register(event, "waiting@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            previous = event_snapshot(event)
            event.starts_at += timedelta(hours=1)
            event.ends_at += timedelta(hours=1)
            event_save(event=event, previous=previous)

    (message,) = mail.outbox
    assert message.to == ["seated@example.org"]
    assert message.subject == "Changed: Poetry night has a new time or place"
    assert (
        "Starts: Sun 9 Jan 2022, 22:00 Tehran time — 10:30 in Los Angeles, event time → "
        "Sun 9 Jan 2022, 23:00 Tehran time — 11:30 in Los Angeles, event time"
    ) in message.body
    assert "METHOD:REQUEST" in (calendar_part(mime(message)) or "")
    assert "SEQUENCE:1" in (calendar_part(mime(message)) or "")


def test_editing_only_the_description_sends_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory()
    register(event, "ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        publish(EventChanged(event=event, previous={"title": "Old title"}))

    assert mail.outbox == []


def test_moving_to_a_venue_names_old_and_new_place(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(
        kind=Event.Kind.IN_PERSON, join_url="", venue_name="Old hall", venue_address=""
    )
    register(event, "ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        previous = event_snapshot(event)
        event.venue_name = "New hall"
        event_save(event=event, previous=previous)

    (message,) = mail.outbox
    assert "Venue: Old hall → New hall" in message.body
    assert "LOCATION:New hall" in (calendar_part(mime(message)) or "")


def test_event_cancellation_cancels_invites_and_tells_the_waitlist_without_one(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(capacity=1, title="Small room")
    register(event, "seated@example.org")
    register(event, "waiting@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"seated@example.org", "waiting@example.org"}
    seated, waiting = by_recipient["seated@example.org"], by_recipient["waiting@example.org"]
    assert seated.subject == waiting.subject == "Cancelled: Small room"
    assert "METHOD:CANCEL" in (calendar_part(mime(seated)) or "")
    assert "secret-room" not in seated.body
    assert calendar_part(mime(waiting)) is None
    assert "You were on the waitlist" in waiting.body
    statuses = set(
        OutboxEmail.objects.filter(kind="event_cancelled").values_list("status", flat=True)
    )
    assert statuses == {"sent"}


def test_organizer_message_is_plain_text_and_escaped_in_html(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(title="Poetry night")
    registration = register(event, "ana@example.org")
    body = "Bring <b>your</b> poems & a friend.\n\nSee you!"
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(
            kind=OutboxEmail.Kind.MESSAGE,
            registration=registration,
            context={"subject": "Bring a <poem>", "body": body},
        )

    (message,) = mail.outbox
    assert message.subject == "Bring a <poem>"
    assert body in message.body
    html = html_of(message)
    assert "Bring &lt;b&gt;your&lt;/b&gt; poems &amp; a friend." in html
    assert "<b>your</b>" not in html


def test_rejected_registrant_gets_a_polite_notice_without_invite(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(approval_required=True, title="Workshop")
    registration = register(event, "ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        publish(RegistrationRejected(registration=registration))

    (message,) = mail.outbox
    assert message.subject == "About your registration for Workshop"
    assert "could not accept your registration" in message.body
    assert calendar_part(mime(message)) is None


def test_farsi_registrant_gets_right_to_left_html(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "sara@example.org", language="fa")

    assert '<html lang="fa" dir="rtl">' in html_of(mail.outbox[0])


def test_unsubscribe_url_in_the_context_adds_one_click_unsubscribe_headers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    registration = register(EventFactory(), "ana@example.org")
    url = "https://convene.test/unsubscribe/abc/"
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(
            kind=OutboxEmail.Kind.MESSAGE,
            registration=registration,
            context={"subject": "Hi", "body": "Hello", "unsubscribe_url": url},
        )

    headers = mime(mail.outbox[0])
    assert headers["List-Unsubscribe"] == f"<{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
