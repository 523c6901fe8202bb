from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from events.facts import EventCancelled, EventChanged
        from events.lifecycle import subscribe
        from notifications import handlers
        from notifications.reminders import kinds  # noqa: F401 - how each kind of rule reads
        from notifications.reminders.handlers import subscribe_reminder_handlers
        from registrations.facts import (
            RegistrationCancelled,
            RegistrationConfirmed,
            RegistrationPending,
            RegistrationRejected,
            RegistrationRepeated,
            RegistrationWaitlisted,
        )

        subscribe(RegistrationConfirmed, handlers.on_registration_confirmed)
        subscribe(RegistrationWaitlisted, handlers.on_registration_waitlisted)
        subscribe(RegistrationPending, handlers.on_registration_pending)
        subscribe(RegistrationRejected, handlers.on_registration_rejected)
        subscribe(RegistrationCancelled, handlers.on_registration_cancelled)
        subscribe(RegistrationRepeated, handlers.on_registration_repeated)
        subscribe(EventChanged, handlers.on_event_changed)
        subscribe(EventCancelled, handlers.on_event_cancelled)
        subscribe_reminder_handlers()
