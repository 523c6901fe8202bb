"""An organization's calendar to subscribe to: /o/<slug>/calendar.ics."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

import icalendar
import pytest
import time_machine
import vobject
from django.test import Client
from django.utils import timezone

from events.models import Event, Organization, OrganizationSlugRedirect
from events.services import event_cancel, event_save, event_snapshot
from tests.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FEED = "/o/voices/calendar.ics"


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory(name="Voices for Change", slug="voices")


def vevents(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}


def test_the_feed_publishes_each_event_with_the_event_pages_uid(
    client: Client, organization: Organization
) -> None:
    event = EventFactory(organization=organization, title="Poetry night", slug="poetry")
    EventFactory(organization=organization, title="Draft", status=Event.Status.DRAFT)
    EventFactory(title="Elsewhere")

    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Voices for Change"
    assert "REFRESH-INTERVAL" in calendar
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    events = vevents(response.content)
    assert set(events) == {"Poetry night"}
    single = vevents(client.get("/events/poetry/calendar.ics").content)["Poetry night"]
    assert events["Poetry night"]["UID"] == single["UID"]
    assert events["Poetry night"]["SEQUENCE"] == event.feed_sequence
    # Nothing private: no attendees, no join link, no instructions.
    body = response.content.decode()
    assert "ATTENDEE" not in body
    assert "secret-room" not in body
    assert "Passcode" not in body
    # vobject reads it too.
    parsed = vobject.readOne(body)
    assert [vevent.summary.value for vevent in parsed.vevent_list] == ["Poetry night"]


def test_an_edit_keeps_the_uid_and_raises_the_sequence(
    client: Client, organization: Organization
) -> None:
    event = EventFactory(organization=organization, title="Poetry night")
    before = vevents(client.get(FEED).content)["Poetry night"]
    previous = event_snapshot(event)
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event_save(event=event, previous=previous)
    after = vevents(client.get(FEED).content)["Poetry night"]
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_a_cancelled_event_stays_30_days_as_cancelled(
    client: Client, organization: Organization
) -> None:
    event = EventFactory(organization=organization, title="Poetry night")
    event_cancel(event=event)
    cancelled = vevents(client.get(FEED).content)["Poetry night"]
    assert cancelled["STATUS"] == "CANCELLED"
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert vevents(client.get(FEED).content) == {}


def test_a_conditional_get_answers_304_until_something_changes(
    client: Client, organization: Organization
) -> None:
    event = EventFactory(organization=organization, title="Poetry night")
    first = client.get(FEED)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(FEED, headers={"If-Modified-Since": last_modified}).status_code == 304
    previous = event_snapshot(event)
    event.title = "Poetry night, moved"
    event_save(event=event, previous=previous)
    changed = client.get(FEED, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    # A new event changes it too.
    EventFactory(organization=organization)
    assert client.get(FEED, headers={"If-None-Match": changed["ETag"]}).status_code == 200


def _many_events(organization: Organization, count: int) -> None:
    start = timezone.now() + timedelta(days=1)
    Event.objects.bulk_create(
        Event(
            organization=organization,
            title=f"Talk {number}",
            slug=f"talk-{number}",
            kind=Event.Kind.WEBINAR,
            starts_at=start + timedelta(hours=number),
            ends_at=start + timedelta(hours=number, minutes=45),
            time_zone="Europe/Berlin",
            join_url="https://meet.example.org/secret-room",
            status=Event.Status.PUBLISHED,
        )
        for number in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_feed_takes_the_same_queries_for_10_and_1000_events(
    client: Client,
    organization: Organization,
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
    count: int,
) -> None:
    _many_events(organization, count)
    with django_assert_num_queries(3):
        response = client.get(FEED)
    assert len(vevents(response.content)) == count


def test_an_old_slug_redirects_the_subscription(client: Client, organization: Organization) -> None:
    OrganizationSlugRedirect.objects.create(old_slug="old-voices", organization=organization)
    response = client.get("/o/old-voices/calendar.ics")
    assert response.status_code == 301
    assert response["Location"] == FEED
