"""Shared helpers for the reminder tests: events and registrations made the way users make them."""

from datetime import datetime
from typing import Any

from events.models import Event
from events.services import event_save
from notifications.models import ScheduledReminder
from registrations.models import Registration
from registrations.services import registration_create
from tests.factories import EventFactory, OrganizationFactory


def create_event(**fields: Any) -> Event:
    """An event saved through the service, so it gets its default reminder rules."""
    event = EventFactory.build(organization=OrganizationFactory(), **fields)
    return event_save(event=event)


def register(
    event: Event, email: str, time_zone: str = "Asia/Tehran", **fields: Any
) -> Registration:
    return registration_create(
        event=event, name=fields.pop("name", "Ana"), email=email, time_zone=time_zone, **fields
    ).registration


def schedule_of(registration: Registration) -> dict[str, tuple[str, datetime]]:
    """{rule as text: (status, due_at)} for one registration."""
    return {
        str(reminder.rule): (reminder.status, reminder.due_at)
        for reminder in ScheduledReminder.objects.filter(registration=registration).select_related(
            "rule"
        )
    }
