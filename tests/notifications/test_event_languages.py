"""Emails, reminders and invites in the registrant's version of the event (docs/i18n.md,
"One event, several languages"): a `fa` registrant reads the Persian title and joining
instructions in the subject, both bodies and the invite; an `en` registrant of the same
event reads the English ones."""

from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from time_machine import TimeMachineFixture

from events.models import Event
from events.services import event_translation_save
from notifications.reminders.dispatch import reminders_dispatch_due
from registrations.services import registration_cancel
from tests.notifications.helpers import calendar_part, mime, text_part
from tests.notifications.reminder_helpers import create_event, register

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
START = datetime(2026, 12, 20, 17, 0, tzinfo=UTC)
ENGLISH_TITLE = "Poetry night"
PERSIAN_TITLE = "شب شعر"


@pytest.fixture
def event(time_machine: TimeMachineFixture) -> Event:
    time_machine.move_to(NOW, tick=False)
    event = create_event(
        title=ENGLISH_TITLE,
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        language="en",
        joining_instructions="Passcode 1234",
    )
    event_translation_save(
        event=event,
        language="fa",
        texts={"title": PERSIAN_TITLE, "joining_instructions": "رمز ورود: 1234"},
        question_texts={},
    )
    return event


def summary_of(message: EmailMultiAlternatives) -> tuple[str, str]:
    """The invite's SUMMARY and DESCRIPTION, as icalendar reads them."""
    ics = calendar_part(mime(message))
    assert ics is not None
    (vevent,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return str(vevent["SUMMARY"]), str(vevent["DESCRIPTION"])


def assert_in_version(message: EmailMultiAlternatives, *, title: str, other: str) -> None:
    html = text_part(mime(message), "html")
    for part in (str(message.subject), message.body, html):
        assert title in part, part
        assert other not in part, part


def test_a_persian_registrants_confirmation_carries_the_persian_version(
    event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "parisa@example.org", language="fa")

    (message,) = mail.outbox
    assert_in_version(message, title=PERSIAN_TITLE, other=ENGLISH_TITLE)
    assert "رمز ورود: 1234" in message.body and "Passcode" not in message.body
    summary, description = summary_of(message)
    assert summary == PERSIAN_TITLE
    assert description.startswith(PERSIAN_TITLE)
    assert "رمز ورود: 1234" in description


def test_an_english_registrant_of_the_same_event_gets_the_english_version(
    event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "ana@example.org", language="en")

    (message,) = mail.outbox
    assert_in_version(message, title=ENGLISH_TITLE, other=PERSIAN_TITLE)
    summary, description = summary_of(message)
    assert summary == ENGLISH_TITLE
    assert "Passcode 1234" in description


def test_a_batch_of_reminders_gives_each_registrant_their_version(
    event: Event, time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: Any
) -> None:
    register(event, "parisa@example.org", language="fa")
    register(event, "ana@example.org", language="en")
    register(event, "bahar@example.org", language="fa")
    mail.outbox.clear()

    time_machine.move_to(START - timedelta(days=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch_due()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"parisa@example.org", "ana@example.org", "bahar@example.org"}
    # Reminders carry no invite (the confirmation's is in the calendar already).
    for address in ("parisa@example.org", "bahar@example.org"):
        message = by_address[address]
        assert_in_version(message, title=PERSIAN_TITLE, other=ENGLISH_TITLE)
        assert "رمز ورود: 1234" in message.body and "Passcode" not in message.body
    assert_in_version(by_address["ana@example.org"], title=ENGLISH_TITLE, other=PERSIAN_TITLE)
    assert "Passcode 1234" in by_address["ana@example.org"].body


def test_a_persian_registrants_cancellation_carries_the_persian_title(
    event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    registration = register(event, "parisa@example.org", language="fa")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)

    (message,) = mail.outbox
    assert_in_version(message, title=PERSIAN_TITLE, other=ENGLISH_TITLE)
    assert summary_of(message)[0] == PERSIAN_TITLE


def test_a_registrant_whose_language_has_no_version_gets_the_events_own(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    event = create_event(
        title=ENGLISH_TITLE, starts_at=START, ends_at=START + timedelta(hours=1), language="en"
    )

    with django_capture_on_commit_callbacks(execute=True):
        register(event, "parisa@example.org", language="fa")

    (message,) = mail.outbox
    assert ENGLISH_TITLE in str(message.subject)
    assert summary_of(message)[0] == ENGLISH_TITLE
