"""Series made the way the workspace makes them."""

from datetime import date, time
from typing import Any

from series.models import Series
from tests.factories import OrganizationFactory


def make_series(**fields: Any) -> Series:
    """A monthly audio room, second Sunday at 11:00 New York time, twelve sessions."""
    values: dict[str, Any] = {
        "title": "English audio room",
        "slug": f"audio-room-{Series.objects.count() + 1}",
        "kind": "audio_room",
        "time_zone": "America/New_York",
        "starts_on": date(2027, 1, 1),
        "start_time": time(11, 0),
        "duration_minutes": 60,
        "rrule": "FREQ=MONTHLY;BYDAY=+2SU;COUNT=12",
        "join_url": "https://meet.example.org/audio",
        "horizon_days": 90,
    }
    values.update(fields)
    if "organization" not in values:
        values["organization"] = OrganizationFactory()
    series = Series(**values)
    series.full_clean()
    series.save()
    return series
