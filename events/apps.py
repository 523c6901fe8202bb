from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from events.admin_access import organizer_group_sync

        # Organizers granted admin access before a release added permissions get them too.
        post_migrate.connect(organizer_group_sync, dispatch_uid="events.organizer_group_sync")
