"""Times shown to a person in their own zone, language and calendar (``events.time_display``)."""

from datetime import date, datetime

from django import template

from events.time_display import describe_time, format_date, localize_digits
from events.time_zone_field import time_zone_choices_with
from events.timezones import localize, zone_label

register = template.Library()


@register.simple_tag
def event_time(moment: datetime, viewer_zone: str, event_zone: str) -> str:
    """ "Sun 9 Jan 2022, 22:00 Tehran time — 10:30 in Los Angeles, event time"."""
    return describe_time(moment, viewer_zone, event_zone)


@register.filter(name="zone_label")
def zone_label_filter(zone_name: str) -> str:
    """ "America/Los_Angeles" → "Los Angeles" (in Persian «لوس‌آنجلس»)."""
    return zone_label(zone_name)


@register.filter
def in_zone(moment: datetime, zone_name: str) -> datetime:
    return localize(moment, zone_name)


@register.filter(expects_localtime=True)
def calendar_date(value: date | datetime | None, format_string: str) -> str:
    """Django's ``date`` filter in the reader's calendar and digits (Solar Hijri in Persian)."""
    if value in (None, ""):
        return ""
    assert value is not None
    return format_date(value, format_string)


@register.filter
def time_zone_options(chosen: str | None) -> list[tuple[str, str]]:
    """The picker's options for a hand-written ``<select>``, keeping ``chosen`` if an alias."""
    return time_zone_choices_with(chosen)


@register.filter
def digits(value: object) -> str:
    """``value`` with its digits in the reader's language (a duration such as "1 hour")."""
    return localize_digits(str(value))
