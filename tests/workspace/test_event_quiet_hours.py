"""Quiet hours in the organizer's event form (workspace and admin), where they move
reminders, and a registrant's reminder times on their manage page."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from events.models import Event, Organization
from events.services import event_save
from events.timezones import utc_to_local
from notifications.models import ScheduledReminder
from registrations.selectors import registration_manage_token
from tests.events.admin_formdata import event_form_data as admin_form_data
from tests.factories import EventFactory, register
from tests.workspace.formdata import event_form_data

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
# Sunday 11 Jan 2026, 13:00 in Los Angeles = 00:30 on Monday in Tehran.
SEED_START = datetime(2026, 1, 11, 21, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def webinar(organization: Organization) -> Event:
    """The seed's webinar, saved as the workspace saves it: default rules, quiet hours on."""
    event = EventFactory.build(
        organization=organization,
        title="Organizing across borders",
        starts_at=SEED_START,
        ends_at=SEED_START + timedelta(minutes=90),
        time_zone="America/Los_Angeles",
        quiet_hours_enabled=True,
    )
    return event_save(event=event)


def edit_url(event: Event) -> str:
    return f"/manage/events/{event.pk}/edit/"


def edit_data(event: Event, **overrides: str) -> dict[str, str]:
    local_start = utc_to_local(event.starts_at, event.time_zone)
    local_end = utc_to_local(event.ends_at, event.time_zone)
    fields = {
        "title": event.title,
        "kind": event.kind,
        "time_zone": event.time_zone,
        "starts_at": f"{local_start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{local_end:%Y-%m-%dT%H:%M}",
        "venue_name": "",
        "join_url": event.join_url,
        "capacity": "",
    }
    return event_form_data(**{**fields, **overrides})


def day_before_due_at(event: Event) -> datetime:
    reminder = ScheduledReminder.objects.get(
        registration__event=event, rule__minutes_before=24 * 60
    )
    return reminder.due_at


def test_a_new_event_form_has_quiet_hours_on_from_22_to_08(
    organizer_client: Client, organization: Organization
) -> None:
    html = organizer_client.get(
        f"/manage/organizations/{organization.pk}/events/new/"
    ).content.decode()
    assert 'id="id_quiet_hours_enabled" checked' in html
    assert 'name="quiet_hours_start" value="22:00"' in html
    assert 'name="quiet_hours_end" value="08:00"' in html


def test_the_editor_says_whose_reminder_quiet_hours_move_and_when(
    organizer_client: Client, webinar: Event
) -> None:
    for number in range(2):
        register(webinar, f"tehran{number}@example.org", time_zone="Asia/Tehran")
    register(webinar, "la@example.org", time_zone="America/Los_Angeles")
    html = organizer_client.get(edit_url(webinar)).content.decode()
    assert (
        "for 2 people in Asia/Tehran: Sat 10 Jan, 21:59 their time (instead of Sun 11 Jan, 00:30)"
        in html
    )
    assert "America/Los_Angeles:" not in html


def test_changing_the_window_in_the_workspace_reschedules_everyone(
    organizer_client: Client, webinar: Event
) -> None:
    register(webinar, "ana@example.org", time_zone="Asia/Tehran")
    assert day_before_due_at(webinar) == datetime(2026, 1, 10, 18, 29, tzinfo=UTC)
    response = organizer_client.post(
        edit_url(webinar),
        edit_data(
            webinar,
            quiet_hours_enabled="on",
            quiet_hours_start="23:00",
            quiet_hours_end="07:00",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    webinar.refresh_from_db()
    assert (webinar.quiet_hours_start, webinar.quiet_hours_end) == (time(23, 0), time(7, 0))
    # Quiet hours now begin at 23:00 Tehran: 22:59 = 19:29 UTC.
    assert day_before_due_at(webinar) == datetime(2026, 1, 10, 19, 29, tzinfo=UTC)


def test_switching_quiet_hours_off_in_the_workspace_restores_the_plain_time(
    organizer_client: Client, webinar: Event
) -> None:
    register(webinar, "ana@example.org", time_zone="Asia/Tehran")
    response = organizer_client.post(edit_url(webinar), edit_data(webinar))
    assert response.status_code == 302, response.content.decode()
    webinar.refresh_from_db()
    assert not webinar.quiet_hours_enabled
    assert day_before_due_at(webinar) == SEED_START - timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("22:00", "22:00", "quiet_hours_end", "an end that differs from their start"),
        ("", "08:00", "quiet_hours_start", "Give a time, e.g. 22:00"),
        ("22:00", "25:00", "quiet_hours_end", "Enter a valid time."),
    ],
)
def test_a_window_that_makes_no_sense_is_a_field_error(
    organizer_client: Client, webinar: Event, start: str, end: str, field: str, message: str
) -> None:
    response = organizer_client.post(
        edit_url(webinar),
        edit_data(webinar, quiet_hours_enabled="on", quiet_hours_start=start, quiet_hours_end=end),
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    webinar.refresh_from_db()
    assert (webinar.quiet_hours_start, webinar.quiet_hours_end) == (time(22, 0), time(8, 0))


def test_the_admin_event_form_sets_quiet_hours_and_reschedules(
    admin_client: Client, webinar: Event
) -> None:
    register(webinar, "ana@example.org", time_zone="Asia/Tehran")
    response = admin_client.post(
        reverse("admin:events_event_change", args=[webinar.pk]),
        admin_form_data(
            webinar,
            quiet_hours_enabled="on",
            quiet_hours_start="23:00",
            quiet_hours_end="07:00",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    webinar.refresh_from_db()
    assert (webinar.quiet_hours_enabled, webinar.quiet_hours_start) == (True, time(23, 0))
    assert day_before_due_at(webinar) == datetime(2026, 1, 10, 19, 29, tzinfo=UTC)


def test_the_manage_page_lists_the_registrants_reminders_on_their_own_clock(
    client: Client, webinar: Event
) -> None:
    registration = register(webinar, "ana@example.org", time_zone="Asia/Tehran")
    token = registration_manage_token(registration)
    html = client.get(reverse("registrations:manage", kwargs={"token": token})).content.decode()
    assert "Your reminders" in html
    assert "Times on your clock (Tehran)." in html
    assert "Sat 10 Jan, 21:59</time> — 1 day before (earlier, so that it does not reach" in html
    assert "Sun 11 Jan, 23:30</time> — 1 hour before</li>" in html
