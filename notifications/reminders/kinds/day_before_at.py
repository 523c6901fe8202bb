"""The day before, at a wall-clock time in the registrant's own zone: "the day before at 09:00".

On the registrant's calendar: take the event's start in the registrant's zone, step back one
calendar day, put the wall clock at HH:MM there, and convert that local time to UTC. Across
the date line this is a different date per person (docs/design.md, "Time"; docs/reminders.md).

Two wall-clock times need a rule, and both are resolved with ``fold=0`` (PEP 495):

- a time that does not exist because clocks jump forward (a DST *gap*, e.g. 02:30 when
  02:00 becomes 03:00) is read with the offset in force *before* the jump, which lands the
  reminder after the gap by the length of the gap: 02:30 → 03:30 (a one-hour gap),
  02:15 → 02:45 on Lord Howe Island (a half-hour gap);
- a time that happens twice because clocks fall back (a DST *fold*, e.g. 01:30 when 02:00
  becomes 01:00) is the *first* of the two occurrences.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import ReminderRule
from notifications.reminders.kinds.base import ReminderKind


def day_before_at(*, starts_at: datetime, local_time: time, time_zone: str) -> datetime:
    """``local_time`` on the calendar day before the start, on the clock of ``time_zone``, in UTC.

    Gap → shifted forward by the gap; fold → the first occurrence (both: ``fold=0``).
    """
    zone = ZoneInfo(time_zone)
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    wall_clock = local_time.replace(tzinfo=None, fold=0)
    # fold=0 is explicit: it picks the first occurrence in a fold and, in a gap, the offset
    # from before the jump (so the instant lands after the gap). Converting to UTC resolves it.
    return datetime.combine(day_before, wall_clock, tzinfo=zone).astimezone(UTC)


class DayBeforeAt(ReminderKind):
    name = ReminderRule.Kind.DAY_BEFORE_AT
    label = ReminderRule.Kind.DAY_BEFORE_AT.label
    value_fields = ("local_time",)
    on_local_clock = True
    # An explicit time on the registrant's clock: the organizer chose it, quiet hours or not.
    respects_quiet_hours = False

    def planned_due_at(
        self,
        rule: ReminderRule,
        *,
        starts_at: datetime,
        time_zone: str,
        ends_at: datetime | None = None,
    ) -> datetime:
        if rule.local_time is None:
            raise ValueError("a 'day before at' rule needs a local time")
        return day_before_at(starts_at=starts_at, local_time=rule.local_time, time_zone=time_zone)

    def clean_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        local_time = values.get("local_time")
        if local_time is None:
            raise ValidationError(
                {
                    "local_time": _(
                        "Give the time of day, in each registrant's own zone, e.g. 09:00."
                    )
                }
            )
        return {"local_time": local_time.replace(second=0, microsecond=0, tzinfo=None)}

    def describe(self, rule: ReminderRule, *, for_organizer: bool) -> str:
        clock = rule.local_time.strftime("%H:%M") if rule.local_time else ""
        if for_organizer:
            return _("the day before at %(time)s, their time") % {"time": clock}
        return _("the day before at %(time)s (your time)") % {"time": clock}

    def summary(self, rule: ReminderRule) -> str:
        clock = rule.local_time.strftime("%H:%M") if rule.local_time else "?"
        return f"the day before at {clock}"

    def form_fields(self) -> dict[str, forms.Field]:
        return {
            "local_time": forms.TimeField(
                label=gettext_lazy("At (registrant's local time)"),
                help_text=gettext_lazy("For “the day before at”, e.g. 09:00."),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
        }

    def form_initial(self, rule: ReminderRule) -> dict[str, Any]:
        return {"local_time": rule.local_time} if rule.local_time else {}

    def form_values(self, cleaned_data: Mapping[str, Any]) -> dict[str, Any]:
        local_time = cleaned_data.get("local_time")
        if local_time is None:
            raise ValidationError({"local_time": _("Say at what time.")})
        return self.clean({"local_time": local_time})
