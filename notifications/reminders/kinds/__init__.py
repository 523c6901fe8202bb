"""Reminder kinds, interchangeable like ``django.contrib.sessions.backends``.

Each kind of rule ("N minutes before the start", "the day before at HH:MM") is one small
``ReminderKind`` subclass in this package holding its whole behaviour: when a reminder under
it falls due, what makes it valid, how it reads, and the fields the organizer fills in. The
schedule, the dispatcher, the forms and the templates ask the kind and never switch on it.
A new kind is one module here plus one line below, a choice on ``ReminderRule.Kind`` and,
if it needs a field of its own, a migration.
"""

from collections.abc import Callable
from datetime import datetime, time
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from events.time_display import localize_digits
from notifications.models import RULE_SUMMARIES, ReminderRule
from notifications.reminders.kinds.base import ReminderKind
from notifications.reminders.kinds.quiet_hours import QuietHours

REMINDER_KINDS: dict[str, str] = {
    ReminderRule.Kind.BEFORE_START: "notifications.reminders.kinds.before_start.BeforeStart",
    ReminderRule.Kind.DAY_BEFORE_AT: "notifications.reminders.kinds.day_before_at.DayBeforeAt",
    ReminderRule.Kind.AFTER_END: "notifications.reminders.kinds.after_end.AfterEnd",
}


@cache
def reminder_kind(name: str) -> ReminderKind:
    """The kind called ``name``; ``LookupError`` if there is none. Kinds hold no state."""
    try:
        kind_class: type[ReminderKind] = import_string(REMINDER_KINDS[name])
    except KeyError:
        raise LookupError(name) from None
    return kind_class()


def _summarize_as(name: str) -> Callable[[ReminderRule], str]:
    return lambda rule: reminder_kind(name).summary(rule)


RULE_SUMMARIES.update({name: _summarize_as(name) for name in REMINDER_KINDS})


def available_reminder_kinds() -> list[ReminderKind]:
    return [reminder_kind(name) for name in REMINDER_KINDS]


def reminder_form_kinds() -> list[ReminderKind]:
    """The kinds the workspace's reminder rows offer (follow-ups have their own page)."""
    return [kind for kind in available_reminder_kinds() if kind.in_reminder_form]


def reminder_form_kind_names() -> list[str]:
    return [kind.name for kind in reminder_form_kinds()]


def reminder_due_at(
    *,
    rule: ReminderRule,
    starts_at: datetime,
    time_zone: str,
    quiet_hours: QuietHours | None = None,
    ends_at: datetime | None = None,
) -> datetime:
    """The UTC instant a reminder under ``rule`` falls due for a registrant in ``time_zone``.

    ``starts_at`` is the event's aware start, ``ends_at`` its end (needed by follow-ups);
    ``quiet_hours`` the event's window (``QuietHours.of_event``), None when off. The kind
    says the rest (docs/reminders.md).
    """
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be an aware datetime")
    return reminder_kind(rule.kind).due_at(
        rule, starts_at=starts_at, time_zone=time_zone, quiet_hours=quiet_hours, ends_at=ends_at
    )


def reminder_rule_clean(
    *, kind: str, minutes_before: int | None, local_time: time | None
) -> tuple[int | None, time | None]:
    """Check a rule's fields; return (minutes_before, local_time) with the unused one cleared.

    Raises ``ValidationError`` keyed by field, with messages meant for the organizer.
    """
    try:
        rule_kind = reminder_kind(kind)
    except LookupError:
        raise ValidationError({"kind": _("Choose when to send this reminder.")}) from None
    cleaned = rule_kind.clean({"minutes_before": minutes_before, "local_time": local_time})
    return cleaned["minutes_before"], cleaned["local_time"]


def rule_description(rule: ReminderRule, *, for_organizer: bool = False) -> str:
    """How a rule reads, in the active language: "1 day before", "2 hours before".

    Registrants read it in their reminder ("… at 09:00 (your time)"); organizers read it
    about their registrants (``for_organizer``: "… at 09:00, their time"). Digits are the
    active language's own (Persian digits for ``fa``).
    """
    return localize_digits(reminder_kind(rule.kind).describe(rule, for_organizer=for_organizer))
