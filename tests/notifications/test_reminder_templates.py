"""The reminder email's words, rendered with the context the outbox sender provides."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from events.models import Event
from events.templatetags.event_times import describe_time
from notifications.models import OutboxEmail
from registrations.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

START = datetime(2022, 1, 9, 18, 30, tzinfo=UTC)  # 22:00 in Tehran, 10:30 in Los Angeles


def render(event: Event, *, show_join_details: bool = True, language: str = "en") -> dict[str, str]:
    registration = Registration(
        event=event, name="Ana & Bo", email="ana@example.org", time_zone="Asia/Tehran"
    )
    context = {
        "rule": "1 day before",
        "unsubscribe_url": "https://convene.test/reminders/unsubscribe/abc:def/",
    }
    email = OutboxEmail(kind="reminder", recipient=registration.email, context=context)
    with translation.override(language):
        values = {
            "registration": registration,
            "event": event,
            "email": email,
            "context": context,
            "when": describe_time(event.starts_at, registration.time_zone, event.time_zone),
            "manage_url": "https://convene.test/r/token/",
            "event_url": "https://convene.test/events/voices/",
            "show_join_details": show_join_details,
        }
        return {
            part: render_to_string(f"notifications/email/reminder{part}", values)
            for part in ("_subject.txt", ".txt", ".html")
        }


def webinar() -> Event:
    return EventFactory.build(
        title="Voices & Visions",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        time_zone="America/Los_Angeles",
    )


def test_the_subject_names_the_event_and_the_time_in_the_registrants_zone() -> None:
    subject = render(webinar())["_subject.txt"].strip()
    assert subject == (
        "Reminder: Voices & Visions — Sun 9 Jan 2022, 22:00 Tehran time"
        " — 10:30 in Los Angeles, event time"
    )


def test_the_body_has_the_time_join_link_manage_link_and_unsubscribe_link() -> None:
    parts = render(webinar())
    for body in (parts[".txt"], parts[".html"]):
        assert "Sun 9 Jan 2022, 22:00 Tehran time" in body
        assert "https://meet.example.org/secret-room" in body
        assert "Passcode 1234" in body
        assert "https://convene.test/r/token/" in body
        assert "https://convene.test/reminders/unsubscribe/abc:def/" in body
        assert "1 day before" in body
    assert "Hello Ana & Bo," in parts[".txt"]  # plain text is not HTML-escaped
    assert "Hello Ana &amp; Bo," in parts[".html"]


def test_no_join_details_unless_the_registrant_may_see_them() -> None:
    parts = render(webinar(), show_join_details=False)
    for body in parts.values():
        assert "secret-room" not in body
        assert "Passcode" not in body


def test_an_in_person_reminder_gives_the_venue() -> None:
    event = EventFactory.build(
        kind="in_person",
        title="Book night",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        time_zone="Asia/Tehran",
        join_url="",
        joining_instructions="",
        venue_name="Shahr-e Ketab",
        venue_address="12 Enghelab St\nTehran",
    )
    parts = render(event)
    assert "Shahr-e Ketab" in parts[".txt"]
    assert "12 Enghelab St\nTehran" in parts[".txt"]
    assert "12 Enghelab St<br>Tehran" in parts[".html"]


def test_a_farsi_reminder_is_right_to_left() -> None:
    html = render(webinar(), language="fa")[".html"]
    assert '<html lang="fa" dir="rtl">' in html
