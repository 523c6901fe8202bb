"""The reminder email as the registrant receives it: dispatched, rendered and sent for real.

The dispatcher writes the outbox row; the outbox sender (eager in tests, locmem backend)
renders it with notifications.rendering and sends it. Assertions are on the sent message.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from time_machine import TimeMachineFixture

from events.models import Event
from notifications.models import OutboxEmail
from notifications.reminders.dispatch import reminders_dispatch_due
from notifications.reminders.selectors import reminder_unsubscribe_url
from notifications.rendering import email_message_build
from registrations.models import Registration
from tests.notifications.reminder_helpers import create_event, register

pytestmark = pytest.mark.django_db

NOW = datetime(2022, 1, 1, 12, 0, tzinfo=UTC)
START = datetime(2022, 1, 9, 18, 30, tzinfo=UTC)  # 22:00 in Tehran, 10:30 in Los Angeles


@pytest.fixture(autouse=True)
def _registration_time(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def webinar(**fields: object) -> Event:
    return create_event(
        title="Voices & Visions",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        time_zone="America/Los_Angeles",
        **fields,
    )


def dispatch_at(time_machine: TimeMachineFixture, moment: datetime) -> None:
    time_machine.move_to(moment, tick=False)
    reminders_dispatch_due()


def sent_reminders(
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: object,
    moment: datetime,
) -> list[EmailMultiAlternatives]:
    """Dispatch at ``moment`` and let the queued send tasks run; the reminders sent."""
    mail.outbox.clear()
    time_machine.move_to(moment, tick=False)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        reminders_dispatch_due()
    return [message for message in mail.outbox if "Reminder" in message.subject]  # type: ignore[misc]


def test_the_reminder_arrives_with_one_click_unsubscribe_headers(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    registration = register(webinar(), "ana@example.org", name="Ana & Bo")

    [message] = sent_reminders(
        time_machine, django_capture_on_commit_callbacks, START - timedelta(days=1)
    )

    unsubscribe = reminder_unsubscribe_url(registration)
    assert message.to == ["ana@example.org"]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Short and plain ASCII for an English title: the full time, with the event's own zone,
    # is in the body.
    assert message.subject == "Reminder: Voices & Visions on Sun 9 Jan 2022, 22:00 Tehran time"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Sun 9 Jan 2022, 22:00 Tehran time — 10:30 in Los Angeles, event time" in body
        assert "https://meet.example.org/secret-room" in body
        assert "Passcode 1234" in body
        assert "/r/" in body  # the personal manage link
        assert unsubscribe in body
        assert "1 day before" in body
    assert "Hello Ana & Bo," in message.body  # plain text is not HTML-escaped
    assert "Hello <bdi>Ana &amp; Bo</bdi>," in html  # escaped, and isolated (right to left)
    assert OutboxEmail.objects.get(kind="reminder").status == "sent"


def test_each_rule_sends_its_own_reminder_once(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    register(webinar(), "ana@example.org")
    capture = django_capture_on_commit_callbacks
    day_before = sent_reminders(time_machine, capture, START - timedelta(days=1))
    again = sent_reminders(time_machine, capture, START - timedelta(days=1, seconds=-30))
    hour_before = sent_reminders(time_machine, capture, START - timedelta(hours=1))
    assert (len(day_before), len(again), len(hour_before)) == (1, 0, 1)
    assert "1 hour before" in hour_before[0].body


def test_an_in_person_reminder_gives_the_venue(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: object
) -> None:
    event = webinar(
        kind="in_person",
        join_url="",
        joining_instructions="",
        venue_name="Shahr-e Ketab",
        venue_address="12 Enghelab St\nTehran",
    )
    register(event, "ana@example.org")
    [message] = sent_reminders(
        time_machine, django_capture_on_commit_callbacks, START - timedelta(hours=1)
    )
    assert "Shahr-e Ketab" in message.body
    assert "12 Enghelab St\nTehran" in message.body
    assert "12 Enghelab St<br>Tehran" in message.alternatives[0][0]


def test_no_join_link_if_the_registration_was_cancelled_before_sending(
    time_machine: TimeMachineFixture,
) -> None:
    registration = register(webinar(), "ana@example.org")
    dispatch_at(time_machine, START - timedelta(days=1))
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    message = email_message_build(OutboxEmail.objects.get(kind="reminder"))
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "secret-room" not in body
        assert "Passcode" not in body


def test_a_farsi_reminder_is_written_right_to_left(time_machine: TimeMachineFixture) -> None:
    register(webinar(), "ana@example.org", language="fa")
    dispatch_at(time_machine, START - timedelta(days=1))
    email = OutboxEmail.objects.get(kind="reminder")
    html = email_message_build(email).alternatives[0][0]
    assert 'lang="fa" dir="rtl"' in html
