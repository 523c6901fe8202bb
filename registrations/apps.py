from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"

    def ready(self) -> None:
        from events.facts import EventChanged
        from events.lifecycle import subscribe
        from registrations.handlers import promote_waitlist_when_capacity_changes

        subscribe(EventChanged, promote_waitlist_when_capacity_changes)
