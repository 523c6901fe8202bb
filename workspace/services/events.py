"""Event actions: create, edit, publish, cancel, duplicate, change capacity."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from accounts.models import User
from events import services
from events.models import Event
from notifications.models import ReminderRule
from notifications.reminders.follow_ups import follow_ups_copy
from notifications.reminders.kinds import reminder_form_kind_names
from notifications.reminders.services import reminder_rules_replace, reminder_schedule_event
from workspace.audit import audit_record


def _save_inlines(event: Event, formsets: Mapping[str, Any]) -> list[str]:
    """Save every inline formset for ``event``; the prefixes of those that changed.

    Changed reminder rules reschedule the event's registrants.
    """
    changed = []
    for prefix, formset in formsets.items():
        formset.instance = event
        formset.save()
        if formset.has_changed():
            changed.append(prefix)
    if "reminders" in changed:
        reminder_schedule_event(event=event, rearm_sent=True)
    return changed


def event_create(*, actor: User, event: Event, formsets: Mapping[str, Any]) -> Event:
    """Save a new draft (``event`` as the form built it) with its inline lists.

    The form's reminder rows (the suggested defaults included) are the organizer's choice:
    they replace the default rules every new event is given.
    """
    with transaction.atomic():
        services.event_save(event=event)
        reminders = formsets.get("reminders")
        others = {prefix: formset for prefix, formset in formsets.items() if prefix != "reminders"}
        if reminders is not None:
            reminders.instance = event
            reminder_rules_replace(event=event, rules=reminders.save())
        _save_inlines(event, others)
        audit_record(
            actor=actor, action="event.created", organization=event.organization, event=event
        )
    return event


def event_update(
    *,
    actor: User,
    event: Event,
    previous: dict[str, object],
    changed_fields: list[str],
    formsets: Mapping[str, Any],
) -> Event:
    """Save an edit; registrants hear of changes and a capacity raise promotes the waitlist."""
    with transaction.atomic():
        services.event_save(event=event, previous=previous)
        changed_inlines = _save_inlines(event, formsets)
        audit_record(
            actor=actor,
            action="event.updated",
            organization=event.organization,
            event=event,
            details={"fields": changed_fields, "lists": changed_inlines},
        )
    return event


def event_publish(*, actor: User, event: Event) -> Event:
    with transaction.atomic():
        services.event_publish(event=event)
        audit_record(
            actor=actor, action="event.published", organization=event.organization, event=event
        )
    return event


def event_cancel(*, actor: User, event: Event, message: str = "") -> Event:
    """Cancel the event; ``message`` goes to every registrant in the cancellation email."""
    with transaction.atomic():
        was_cancelled = event.is_cancelled
        services.event_cancel(event=event, message=message)
        if not was_cancelled:
            audit_record(
                actor=actor,
                action="event.cancelled",
                organization=event.organization,
                event=event,
                details={"message": message.strip()} if message.strip() else None,
            )
    return event


def event_duplicate(*, actor: User, event: Event, title: str, starts_at: datetime) -> Event:
    """A draft copy with every inline list, reminder rules included."""
    with transaction.atomic():
        copy = services.event_duplicate(event=event, title=title, starts_at=starts_at)
        # The copy's rules replace the defaults it was given as a new event.
        reminder_rules_replace(
            event=copy,
            rules=[
                ReminderRule(
                    kind=rule.kind, minutes_before=rule.minutes_before, local_time=rule.local_time
                )
                for rule in event.reminder_rules.filter(
                    kind__in=reminder_form_kind_names()
                ).order_by("id")
            ],
        )
        follow_ups_copy(source=event, target=copy)
        audit_record(
            actor=actor,
            action="event.duplicated",
            organization=event.organization,
            event=copy,
            details={"from_event": event.pk},
        )
    return copy


def event_change_capacity(*, actor: User, event: Event, capacity: int) -> Event:
    """Set the number of seats; a raise promotes waitlisted people in order."""
    with transaction.atomic():
        previous = services.event_snapshot(event)
        event.capacity = capacity
        services.event_save(event=event, previous=previous)
        audit_record(
            actor=actor,
            action="event.capacity_changed",
            organization=event.organization,
            event=event,
            details={"from": previous["capacity"], "to": capacity},
        )
    return event
