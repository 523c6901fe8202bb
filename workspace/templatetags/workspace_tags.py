from datetime import datetime
from typing import Any

from django import template
from django.urls import NoReverseMatch

from accounts.models import User
from events.time_display import (
    GREGORIAN,
    describe_in_zone,
    format_in_zone,
    language_calendar,
)
from notifications.models import ReminderRule
from notifications.reminders.kinds import rule_description
from workspace.forms.preferences import CalendarForm
from workspace.navigation import EVENT_SECTIONS
from workspace.selectors.events import EventAccess, event_access

register = template.Library()


@register.inclusion_tag("workspace/includes/event_nav.html", takes_context=True)
def event_nav(context: dict[str, Any], event: Any) -> dict[str, Any]:
    """The event's sections that exist (see ``workspace.navigation``), the current one marked."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    user = getattr(request, "user", None)
    access = event_access(user, event) if isinstance(user, User) else EventAccess.OWN
    links = []
    for section in EVENT_SECTIONS:
        if section.shown is not None and not section.shown(event):
            continue
        if access is None or access < section.need:
            continue
        try:
            url = section.url_for(event)
        except NoReverseMatch:
            continue
        is_current = current == section.url_name or current in section.also_current
        links.append({"url": url, "label": section.label, "current": is_current})
    return {"links": links}


@register.simple_tag
def zoned(
    moment: datetime | None,
    zone_name: str,
    date_style: str = "D j M Y, H:i",
    *,
    named: bool = True,
) -> str:
    """ "Sun 9 Jan 2022, 14:00 Los Angeles": a time in one zone, named unless ``named=False``.

    (The ``date`` filter cannot do this: it first converts to the active zone.)
    """
    if moment is None:
        return ""
    if named:
        return describe_in_zone(moment, zone_name, date_style)
    return format_in_zone(moment, zone_name, date_style)


@register.simple_tag(takes_context=True)
def calendar_choice(context: dict[str, Any]) -> CalendarForm | None:
    """The "Show dates in" form, for a person whose language has a calendar of its own or who
    chose the Gregorian one."""
    user = getattr(context.get("request"), "user", None)
    chosen = getattr(user, "calendar", "")
    if language_calendar() == GREGORIAN and not chosen:
        return None
    return CalendarForm(initial={"calendar": chosen})


@register.filter
def reminder_label(rule: ReminderRule) -> str:
    """ "1 day before", "2 hours before", "the day before at 09:00, their time"."""
    return rule_description(rule, for_organizer=True)
