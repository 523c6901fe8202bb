"""``{% add_to_calendar event %}``: the calendar links, for templates of other apps."""

from typing import Any

from django import template

from events.models import Event
from events.selectors import EventInLanguage
from notifications.calendar_links import google_calendar_url, ics_url, outlook_calendar_url

register = template.Library()


@register.inclusion_tag("notifications/includes/add_to_calendar.html")
def add_to_calendar(event: Event | EventInLanguage, own_invite_url: str = "") -> dict[str, Any]:
    """``own_invite_url``: a registrant's own invite, offered instead of the public feed."""
    return {
        "event": event,
        "ics_url": own_invite_url or ics_url(event),
        "google_url": google_calendar_url(event),
        "outlook_url": outlook_calendar_url(event),
    }
