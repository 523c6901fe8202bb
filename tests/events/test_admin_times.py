"""The admin reads and shows an event's times as wall-clock times in the event's own zone."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from events.models import Event, Organization
from notifications.models import OutboxEmail
from registrations.services import registration_create
from tests.events.admin_formdata import event_form_data
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# The dates below are fixed (a December week in Los Angeles, the March DST gap); the clock is
# set before them so that the events stay in the future whatever day the suite runs.
BEFORE_THE_EVENTS = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_before_the_events() -> Iterator[None]:
    with time_machine.travel(BEFORE_THE_EVENTS, tick=True):
        yield


# 14:00-16:00 in Los Angeles on a December day (PST, UTC-8).
LA_START = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
LA_END = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)


@pytest.fixture
def event(organization: Organization) -> Event:
    return EventFactory(
        organization=organization,
        title="Town hall",
        time_zone="America/Los_Angeles",
        starts_at=datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 19, 0, tzinfo=UTC),
    )


def change_url(event: Event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def test_times_typed_in_the_admin_are_read_in_the_events_zone(
    admin_client: Client, event: Event
) -> None:
    response = admin_client.post(
        change_url(event),
        event_form_data(
            event,
            starts_at="2026-12-06T14:00",
            ends_at="2026-12-06T16:00",
            registration_closes_at="2026-12-06T12:00",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (LA_START, LA_END)
    assert event.registration_closes_at == datetime(2026, 12, 6, 20, 0, tzinfo=UTC)


def test_moving_the_event_in_the_admin_tells_its_registrants(
    admin_client: Client, event: Event
) -> None:
    registration_create(event=event, name="Ana", email="ana@example.org", time_zone="Asia/Tehran")

    admin_client.post(
        change_url(event),
        event_form_data(event, starts_at="2026-12-06T14:00", ends_at="2026-12-06T16:00"),
    )

    updates = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.EVENT_UPDATED)
    assert [email.recipient for email in updates] == ["ana@example.org"]


def test_the_change_page_shows_the_stored_times_in_the_events_zone(
    admin_client: Client, event: Event
) -> None:
    Event.objects.filter(pk=event.pk).update(starts_at=LA_START, ends_at=LA_END)

    page = admin_client.get(change_url(event)).content.decode()

    assert 'name="starts_at" value="2026-12-06T14:00"' in page
    assert 'name="ends_at" value="2026-12-06T16:00"' in page
    assert "In the event's time zone." in page


def test_a_zone_chosen_together_with_the_times_is_the_zone_they_are_read_in(
    admin_client: Client, event: Event
) -> None:
    response = admin_client.post(
        change_url(event),
        event_form_data(
            event,
            time_zone="Europe/Berlin",
            starts_at="2026-12-06T14:00",
            ends_at="2026-12-06T16:00",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.time_zone == "Europe/Berlin"
    # CET is UTC+1 in December.
    assert event.starts_at == datetime(2026, 12, 6, 13, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2026, 12, 6, 15, 0, tzinfo=UTC)


def test_a_time_skipped_by_daylight_saving_is_refused_next_to_the_field(
    admin_client: Client, event: Event
) -> None:
    response = admin_client.post(
        change_url(event),
        event_form_data(
            event, title="Moved", starts_at="2026-03-08T02:30", ends_at="2026-03-08T04:00"
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "02:30 does not exist on 8 Mar 2026 in Los Angeles" in errors["starts_at"][0]
    assert "such as 03:30" in errors["starts_at"][0]
    assert "ends_at" not in errors
    event.refresh_from_db()
    assert (event.title, event.starts_at) == ("Town hall", datetime(2026, 12, 1, 18, tzinfo=UTC))


def test_an_end_before_the_start_in_the_events_zone_is_refused(
    admin_client: Client, event: Event
) -> None:
    response = admin_client.post(
        change_url(event),
        event_form_data(event, starts_at="2026-12-06T16:00", ends_at="2026-12-06T14:00"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["ends_at"] == ["The event must end after it starts."]


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (
            {
                "registration_opens_at": "2026-12-02T10:00",
                "registration_closes_at": "2026-12-02T09:00",
            },
            "Registration must close after it opens.",
        ),
        (
            {"registration_closes_at": "2026-12-06T17:00"},
            "Registration must close by the end of the event.",
        ),
    ],
)
def test_a_registration_window_that_makes_no_sense_is_refused(
    admin_client: Client, event: Event, window: dict[str, str], message: str
) -> None:
    response = admin_client.post(
        change_url(event),
        event_form_data(event, starts_at="2026-12-06T14:00", ends_at="2026-12-06T16:00", **window),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["registration_closes_at"] == [message]
    event.refresh_from_db()
    assert event.registration_closes_at is None


def test_the_event_list_shows_the_start_in_the_events_zone_and_sorts_by_it(
    admin_client: Client, organization: Organization
) -> None:
    EventFactory(
        organization=organization, title="Los Angeles talk", starts_at=LA_START, ends_at=LA_END
    )
    # Earlier in UTC, though later on its own wall clock (23:30 in Tehran).
    EventFactory(
        organization=organization,
        title="Tehran reading",
        time_zone="Asia/Tehran",
        starts_at=datetime(2026, 12, 6, 20, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 6, 21, 0, tzinfo=UTC),
    )
    changelist = reverse("admin:events_event_changelist")

    page = admin_client.get(changelist).content.decode()

    assert "Sun 6 Dec 2026, 14:00 Los Angeles" in page
    assert "Sun 6 Dec 2026, 23:30 Tehran" in page
    assert "10 p.m." not in page
    header = re.search(
        r'column-starts_in_event_zone.*?<div class="text"><a href="\?o=-?(\d+)', page, re.S
    )
    assert header is not None, "the start column can be sorted"
    column = header.group(1)
    ascending = admin_client.get(changelist, {"o": column}).content.decode()
    descending = admin_client.get(changelist, {"o": f"-{column}"}).content.decode()
    assert ascending.index("Tehran reading") < ascending.index("Los Angeles talk")
    assert descending.index("Los Angeles talk") < descending.index("Tehran reading")


@pytest.mark.parametrize(
    ("time_zone", "starts_at", "ends_at"),
    [
        ("America/New_York", "9999-12-31T23:00", "9999-12-31T23:59"),
        ("Asia/Tehran", "0001-01-01T00:00", "0001-01-01T02:00"),
    ],
)
def test_a_date_outside_the_accepted_years_is_refused_next_to_the_field(
    admin_client: Client, event: Event, time_zone: str, starts_at: str, ends_at: str
) -> None:
    add_url = reverse("admin:events_event_add")
    response = admin_client.post(
        add_url,
        event_form_data(
            event,
            title="Far away",
            slug="far-away",
            time_zone=time_zone,
            starts_at=starts_at,
            ends_at=ends_at,
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["starts_at"] == ["Enter a date between the years 1900 and 2999."]
    assert errors["ends_at"] == ["Enter a date between the years 1900 and 2999."]
    assert not Event.objects.filter(slug="far-away").exists()


def test_registration_opening_after_the_end_is_refused(admin_client: Client, event: Event) -> None:
    response = admin_client.post(
        change_url(event),
        event_form_data(
            event,
            starts_at="2026-12-06T14:00",
            ends_at="2026-12-06T16:00",
            registration_opens_at="2026-12-06T17:00",
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["registration_opens_at"] == ["Registration must open before the event ends."]
    event.refresh_from_db()
    assert event.registration_opens_at is None
