"""What a webhook tells about a registration or an event: ids and the organization's own view.

The same fields an organizer sees in the attendee list and the exports, nothing more: no
answers to questions, no manage link (it is a key to cancel), and never the join link or the
joining instructions, which only confirmed people get, by email (docs/webhooks.md).
"""

from datetime import datetime
from typing import Any

from events.models import Event
from registrations.models import Registration


def _instant(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def event_reference(event: Event) -> dict[str, Any]:
    return {"id": event.pk, "slug": event.slug, "title": event.title}


def registration_data(registration: Registration) -> dict[str, Any]:
    return {
        "id": str(registration.public_id),
        "event": event_reference(registration.event),
        "status": registration.status,
        "declined": registration.declined_at is not None,
        "source": registration.source,
        "name": registration.name,
        "email": registration.email,
        "time_zone": registration.time_zone,
        "language": registration.language,
        "created_at": _instant(registration.created_at),
        "confirmed_at": _instant(registration.confirmed_at),
        "cancelled_at": _instant(registration.cancelled_at),
        "checked_in_at": _instant(registration.checked_in_at),
    }


def event_data(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "slug": event.slug,
        "title": event.title,
        "status": event.status,
        "kind": event.kind,
        "starts_at": _instant(event.starts_at),
        "ends_at": _instant(event.ends_at),
        "time_zone": event.time_zone,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "capacity": event.capacity,
        "seats_taken": event.seats_taken,
        "approval_required": event.approval_required,
        "registration_opens_at": _instant(event.registration_opens_at),
        "registration_closes_at": _instant(event.registration_closes_at),
        "url": event.get_absolute_url(),
    }
