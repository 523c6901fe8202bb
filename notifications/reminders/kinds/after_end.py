"""A follow-up, a fixed time after the end: "the recording is here", "sorry we missed you".

An event has at most two, one per audience (``ReminderRule.Audience``): those who attended
(checked in, or present in an uploaded attendance report) and those who missed it. Every
confirmed registrant gets a schedule row under each, as with any rule, so the database's
"one per registration and rule" holds here too; **who counts as attended when the row falls
due** decides which of the two is sent, the other row is skipped. The email carries the
organizer's own subject and message (written once, in their language) inside the usual
frame in the registrant's language, with the one-click unsubscribe of reminders.

Quiet hours move a follow-up **later**, to the end of the registrant's window (a reminder
moves earlier so that it is not late for the start; nothing is late after the end, and
earlier could mean before the attendance report is uploaded). See docs/attendance.md.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import OutboxEmail, ReminderRule
from notifications.reminders.kinds.base import ReminderKind
from notifications.reminders.kinds.quiet_hours import QuietHours
from registrations.models import Registration

MINUTES_AFTER_MAX = 60 * 24 * 30  # 30 days
# However late the workers are, a follow-up goes out up to this long after its due time.
LATENESS_ALLOWED = timedelta(days=3)


class AfterEnd(ReminderKind):
    name = ReminderRule.Kind.AFTER_END
    label = ReminderRule.Kind.AFTER_END.label
    value_fields = ("minutes_after",)
    on_local_clock = False
    respects_quiet_hours = True
    in_reminder_form = False
    email_kind = OutboxEmail.Kind.FOLLOW_UP
    # Sent once per person: editing the rule or moving the event never sends it again.
    rearms_when_moved = False
    # Written after the event (once the attendance report is in), it still goes out.
    late_allowed = LATENESS_ALLOWED

    def planned_due_at(
        self,
        rule: ReminderRule,
        *,
        starts_at: datetime,
        time_zone: str,
        ends_at: datetime | None = None,
    ) -> datetime:
        if rule.minutes_after is None or ends_at is None:
            raise ValueError("a follow-up needs minutes after the end and the event's end")
        return ends_at.astimezone(UTC) + timedelta(minutes=rule.minutes_after)

    def out_of_quiet_hours(
        self,
        due_at: datetime,
        *,
        starts_at: datetime,
        time_zone: str,
        quiet_hours: QuietHours | None,
    ) -> datetime:
        if quiet_hours is None:
            return due_at
        # Later, never earlier: to the end of the window holding it (02:00 → 08:00).
        return quiet_hours.ended_at(due_at, time_zone) or due_at

    def depends_on_zone(
        self, rule: ReminderRule, *, starts_at: datetime, quiet_hours: QuietHours | None
    ) -> bool:
        return quiet_hours is not None

    def send_deadline(self, *, due_at: datetime, starts_at: datetime) -> datetime:
        return due_at + LATENESS_ALLOWED

    def applies_to(self, rule: ReminderRule, registration: Registration) -> bool:
        attended = registration.has_attended
        return attended if rule.audience == ReminderRule.Audience.ATTENDED else not attended

    def email_context(self, rule: ReminderRule) -> dict[str, Any]:
        return {"subject": rule.subject, "body": rule.message}

    def clean_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        minutes_after = values.get("minutes_after")
        if minutes_after is None or not 0 <= minutes_after <= MINUTES_AFTER_MAX:
            raise ValidationError(
                {"minutes_after": _("Choose between 0 minutes and 30 days after the end.")}
            )
        return {"minutes_after": minutes_after}

    def describe(self, rule: ReminderRule, *, for_organizer: bool) -> str:
        minutes = rule.minutes_after or 0
        if minutes and minutes % 60 == 0:
            hours = minutes // 60
            return ngettext(
                "%(count)d hour after the end", "%(count)d hours after the end", hours
            ) % {"count": hours}
        return ngettext(
            "%(count)d minute after the end", "%(count)d minutes after the end", minutes
        ) % {"count": minutes}

    def summary(self, rule: ReminderRule) -> str:
        return f"follow-up to {rule.audience or '?'} {rule.minutes_after} minutes after the end"
