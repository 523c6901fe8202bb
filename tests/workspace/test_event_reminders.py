"""Reminder rules edited in the workspace's event form reach the registrants' schedules."""

from datetime import timedelta

import pytest
from django.test import Client

from events.models import Event
from notifications.models import ScheduledReminder
from tests.factories import register
from tests.workspace.formdata import event_form_data, management

pytestmark = pytest.mark.django_db


def edit_with_reminder(event: Event, **reminder: str) -> dict[str, str]:
    data = event_form_data(
        title=event.title,
        kind=event.kind,
        time_zone=event.time_zone,
        venue_name=event.venue_name,
        capacity=str(event.capacity),
    )
    data.update(management("reminders", total=1))
    data.update({f"reminders-0-{field}": value for field, value in reminder.items()})
    return data


def test_a_reminder_added_in_the_workspace_is_scheduled_for_everyone_registered(
    organizer_client: Client, event: Event
) -> None:
    registration = register(event, "ana@example.org")
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/",
        edit_with_reminder(event, kind="before_start", amount="30", unit="minutes"),
    )
    assert response.status_code == 302, response.content.decode()
    event.refresh_from_db()
    reminder = ScheduledReminder.objects.get(registration=registration)
    assert (reminder.status, reminder.due_at) == (
        "pending",
        event.starts_at - timedelta(minutes=30),
    )


def test_a_reminder_more_than_sixty_days_ahead_is_an_error_next_to_its_amount(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/",
        edit_with_reminder(event, kind="before_start", amount="61", unit="days"),
    )
    assert response.status_code == 400
    errors = response.context["formsets"]["reminders"].forms[0].errors
    assert "Choose between 1 minute and 86400 minutes (60 days)" in errors["amount"][0]
    assert not event.reminder_rules.exists()


@pytest.mark.parametrize("amount", ["0", "-3"])
def test_a_reminder_of_no_time_before_the_start_gets_one_clear_error(
    organizer_client: Client, event: Event, amount: str
) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/",
        edit_with_reminder(event, kind="before_start", amount=amount, unit="hours"),
    )
    assert response.status_code == 400
    errors = response.context["formsets"]["reminders"].forms[0].errors
    assert errors["amount"] == ["Ensure this value is greater than or equal to 1."]
    assert not event.reminder_rules.exists()


def test_a_reminder_without_an_amount_asks_for_one(organizer_client: Client, event: Event) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/",
        edit_with_reminder(event, kind="before_start", amount="", unit="days"),
    )
    assert response.status_code == 400
    errors = response.context["formsets"]["reminders"].forms[0].errors
    assert errors["amount"] == ["Say how long before the start."]
