"""Writes to events. Other apps react through the facts published here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.facts import EventCancelled, EventChanged, EventCreated
from events.lifecycle import publish
from events.models import Event

# Fields whose change registrants (and their calendars) must hear about, plus capacity,
# whose increase promotes the waitlist.
WATCHED_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "kind",
    "venue_name",
    "venue_address",
    "join_url",
    "joining_instructions",
    "capacity",
    "status",
)


def event_snapshot(event: Event) -> dict[str, object]:
    """The watched fields as they are now; pass it back to ``event_save`` after editing."""
    return {field: getattr(event, field) for field in WATCHED_FIELDS}


def event_save(*, event: Event, previous: dict[str, object] | None = None) -> Event:
    """Save a new or edited event and tell the other apps what changed.

    The event row is locked so the seat counter is never overwritten with a stale value and
    capacity is never set below the seats already taken.
    """
    with transaction.atomic():
        created = event.pk is None
        if not created:
            current = Event.objects.select_for_update().only("seats_taken").get(pk=event.pk)
            event.seats_taken = current.seats_taken
            if event.capacity is not None and event.capacity < event.seats_taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(taken)d people are already confirmed; capacity cannot be lower."
                        )
                        % {"taken": event.seats_taken}
                    }
                )
        event.full_clean()
        event.save()
        if created:
            publish(EventCreated(event=event))
        elif previous is not None:
            changed = {
                field: old for field, old in previous.items() if getattr(event, field) != old
            }
            if changed.get("status") is not None and event.is_cancelled:
                publish(EventCancelled(event=event, cancelled_at=timezone.now()))
            elif changed:
                publish(EventChanged(event=event, previous=changed))
    return event


def event_cancel(*, event: Event) -> Event:
    """Cancel an event; registrants are told by the apps that listen. A no-op if already so."""
    if event.is_cancelled:
        return event
    previous = event_snapshot(event)
    event.status = Event.Status.CANCELLED
    return event_save(event=event, previous=previous)
