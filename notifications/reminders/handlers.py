"""How reminders follow events and registrations (subscribed in NotificationsConfig.ready).

Handlers run inside the transaction that published the fact, so a schedule is never out of
step with a committed change.
"""

from events.facts import EventCancelled, EventChanged, EventCreated
from events.lifecycle import subscribe
from notifications.reminders.services import (
    reminder_rules_create_defaults,
    reminder_schedule_event,
    reminder_schedule_new_registration,
    reminder_schedule_registration,
)
from registrations.facts import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationTimeZoneChanged,
)


def give_new_event_default_rules(fact: EventCreated) -> None:
    reminder_rules_create_defaults(event=fact.event)


QUIET_HOURS_FIELDS = {"quiet_hours_enabled", "quiet_hours_start", "quiet_hours_end"}


def reschedule_when_event_changes(fact: EventChanged) -> None:
    moved = "starts_at" in fact.previous
    # A status change covers an event published again after being cancelled. New quiet
    # hours move due times but, like a registrant's new zone, never send a reminder again.
    if moved or "status" in fact.previous or QUIET_HOURS_FIELDS & fact.previous.keys():
        reminder_schedule_event(event=fact.event, rearm_sent=moved)


def stop_reminders_when_event_cancelled(fact: EventCancelled) -> None:
    reminder_schedule_event(event=fact.event)


def schedule_reminders_for_registration(
    fact: RegistrationCancelled | RegistrationTimeZoneChanged,
) -> None:
    reminder_schedule_registration(registration=fact.registration)


def schedule_reminders_for_confirmed(fact: RegistrationConfirmed) -> None:
    if fact.created:
        reminder_schedule_new_registration(registration=fact.registration)
    else:
        reminder_schedule_registration(registration=fact.registration)


def subscribe_reminder_handlers() -> None:
    subscribe(EventCreated, give_new_event_default_rules)
    subscribe(EventChanged, reschedule_when_event_changes)
    subscribe(EventCancelled, stop_reminders_when_event_cancelled)
    subscribe(RegistrationConfirmed, schedule_reminders_for_confirmed)
    subscribe(RegistrationCancelled, schedule_reminders_for_registration)
    subscribe(RegistrationTimeZoneChanged, schedule_reminders_for_registration)
