"""A fixed time before the start: "1 day before", "2 hours before", "30 minutes before".

Plain UTC arithmetic, ``starts_at - N minutes``: the same instant for every registrant
whatever their zone or DST, so "1 day before" across a DST change is 24 real hours, not the
same wall-clock time (docs/design.md, "Time"; docs/reminders.md).
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications.models import ReminderRule
from notifications.reminders.kinds.base import ReminderKind

MINUTES_BEFORE_MIN = 1
MINUTES_BEFORE_MAX = 60 * 24 * 60  # 60 days
MINUTES_PER_DAY = 24 * 60
# The units the organizer's form offers, largest first.
UNIT_MINUTES = {"days": MINUTES_PER_DAY, "hours": 60, "minutes": 1}


class BeforeStart(ReminderKind):
    name = ReminderRule.Kind.BEFORE_START
    label = ReminderRule.Kind.BEFORE_START.label
    value_fields = ("minutes_before",)
    on_local_clock = False
    respects_quiet_hours = True

    def planned_due_at(
        self,
        rule: ReminderRule,
        *,
        starts_at: datetime,
        time_zone: str,
        ends_at: datetime | None = None,
    ) -> datetime:
        if rule.minutes_before is None:
            raise ValueError("a 'before the start' rule needs minutes")
        return starts_at.astimezone(UTC) - timedelta(minutes=rule.minutes_before)

    def clean_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        minutes_before = values.get("minutes_before")
        if minutes_before is None:
            raise ValidationError(
                {"minutes_before": _("Say how many minutes before the start to remind people.")}
            )
        if not MINUTES_BEFORE_MIN <= minutes_before <= MINUTES_BEFORE_MAX:
            raise ValidationError(
                {
                    "minutes_before": _(
                        "Choose between %(min)d minute and %(max)d minutes (60 days) "
                        "before the start."
                    )
                    % {"min": MINUTES_BEFORE_MIN, "max": MINUTES_BEFORE_MAX}
                }
            )
        return {"minutes_before": minutes_before}

    def describe(self, rule: ReminderRule, *, for_organizer: bool) -> str:
        minutes = rule.minutes_before or 0
        if minutes and minutes % MINUTES_PER_DAY == 0:
            days = minutes // MINUTES_PER_DAY
            return ngettext("%(count)d day before", "%(count)d days before", days) % {"count": days}
        if minutes and minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("%(count)d hour before", "%(count)d hours before", hours) % {
                "count": hours
            }
        return ngettext("%(count)d minute before", "%(count)d minutes before", minutes) % {
            "count": minutes
        }

    def summary(self, rule: ReminderRule) -> str:
        return f"{rule.minutes_before} minutes before"

    def form_fields(self) -> dict[str, forms.Field]:
        return {
            "amount": forms.IntegerField(
                label=gettext_lazy("How long before"), min_value=1, required=False
            ),
            "unit": forms.ChoiceField(
                label=gettext_lazy("Unit"),
                choices=[
                    ("minutes", gettext_lazy("minutes")),
                    ("hours", gettext_lazy("hours")),
                    ("days", gettext_lazy("days")),
                ],
                initial="hours",
                required=False,
            ),
        }

    def form_initial(self, rule: ReminderRule) -> dict[str, Any]:
        minutes = rule.minutes_before
        if not minutes:
            return {}
        unit = next(name for name, size in UNIT_MINUTES.items() if minutes % size == 0)
        return {"amount": minutes // UNIT_MINUTES[unit], "unit": unit}

    def form_values(self, cleaned_data: Mapping[str, Any]) -> dict[str, Any]:
        amount = cleaned_data.get("amount")
        if amount is None:
            raise ValidationError({"amount": _("Say how long before the start.")})
        minutes_before = amount * UNIT_MINUTES[cleaned_data.get("unit") or "hours"]
        try:
            return self.clean({"minutes_before": minutes_before})
        except ValidationError as error:
            raise ValidationError({"amount": error.message_dict["minutes_before"]}) from None
