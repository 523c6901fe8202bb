"""The workspace home: my organizations' events with their counts."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from events.models import Event, Organization
from registrations.organizer_services import registration_check_in
from tests.factories import EventFactory, MembershipFactory, register

pytestmark = pytest.mark.django_db


def event_titles(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/manage/events/\d+/">(.*?)</a>', html)


def test_upcoming_events_come_first_soonest_first_then_past_latest_first(
    organizer_client: Client, organization: Organization
) -> None:
    now = timezone.now()
    for title, days in [("Later", 20), ("Long ago", -60), ("Soon", 2), ("Last week", -7)]:
        EventFactory(
            organization=organization,
            title=title,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=1),
        )
    html = organizer_client.get("/manage/").content.decode()
    assert event_titles(html) == ["Soon", "Later", "Last week", "Long ago"]
    assert f'href="/manage/organizations/{organization.pk}/events/new/"' in html


def test_each_event_shows_its_counts_and_seats_left(
    organizer_client: Client, organization: Organization
) -> None:
    event = EventFactory(
        organization=organization, kind=Event.Kind.IN_PERSON, venue_name="Hall", capacity=2
    )
    first = register(event, "a@example.org")
    register(event, "b@example.org")
    register(event, "c@example.org")
    registration_check_in(registration=first)
    Event.objects.filter(pk=event.pk).update(approval_required=True)
    event.refresh_from_db()
    register(event, "d@example.org")
    html = organizer_client.get("/manage/").content.decode()
    cells = dict(re.findall(r'data-label="([^"]+)">(?:<[^>]+>)*(\d+|∞)', html))
    assert cells == {
        "Confirmed": "2",
        "Waitlisted": "1",
        "Pending": "1",
        "Cancelled": "0",
        "Checked in": "1",
        "Seats left": "0",
    }


def test_other_organizations_events_are_not_listed(
    organizer_client: Client, organization: Organization
) -> None:
    EventFactory(organization=organization, title="Ours")
    EventFactory(title="Theirs")
    assert event_titles(organizer_client.get("/manage/").content.decode()) == ["Ours"]


def test_the_number_of_queries_does_not_grow_with_events(
    organizer_client: Client, organizer: User, organization: Organization
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organizer_client.get("/manage/").status_code == 200
        return len(captured)

    event = EventFactory(organization=organization)
    register(event, "a@example.org")
    baseline = queries()
    second_organization = MembershipFactory(user=organizer).organization
    for n in range(10):
        more = EventFactory(organization=second_organization if n % 2 else organization)
        register(more, f"p{n}@example.org")
    assert queries() == baseline
