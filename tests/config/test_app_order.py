"""What the order of INSTALLED_APPS (and of each app's ``ready()``) decides, pinned.

docs/design.md, "The event bus" and "Contracts that are easy to miss", says why each is so.
A failure here means the order changed: if that was meant, update those sections and the
lists below together.
"""

from django.contrib import admin
from django.core.management import get_commands

from events import lifecycle
from events.facts import EventCancelled, EventChanged, EventCreated
from events.models import Event
from notifications.reminders.admin import EventWithRemindersAdmin
from registrations.facts import (
    RegistrationCancelled,
    RegistrationCheckedIn,
    RegistrationConfirmed,
    RegistrationPending,
    RegistrationRejected,
    RegistrationRepeated,
    RegistrationTimeZoneChanged,
    RegistrationWaitlisted,
)

# Fact → its handlers in the order they run, as "<app>: <function>".
HANDLER_ORDER = {
    EventCreated: ["notifications: give_new_event_default_rules"],
    EventChanged: [
        "registrations: promote_waitlist_when_capacity_changes",
        "notifications: on_event_changed",
        "notifications: reschedule_when_event_changes",
        "webhooks: deliver_webhooks",
    ],
    EventCancelled: [
        "notifications: on_event_cancelled",
        "notifications: stop_reminders_when_event_cancelled",
        "webhooks: deliver_webhooks",
    ],
    RegistrationConfirmed: [
        "notifications: on_registration_confirmed",
        "notifications: schedule_reminders_for_confirmed",
        "webhooks: deliver_webhooks",
    ],
    RegistrationWaitlisted: [
        "notifications: on_registration_waitlisted",
        "webhooks: deliver_webhooks",
    ],
    RegistrationPending: ["notifications: on_registration_pending", "webhooks: deliver_webhooks"],
    RegistrationRejected: [
        "notifications: on_registration_rejected",
        "webhooks: deliver_webhooks",
    ],
    RegistrationCancelled: [
        "notifications: on_registration_cancelled",
        "notifications: schedule_reminders_for_registration",
        "webhooks: deliver_webhooks",
    ],
    RegistrationCheckedIn: ["webhooks: deliver_webhooks"],
    RegistrationRepeated: ["notifications: on_registration_repeated"],
    RegistrationTimeZoneChanged: ["notifications: schedule_reminders_for_registration"],
}


def _running_order() -> dict[str, list[str]]:
    return {
        fact_type.__name__: [
            f"{handler.__module__.split('.')[0]}: {handler.__name__}" for handler in handlers
        ]
        for fact_type, handlers in lifecycle._handlers.items()
        if handlers
    }


def test_fact_handlers_run_in_the_documented_order() -> None:
    expected = {fact_type.__name__: names for fact_type, names in HANDLER_ORDER.items()}

    assert _running_order() == expected, (
        "Fact handlers now run in another order, or a handler was added or removed. The order "
        "is INSTALLED_APPS order, then the order of subscribe() calls in each AppConfig.ready(). "
        'If this is intended, update docs/design.md, "The event bus", and HANDLER_ORDER here.'
    )


def test_the_event_admin_is_the_one_with_reminder_rules() -> None:
    assert type(admin.site._registry[Event]) is EventWithRemindersAdmin, (
        "The Event admin is not notifications' EventWithRemindersAdmin: the reminder rules "
        "inline is gone. notifications/admin.py must import notifications.reminders.admin "
        "(admin autodiscovery imports only <app>.admin), and no other admin module may "
        'register Event again. See docs/design.md, "Contracts that are easy to miss".'
    )


def test_runserver_is_whitenoises_so_it_serves_static_files_as_production_does() -> None:
    assert get_commands()["runserver"] == "whitenoise.runserver_nostatic", (
        "whitenoise.runserver_nostatic must come before django.contrib.staticfiles in "
        "INSTALLED_APPS: the first app that provides a management command wins."
    )
