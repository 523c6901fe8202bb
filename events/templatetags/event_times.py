"""Times shown to a person in their own zone, named, with the event's zone beside it."""

from datetime import datetime

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from events.timezones import localize, zone_label

register = template.Library()

DATE_FORMAT = "D j M Y"
TIME_FORMAT = "H:i"


def describe_time(moment: datetime, viewer_zone: str, event_zone: str) -> str:
    """ "Sun 9 Jan 2022, 22:00 Tehran time — 10:30 in Los Angeles, event time"."""
    local = localize(moment, viewer_zone)
    label = zone_label(viewer_zone)
    pattern = (
        _("%(date)s, %(time)s UTC") if label == "UTC" else _("%(date)s, %(time)s %(zone)s time")
    )
    text = pattern % {
        "date": date_format(local, DATE_FORMAT),
        "time": date_format(local, TIME_FORMAT),
        "zone": label,
    }
    if viewer_zone == event_zone or local.utcoffset() == localize(moment, event_zone).utcoffset():
        if viewer_zone != event_zone:
            text += " " + _("(the same in %(zone)s, event time)") % {"zone": zone_label(event_zone)}
        return text
    at_event = localize(moment, event_zone)
    event_time = date_format(at_event, TIME_FORMAT)
    if at_event.date() != local.date():
        event_time = date_format(at_event, "D j M") + ", " + event_time
    return (
        text
        + " — "
        + _("%(time)s in %(zone)s, event time")
        % {
            "time": event_time,
            "zone": zone_label(event_zone),
        }
    )


@register.simple_tag
def event_time(moment: datetime, viewer_zone: str, event_zone: str) -> str:
    return describe_time(moment, viewer_zone, event_zone)


@register.filter(name="zone_label")
def zone_label_filter(zone_name: str) -> str:
    """ "America/Los_Angeles" → "Los Angeles", to name the zone a time is shown in."""
    return zone_label(zone_name)


@register.filter
def in_zone(moment: datetime, zone_name: str) -> datetime:
    return localize(moment, zone_name)
