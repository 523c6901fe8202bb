"""Event actions: create, edit, publish, cancel, duplicate, change capacity.

Also questions and reminder rules added or removed one at a time, as the API does; the event
form saves them as lists (``event_create``, ``event_update``).
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from events import services
from events.models import Event, Question
from notifications.models import ReminderRule
from notifications.reminders.follow_ups import follow_ups_copy
from notifications.reminders.kinds import reminder_form_kind_names
from notifications.reminders.services import (
    reminder_rule_delete,
    reminder_rule_save,
    reminder_rules_replace,
    reminder_schedule_event,
)
from workspace.audit import Actor, audit_record


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


def event_create(*, actor: Actor, event: Event, formsets: Mapping[str, Any]) -> Event:
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
    actor: Actor,
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


def event_publish(*, actor: Actor, event: Event) -> Event:
    with transaction.atomic():
        services.event_publish(event=event)
        audit_record(
            actor=actor, action="event.published", organization=event.organization, event=event
        )
    return event


def event_cancel(*, actor: Actor, event: Event, message: str = "") -> Event:
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


def event_duplicate(*, actor: Actor, event: Event, title: str, starts_at: datetime) -> Event:
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


def event_change_capacity(*, actor: Actor, event: Event, capacity: int) -> Event:
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


def event_question_add(*, actor: Actor, question: Question) -> Question:
    """Add a question to the registration form of ``question.event``."""
    with transaction.atomic():
        question.full_clean()
        question.save()
        audit_record(
            actor=actor,
            action="question.added",
            organization=question.event.organization,
            event=question.event,
            details={"label": question.label},
        )
    return question


def event_question_delete(*, actor: Actor, question: Question) -> None:
    """Remove a question; answers already given stay in the registrations."""
    with transaction.atomic():
        question.delete()
        audit_record(
            actor=actor,
            action="question.deleted",
            organization=question.event.organization,
            event=question.event,
            details={"label": question.label},
        )


def event_reminder_rule_add(*, actor: Actor, rule: ReminderRule) -> ReminderRule:
    """Add a reminder rule (an identical one comes back as it is) and reschedule."""
    with transaction.atomic():
        saved = reminder_rule_save(rule=rule)
        audit_record(
            actor=actor,
            action="reminder_rule.added",
            organization=saved.event.organization,
            event=saved.event,
            details={"label": str(saved)},
        )
    return saved


def event_reminder_rule_delete(*, actor: Actor, rule: ReminderRule) -> None:
    with transaction.atomic():
        reminder_rule_delete(rule=rule)
        audit_record(
            actor=actor,
            action="reminder_rule.deleted",
            organization=rule.event.organization,
            event=rule.event,
            details={"label": str(rule)},
        )
