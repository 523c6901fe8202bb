"""Reads for organizer messages: who a message goes to, and how its emails fared."""

from django.db.models import Count, QuerySet

from events.models import Event
from notifications.models import OutboxEmail
from registrations.models import Registration
from registrations.selectors import registration_list
from workspace.models import Message

AUDIENCE_STATUSES: dict[str, tuple[str, ...]] = {
    Message.Audience.CONFIRMED: (Registration.Status.CONFIRMED,),
    Message.Audience.WAITLISTED: (Registration.Status.WAITLISTED,),
    Message.Audience.PENDING: (Registration.Status.PENDING,),
    Message.Audience.ACTIVE: tuple(Registration.ACTIVE_STATUSES),
}


def message_recipients(*, event: Event, audience: str, search: str = "") -> QuerySet[Registration]:
    """The registrations a message to ``audience`` reaches; erased registrants never."""
    return registration_list(event=event, search=search).filter(
        status__in=AUDIENCE_STATUSES[audience], erased_at__isnull=True
    )


def messages_for_event(event: Event) -> QuerySet[Message]:
    return Message.objects.filter(event=event).select_related("sender")


def message_for_event_or_none(*, event: Event, message_id: int) -> Message | None:
    return messages_for_event(event).filter(pk=message_id).first()


def message_emails(message: Message) -> QuerySet[OutboxEmail]:
    """The outbox rows of one message, failed first, then by recipient."""
    return (
        OutboxEmail.objects.filter(
            kind=OutboxEmail.Kind.MESSAGE,
            registration__event_id=message.event_id,
            context__message_id=message.pk,
        )
        .select_related("registration")
        .order_by("recipient", "id")
    )


def delivery_counts(emails: QuerySet[OutboxEmail]) -> dict[str, int]:
    """How many emails are in each status, every status present (zero if none)."""
    counts = dict.fromkeys(OutboxEmail.Status.values, 0)
    for row in emails.order_by().values("status").annotate(total=Count("id")):
        counts[row["status"]] = row["total"]
    return counts


def failed_emails_for_event(event: Event) -> QuerySet[OutboxEmail]:
    """Every email about this event that could not be delivered, newest first (all kinds)."""
    return (
        OutboxEmail.objects.filter(registration__event=event, status=OutboxEmail.Status.FAILED)
        .select_related("registration")
        .order_by("-updated_at", "-id")
    )
