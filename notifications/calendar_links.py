""" "Add to calendar" links for the public event: Google Calendar, Outlook, and the .ics feed.

Like the public .ics, they carry no join link: anyone can see them.
"""

from datetime import UTC
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import Event
from events.selectors import EventInLanguage
from notifications.invites import event_location, event_page_url

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"


def _details(event: Event | EventInLanguage) -> str:
    return _("Event page: %(url)s") % {"url": event_page_url(event)}


def google_calendar_url(event: Event | EventInLanguage) -> str:
    """Google's event template link; times in UTC (``...Z``) so no zone is guessed."""
    dates = "/".join(
        moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        for moment in (event.starts_at, event.ends_at)
    )
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "details": _details(event),
        "location": event_location(event, include_join_url=False),
    }
    return f"{GOOGLE_CALENDAR}?{urlencode(query)}"


def outlook_calendar_url(event: Event | EventInLanguage) -> str:
    """Outlook on the web's compose link, with ISO 8601 UTC times."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": event.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": event.ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": _details(event),
        "location": event_location(event, include_join_url=False),
    }
    return f"{OUTLOOK_CALENDAR}?{urlencode(query)}"


def ics_url(event: Event | EventInLanguage) -> str:
    return reverse("notifications:event_calendar", kwargs={"slug": event.slug})
