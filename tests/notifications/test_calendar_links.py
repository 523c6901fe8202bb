"""Adding an event to a calendar from its public page and from the registration page."""

from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import vobject
from django.test import Client

from events.models import Event
from events.services import event_cancel, event_save, event_snapshot
from registrations.selectors import registration_manage_token
from tests.factories import EventFactory
from tests.notifications.helpers import register

pytestmark = pytest.mark.django_db


def links_on(page: str) -> dict[str, str]:
    """The calendar links of a page by their visible label."""
    found = {}
    for label, host in [
        ("Add to Google Calendar", "calendar.google.com"),
        ("Add to Outlook", "outlook.live.com"),
    ]:
        assert label in page
        start = page.index(f"https://{host}")
        found[label] = unescape(page[start : page.index('"', start)])
    return found


def test_event_page_offers_ics_google_and_outlook_links(client: Client) -> None:
    start = (datetime.now(UTC) + timedelta(days=9)).replace(microsecond=0)
    event = EventFactory(slug="poetry", starts_at=start, ends_at=start + timedelta(hours=1))

    page = client.get(event.get_absolute_url()).content.decode()

    assert 'href="/events/poetry/calendar.ics"' in page
    links = links_on(page)
    google = parse_qs(urlsplit(links["Add to Google Calendar"]).query)
    assert google["dates"] == [
        f"{start:%Y%m%dT%H%M%SZ}/{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}"
    ]
    assert google["text"] == [event.title]
    outlook = parse_qs(urlsplit(links["Add to Outlook"]).query)
    assert outlook["startdt"] == [f"{start:%Y-%m-%dT%H:%M:%SZ}"]
    for link in links.values():
        assert "secret-room" not in link


def test_public_ics_download_is_a_publish_calendar_without_join_link(client: Client) -> None:
    event = EventFactory(slug="poetry")

    response = client.get("/events/poetry/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="poetry.ics"' in response["Content-Disposition"]
    calendar = vobject.readOne(response.content.decode())
    assert calendar.method.value == "PUBLISH"
    assert calendar.vevent.summary.value == event.title
    assert "attendee" not in calendar.vevent.contents
    assert b"secret-room" not in response.content


def test_cancelled_event_feed_says_cancelled_and_page_drops_the_links(client: Client) -> None:
    event = EventFactory(slug="gone", status=Event.Status.CANCELLED)

    feed = vobject.readOne(client.get("/events/gone/calendar.ics").content.decode())
    page = client.get(event.get_absolute_url()).content.decode()

    assert feed.vevent.status.value == "CANCELLED"
    assert "Add to Google Calendar" not in page


def test_the_public_feed_sequence_rises_with_each_change_it_shows(client: Client) -> None:
    """A calendar that imported the .ics replaces its copy only for a higher SEQUENCE."""
    event = EventFactory(slug="moving", capacity=10)

    def feed() -> Any:
        return vobject.readOne(client.get("/events/moving/calendar.ics").content.decode()).vevent

    def edit(**changes: Any) -> None:
        previous = event_snapshot(event)
        for field, value in changes.items():
            setattr(event, field, value)
        event_save(event=event, previous=previous)

    first = feed()
    edit(capacity=20)  # not in the feed: the same version
    unchanged = feed()
    edit(starts_at=event.starts_at + timedelta(hours=1), ends_at=event.ends_at + timedelta(hours=1))
    moved = feed()
    event_cancel(event=event)
    cancelled = feed()

    assert first.uid.value == unchanged.uid.value == moved.uid.value == cancelled.uid.value
    assert [int(v.sequence.value) for v in (first, unchanged, moved, cancelled)] == [0, 0, 1, 2]
    assert moved.dtstart.value == event.starts_at.replace(microsecond=0)
    assert cancelled.status.value == "CANCELLED"


def test_draft_event_has_no_public_feed(client: Client) -> None:
    EventFactory(slug="secret", status=Event.Status.DRAFT)

    assert client.get("/events/secret/calendar.ics").status_code == 404


def test_confirmed_registrant_finds_the_links_on_the_registration_page(client: Client) -> None:
    event = EventFactory(slug="poetry", capacity=1)
    confirmed = register(event, "ana@example.org")
    waiting = register(event, "bob@example.org")

    def page_of(registration: Any) -> str:
        token = registration_manage_token(registration)
        return client.get(f"/r/{token}/").content.decode()

    confirmed_page = page_of(confirmed)
    # The registrant's own invite (its UID), not the public feed's: adding it next to the
    # emailed invite must not give a second event.
    token = registration_manage_token(confirmed)
    assert f'href="/r/{token}/invite.ics"' in confirmed_page
    assert 'href="/events/poetry/calendar.ics"' not in confirmed_page
    assert "Add to Google Calendar" in confirmed_page
    assert "Add to Google Calendar" not in page_of(waiting)
