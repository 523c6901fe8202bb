"""Series made the way the workspace makes them."""

from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from series.models import Series
from series.session_lists import series_reminder_rules_create_defaults
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
    # As the workspace's series_create: a day and an hour before, like any new event.
    series_reminder_rules_create_defaults(series=series)
    return series


def weekly_series(**fields: Any) -> Series:
    """Weekly from tomorrow (local), so sessions fall inside any horizon from today."""
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    values: dict[str, Any] = {
        "starts_on": tomorrow,
        "rrule": "FREQ=WEEKLY;COUNT=20",
        "horizon_days": 21,
    }
    values.update(fields)
    return make_series(**values)


def series_form_data(**overrides: Any) -> dict[str, Any]:
    """What the workspace's series form posts: a weekly in-person reading group."""
    data = {
        "title": "Reading group",
        "kind": "in_person",
        "description": "",
        "time_zone": "Europe/Berlin",
        "starts_on": "2027-01-05",
        "start_time": "19:00",
        "duration_minutes": "90",
        "venue_name": "Bookstore",
        "venue_address": "",
        "join_url": "",
        "joining_instructions": "",
        "capacity": "12",
        "horizon_days": "90",
        "frequency": "weekly",
        "interval": "1",
        "weekdays": ["1"],
        "monthly_by": "day",
        "month_day": "",
        "week_of_month": "",
        "month_weekday": "",
        "until": "",
        "count": "10",
        "extra_dates": "",
        "skipped_dates": "",
    }
    data.update(overrides)
    return data
