"""Reads about the outbox, e.g. for an organizer's page of emails that could not be delivered."""

from django.db.models import QuerySet

from events.models import Event
from notifications.models import OutboxEmail


def outbox_failed_for_event(*, event: Event) -> QuerySet[OutboxEmail]:
    """Emails to this event's registrants that failed for good, newest first.

    ``last_error`` holds the mail server's answer (e.g. "550 5.1.1 No such mailbox").
    """
    return (
        OutboxEmail.objects.filter(registration__event=event, status=OutboxEmail.Status.FAILED)
        .select_related("registration")
        .order_by("-updated_at", "-id")
    )
