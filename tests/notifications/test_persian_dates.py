"""A Persian reader's emails: Solar Hijri dates in Persian digits, the zone named in Persian,
# ruff: noqa: RUF001 - Persian letters and digits on purpose
the Gregorian date beside the event's own time; the invite stays in UTC."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail

from tests.factories import EventFactory
from tests.notifications.helpers import calendar_part, mime, register, text_part

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
