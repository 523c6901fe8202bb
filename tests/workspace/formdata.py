"""POST bodies for the event form, as a browser would send them."""

from workspace.forms.events import INLINE_FORMSETS


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def event_form_data(**overrides: str) -> dict[str, str]:
    """A valid in-person event in Tehran time with empty inline lists; override any field."""
    data = {
        "title": "Poetry night",
        "kind": "in_person",
        "time_zone": "Asia/Tehran",
        "starts_at": "2030-03-05T19:00",
        "ends_at": "2030-03-05T21:00",
        "description": "",
        "venue_name": "Corner Bookstore",
        "venue_address": "",
        "join_url": "",
        "joining_instructions": "",
        "capacity": "40",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "slug": "",
        # Shown (and so sent) even while quiet hours are off; the box itself stays unticked.
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "08:00",
    }
    for prefix in INLINE_FORMSETS:
        data.update(management(prefix))
    data.update(overrides)
    return data
