"""When a reminder is due, what makes a rule valid, and how a rule reads. No database access.

The due-time rule (DESIGN: Time; docs/reminders.md):

* **"N minutes before the start"** is plain UTC arithmetic: ``starts_at - N minutes``. It is
  the same instant for every registrant, whatever their zone or DST.
* **"The day before at HH:MM"** lives on the registrant's own calendar: take the event's start
  in the registrant's zone, step back one calendar day, put the wall clock at HH:MM there,
  and convert that local time to UTC.

  Two wall-clock times need a rule, and both are resolved with ``fold=0`` (PEP 495):

  - a time that does not exist because clocks jump forward (a DST *gap*, e.g. 02:30 when
    02:00 becomes 03:00) is read with the offset in force *before* the jump, which lands
    the reminder after the gap by the length of the gap: 02:30 → 03:30 (a one-hour gap),
    02:15 → 02:45 on Lord Howe Island (a half-hour gap);
  - a time that happens twice because clocks fall back (a DST *fold*, e.g. 01:30 when
    02:00 becomes 01:00) is the *first* of the two occurrences.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.time_display import localize_digits
from notifications.models import ReminderRule
from registrations.models import Registration

MINUTES_BEFORE_MIN = 1
MINUTES_BEFORE_MAX = 60 * 24 * 60  # 60 days
MINUTES_PER_DAY = 24 * 60

# Rules every new event starts with: one day and one hour before the start.
DEFAULT_MINUTES_BEFORE = (MINUTES_PER_DAY, 60)


def reminder_unwanted_reason(*, status: str, event_cancelled: bool, opted_out: bool) -> str | None:
    """Why a registration should get no reminders now, or None if it should.

    Only confirmed registrants of an event that is not cancelled, who have not unsubscribed,
    are reminded: the schedule, the dispatcher and the sender all ask this.
    """
    if event_cancelled:
        return "the event was cancelled"
    if status != Registration.Status.CONFIRMED:
        return "the registration stopped being confirmed"
    if opted_out:
        return "the registrant unsubscribed from reminders"
    return None


def reminder_due_at(*, rule: ReminderRule, starts_at: datetime, time_zone: str) -> datetime:
    """The UTC instant a reminder under ``rule`` falls due for a registrant in ``time_zone``.

    ``starts_at`` is the event's aware start. See the module docstring for the DST rule.
    """
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be an aware datetime")
    if rule.kind == ReminderRule.Kind.DAY_BEFORE_AT:
        if rule.local_time is None:
            raise ValueError("a 'day before at' rule needs a local time")
        return day_before_at(starts_at=starts_at, local_time=rule.local_time, time_zone=time_zone)
    if rule.minutes_before is None:
        raise ValueError("a 'before the start' rule needs minutes")
    return starts_at.astimezone(UTC) - timedelta(minutes=rule.minutes_before)


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


def reminder_rule_clean(
    *, kind: str, minutes_before: int | None, local_time: time | None
) -> tuple[int | None, time | None]:
    """Check a rule's fields; return (minutes_before, local_time) with the unused one cleared.

    Raises ``ValidationError`` keyed by field, with messages meant for the organizer.
    """
    if kind == ReminderRule.Kind.BEFORE_START:
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
        return minutes_before, None
    if kind == ReminderRule.Kind.DAY_BEFORE_AT:
        if local_time is None:
            raise ValidationError(
                {
                    "local_time": _(
                        "Give the time of day, in each registrant's own zone, e.g. 09:00."
                    )
                }
            )
        return None, local_time.replace(second=0, microsecond=0, tzinfo=None)
    raise ValidationError({"kind": _("Choose when to send this reminder.")})


def rule_description(rule: ReminderRule) -> str:
    """How a rule reads to people, in the active language: "1 day before", "2 hours before"."""
    return localize_digits(_rule_text(rule))


def _rule_text(rule: ReminderRule) -> str:
    if rule.kind == ReminderRule.Kind.DAY_BEFORE_AT and rule.local_time is not None:
        return _("the day before at %(time)s (your time)") % {
            "time": rule.local_time.strftime("%H:%M")
        }
    minutes = rule.minutes_before or 0
    if minutes % MINUTES_PER_DAY == 0:
        days = minutes // MINUTES_PER_DAY
        return ngettext("%(count)d day before", "%(count)d days before", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour before", "%(count)d hours before", hours) % {"count": hours}
    return ngettext("%(count)d minute before", "%(count)d minutes before", minutes) % {
        "count": minutes
    }
