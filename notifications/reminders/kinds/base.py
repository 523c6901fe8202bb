"""What every reminder kind is: a small class holding one kind of rule's whole behaviour."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise

from events.time_display import localize_digits
from notifications.models import OutboxEmail, ReminderRule
from notifications.reminders.kinds.quiet_hours import (
    NEVER_MOVED_WITHIN,
    QuietHours,
    quiet_hours_due_at,
)
from registrations.models import Registration

# The ReminderRule fields that hold a rule's setting; each kind uses some and clears the rest.
RULE_VALUE_FIELDS = ("minutes_before", "local_time", "minutes_after")
# However short a rule's lead time, a reminder may be this late (but never after the start).
MIN_LATENESS_ALLOWED = timedelta(minutes=10)


def reminder_send_deadline(*, due_at: datetime, starts_at: datetime) -> datetime:
    """The last moment a reminder due at ``due_at`` is still worth sending.

    A reminder may arrive up to half of its lead time late (so "1 day before" may go out
    until 12 hours before the start, "1 hour before" until 30 minutes before), at least
    ``MIN_LATENESS_ALLOWED`` late, and never once the event has started. Anything later —
    the workers were down for hours — is skipped: a later rule usually covers it, and a
    "tomorrow!" mail an hour before the start misleads more than it helps.
    """
    lead_time = starts_at - due_at
    allowed = max(lead_time / 2, MIN_LATENESS_ALLOWED)
    return min(due_at + allowed, starts_at)


class ReminderKind:
    """One kind of rule. Subclasses set ``name``, ``label``, ``value_fields``,
    ``on_local_clock`` and ``respects_quiet_hours``, and implement ``planned_due_at``,
    ``clean_values``, ``describe``, ``summary`` and the form hooks."""

    name: ClassVar[str]
    label: ClassVar[str | Promise]
    # The RULE_VALUE_FIELDS this kind uses.
    value_fields: ClassVar[tuple[str, ...]]
    # Whether the rule is read on each registrant's own clock (then it differs per zone).
    on_local_clock: ClassVar[bool]
    # Whether a due time inside the registrant's quiet hours moves earlier (quiet_hours.py).
    respects_quiet_hours: ClassVar[bool]
    # Whether the workspace's reminder rows offer it (follow-ups have a page of their own).
    in_reminder_form: ClassVar[bool] = True
    # The outbox kind of its emails, whose templates it renders with ``email_context``.
    email_kind: ClassVar[str] = OutboxEmail.Kind.REMINDER
    # Whether a sent one is armed again when the event moves or the rule is edited.
    rearms_when_moved: ClassVar[bool] = True
    # How long after its due time a row is still scheduled (pending) rather than skipped.
    # Reminders are never sent late; a follow-up written after the event still goes out.
    late_allowed: ClassVar[timedelta] = timedelta(0)

    def planned_due_at(
        self,
        rule: ReminderRule,
        *,
        starts_at: datetime,
        time_zone: str,
        ends_at: datetime | None = None,
    ) -> datetime:
        """The UTC instant the rule itself names, before quiet hours are considered.

        ``ends_at`` is the event's end, for kinds that count from it ("after the end").
        """
        raise NotImplementedError

    def due_at(
        self,
        rule: ReminderRule,
        *,
        starts_at: datetime,
        time_zone: str,
        quiet_hours: QuietHours | None = None,
        ends_at: datetime | None = None,
    ) -> datetime:
        """The UTC instant a reminder under ``rule`` falls due for a registrant in ``time_zone``."""
        due_at = self.planned_due_at(
            rule, starts_at=starts_at, time_zone=time_zone, ends_at=ends_at
        )
        if not self.respects_quiet_hours:
            return due_at
        return self.out_of_quiet_hours(
            due_at, starts_at=starts_at, time_zone=time_zone, quiet_hours=quiet_hours
        )

    def out_of_quiet_hours(
        self,
        due_at: datetime,
        *,
        starts_at: datetime,
        time_zone: str,
        quiet_hours: QuietHours | None,
    ) -> datetime:
        """``due_at`` moved out of the registrant's quiet hours: earlier, before the start."""
        return quiet_hours_due_at(
            due_at=due_at, starts_at=starts_at, time_zone=time_zone, quiet_hours=quiet_hours
        )

    def depends_on_zone(
        self, rule: ReminderRule, *, starts_at: datetime, quiet_hours: QuietHours | None
    ) -> bool:
        """Whether registrants in different zones may get different due times under ``rule``.

        The schedule computes one due time per zone when they may, one for everyone if not.
        """
        if self.on_local_clock:
            return True
        if not self.respects_quiet_hours or quiet_hours is None:
            return False
        # One instant for everyone, which quiet hours may move unless it is close to the start.
        planned = self.planned_due_at(rule, starts_at=starts_at, time_zone="UTC")
        return starts_at - planned > NEVER_MOVED_WITHIN

    def send_deadline(self, *, due_at: datetime, starts_at: datetime) -> datetime:
        """The last moment a row due at ``due_at`` is still worth sending (dispatch.py)."""
        return reminder_send_deadline(due_at=due_at, starts_at=starts_at)

    def applies_to(self, rule: ReminderRule, registration: Registration) -> bool:
        """Whether this eligible registrant gets the email when it falls due."""
        return True

    def email_context(self, rule: ReminderRule) -> dict[str, Any]:
        """The outbox row's context for ``rule``, in the active (the registrant's) language."""
        # What kinds.rule_description gives, without importing the registry (a loop).
        return {"rule": localize_digits(self.describe(rule, for_organizer=False))}

    def clean(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Every RULE_VALUE_FIELDS value, checked; the ones this kind does not use cleared.

        Raises ``ValidationError`` keyed by model field, with messages for the organizer.
        """
        cleaned = dict.fromkeys(RULE_VALUE_FIELDS)
        cleaned.update(self.clean_values(values))
        return cleaned

    def clean_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """This kind's own ``value_fields``, checked and normalized."""
        raise NotImplementedError

    def describe(self, rule: ReminderRule, *, for_organizer: bool) -> str:
        """The rule in the active language, to a registrant or (``for_organizer``) about them."""
        raise NotImplementedError

    def summary(self, rule: ReminderRule) -> str:
        """The rule in plain untranslated words, for logs, the shell and the admin's lists."""
        raise NotImplementedError

    # The organizer's form (workspace): the fields this kind adds, how a saved rule fills
    # them, and how their values become the rule's.

    def form_fields(self) -> dict[str, forms.Field]:
        return {}

    def form_initial(self, rule: ReminderRule) -> dict[str, Any]:
        return {}

    def form_values(self, cleaned_data: Mapping[str, Any]) -> dict[str, Any]:
        """The rule's RULE_VALUE_FIELDS from the form's cleaned data.

        Raises ``ValidationError`` keyed by *form* field.
        """
        raise NotImplementedError
