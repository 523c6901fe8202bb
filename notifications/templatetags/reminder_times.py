"""Reminder times for templates of other apps: where quiet hours move an event's reminders
(the organizer's event form) and a registrant's own reminders (their manage page)."""

from typing import Any

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import ngettext

from events.models import Event
from events.timezones import localize, zone_label
from notifications.reminders.kinds import rule_description
from notifications.reminders.selectors import (
    reminder_quiet_hours_moves,
    reminders_for_registrant,
)
from registrations.models import Registration

register = template.Library()

LOCAL_TIME_FORMAT = "D j M, H:i"


@register.inclusion_tag("notifications/includes/quiet_hours_moves.html")
def quiet_hours_moves(event: Event) -> dict[str, Any]:
    """Per rule: "for 23 people in Asia/Tehran: Sat 10 Jan, 21:59 their time (not …)"."""
    rules: dict[int, dict[str, Any]] = {}
    if event.pk is not None:
        for move in reminder_quiet_hours_moves(event):
            entry = rules.setdefault(
                move.rule.pk,
                {"label": rule_description(move.rule, for_organizer=True), "moves": []},
            )
            count = move.registrants
            entry["moves"].append(
                ngettext(
                    "for %(count)d person in %(zone)s: %(time)s their time "
                    "(instead of %(planned)s)",
                    "for %(count)d people in %(zone)s: %(time)s their time "
                    "(instead of %(planned)s)",
                    count,
                )
                % {
                    "count": count,
                    "zone": move.time_zone,
                    "time": date_format(localize(move.due_at, move.time_zone), LOCAL_TIME_FORMAT),
                    "planned": date_format(
                        localize(move.planned_due_at, move.time_zone), LOCAL_TIME_FORMAT
                    ),
                }
            )
    return {"event": event, "rules": list(rules.values())}


@register.inclusion_tag("notifications/includes/registrant_reminders.html")
def registrant_reminders(registration: Registration) -> dict[str, Any]:
    """The registration's reminders, at their times on the registrant's own clock."""
    zone = registration.time_zone
    return {
        "zone": zone_label(zone),
        "reminders": [
            {
                "rule": rule_description(reminder.rule),
                "time": date_format(localize(reminder.due_at, zone), LOCAL_TIME_FORMAT),
                "due_at": reminder.due_at,
                "sent": reminder.sent,
                "moved": reminder.moved_for_quiet_hours,
            }
            for reminder in reminders_for_registrant(registration)
        ],
    }
