"""POST bodies for the admin's event change form, as a browser would send them."""

from events.models import Event
from events.timezones import utc_to_local


def event_form_data(event: Event, **changes: object) -> dict[str, object]:
    """The event's change form as the browser posts it; times are wall-clock in its zone."""
    data: dict[str, object] = {
        "organization": event.organization_id,
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "description": event.description,
        "starts_at": f"{utc_to_local(event.starts_at, event.time_zone):%Y-%m-%dT%H:%M:%S}",
        "ends_at": f"{utc_to_local(event.ends_at, event.time_zone):%Y-%m-%dT%H:%M:%S}",
        "time_zone": event.time_zone,
        "join_url": event.join_url,
        "status": event.status,
        "capacity": event.capacity or "",
    }
    for prefix in ("speakers", "cosponsors", "questions", "reminder_rules"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(changes)
    return data
