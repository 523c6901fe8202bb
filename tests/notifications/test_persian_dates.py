"""A Persian reader's emails: Solar Hijri dates in Persian digits, the zone named in Persian,
# ruff: noqa: RUF001 - Persian letters and digits on purpose
the Gregorian date beside the event's own time; the invite stays in UTC."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from events.models import Event
from events.services import event_save, event_snapshot
from notifications.reminders.dispatch import reminders_dispatch_due
from registrations.models import Registration
from registrations.services import registration_cancel
from tests.factories import EventFactory
from tests.notifications.helpers import calendar_part, mime, register, text_part
from tests.notifications.reminder_helpers import create_event
from tests.notifications.reminder_helpers import register as reminder_register
from tests.notifications.test_invites import check_rfc5546

pytestmark = pytest.mark.django_db

# Sunday 20 December 2026 (29 Azar 1405): 20:30 in Tehran, 09:00 in Los Angeles.
START = datetime(2026, 12, 20, 17, 0, tzinfo=UTC)


def test_a_persian_confirmation_writes_the_date_in_the_persian_calendar(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(title="Poetry night", time_zone="America/Los_Angeles")
    with time_machine.travel(START - timedelta(days=3), tick=False):
        event.starts_at, event.ends_at = START, START + timedelta(hours=1)
        event.save()
        with django_capture_on_commit_callbacks(execute=True):
            register(
                event,
                "parisa@example.org",
                time_zone="Asia/Tehran",
                language="fa",
            )

    (message,) = mail.outbox
    html = text_part(mime(message), "html")
    for body in (message.body, html):
        assert "۲۹ آذر ۱۴۰۵ (۲۰ دسامبر ۲۰۲۶)" in body
        assert "۲۰:۳۰" in body
        assert "تهران" in body
        assert "لوس\u200cآنجلس" in body
        assert "Tehran" not in body
        assert "Los Angeles" not in body
    invite = calendar_part(mime(message))
    assert invite is not None
    assert "DTSTART:20261220T170000Z" in invite


def test_a_latin_name_in_a_persian_email_keeps_its_comma_on_the_right_side(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "parisa@example.org", name="Parisa", language="fa")

    html = text_part(mime(mail.outbox[0]), "html")
    assert "<bdi>Parisa</bdi>" in html
    assert f"<bdi>{event.title}</bdi>" in html


# Every email a `fa` registrant can get about their registration: the subject and both bodies
# in Persian, the date on the Solar Hijri calendar, the zone in Persian, the invite in UTC.

TITLE = "Poetry night"
UI_ENGLISH = re.compile(
    r"\b(Hello|Hi|Dear|registration|registered|confirmed|cancelled|waitlist|reminder|seat|"
    r"Changed|event|When|Where|Starts|Ends|time|your|you|calendar|link|Join|Manage|Cancel|"
    r"Tehran|Iran|Los Angeles|Sun|Sunday|Dec|December|AM|PM)\b",
    re.IGNORECASE,
)
# What may stay Latin in a Persian email: the organizer's title, addresses, links, the
# product's name and the IANA zone names (docs/i18n.md).
LATIN_ALLOWED = re.compile(
    rf"{TITLE}|https?://\S+|[\w.+-]+@[\w.-]+|Convene|Google|Outlook|\.ics|"
    r"[A-Z][a-z]+/[A-Za-z_]+|<[^>]*>|&\w+;"
)


def assert_persian(message: EmailMultiAlternatives, *, invite_method: str | None) -> None:
    html = text_part(mime(message), "html")
    assert 'lang="fa" dir="rtl"' in html
    parts: dict[str, str] = {
        "subject": str(message.subject),
        "text": str(message.body),
        "html": html,
    }
    for part, text in parts.items():
        rest = LATIN_ALLOWED.sub("", text)
        english = sorted(set(UI_ENGLISH.findall(rest)))
        assert not english, f"{part}: English {english} in:\n{text}"
        assert re.search("[\u0600-\u06ff]", text), f"{part}: no Persian in {text!r}"
    for text in (parts["text"], html):
        assert "آذر ۱۴۰۵" in text, text  # 29 Azar 1405 = 20 December 2026
        assert "تهران" in text, text
        assert not re.search(r"\b20:30\b|\b2026\b", LATIN_ALLOWED.sub("", text)), text
    invite = calendar_part(mime(message))
    if invite_method is None:
        assert invite is None
        return
    assert invite is not None
    vevent = check_rfc5546(invite, invite_method).vevent
    if invite_method == "REQUEST":
        assert vevent.dtstart.value == START.replace(tzinfo=vevent.dtstart.value.tzinfo)
        assert vevent.dtstart.value.utcoffset() == timedelta(0)


@pytest.fixture
def small_room() -> Iterator[Event]:
    """A one-seat event in Tehran's evening, as seen three days before it starts."""
    with time_machine.travel(START - timedelta(days=3), tick=False):
        yield create_event(
            title=TITLE,
            capacity=1,
            starts_at=START,
            ends_at=START + timedelta(hours=1),
            time_zone="Asia/Tehran",
        )


def persian_registrant(event: Event, email: str) -> Registration:
    return reminder_register(event, email, name="پریسا", language="fa")


def sent(callbacks: Any, action: Any) -> dict[str, EmailMultiAlternatives]:
    mail.outbox.clear()
    with callbacks(execute=True):
        action()
    return {message.to[0]: message for message in mail.outbox}  # type: ignore[misc]


def test_confirmation_waitlist_promotion_and_cancellation_in_persian(
    small_room: Event, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(START - timedelta(days=3), tick=False):
        seated: list[Registration] = []
        first = sent(
            django_capture_on_commit_callbacks,
            lambda: seated.append(persian_registrant(small_room, "first@example.org")),
        )
        assert_persian(first["first@example.org"], invite_method="REQUEST")

        second = sent(
            django_capture_on_commit_callbacks,
            lambda: persian_registrant(small_room, "second@example.org"),
        )
        assert_persian(second["second@example.org"], invite_method=None)

        after_cancel = sent(
            django_capture_on_commit_callbacks,
            lambda: registration_cancel(registration=seated[0]),
        )
    assert_persian(after_cancel["first@example.org"], invite_method="CANCEL")
    assert_persian(after_cancel["second@example.org"], invite_method="REQUEST")


def test_update_and_reminder_in_persian(
    small_room: Event, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(START - timedelta(days=3), tick=False):
        persian_registrant(small_room, "seated@example.org")

        def move_the_venue() -> None:
            previous = event_snapshot(small_room)
            small_room.venue_name = "کتاب‌فروشی شهرزاد"
            small_room.kind = Event.Kind.HYBRID
            event_save(event=small_room, previous=previous)

        update = sent(django_capture_on_commit_callbacks, move_the_venue)
    assert_persian(update["seated@example.org"], invite_method="REQUEST")

    with time_machine.travel(START - timedelta(days=1), tick=False):
        reminder = sent(django_capture_on_commit_callbacks, reminders_dispatch_due)
    assert_persian(reminder["seated@example.org"], invite_method=None)
