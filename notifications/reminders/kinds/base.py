"""What every reminder kind is: a small class holding one kind of rule's whole behaviour."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise

from notifications.models import ReminderRule
from notifications.reminders.kinds.quiet_hours import (
    NEVER_MOVED_WITHIN,
    QuietHours,
    quiet_hours_due_at,
)

# The ReminderRule fields that hold a rule's setting; each kind uses some and clears the rest.
RULE_VALUE_FIELDS = ("minutes_before", "local_time")


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

    def planned_due_at(
        self, rule: ReminderRule, *, starts_at: datetime, time_zone: str
    ) -> datetime:
        """The UTC instant the rule itself names, before quiet hours are considered."""
        raise NotImplementedError

    def due_at(
        self,
        rule: ReminderRule,
        *,
        starts_at: datetime,
        time_zone: str,
        quiet_hours: QuietHours | None = None,
    ) -> datetime:
        """The UTC instant a reminder under ``rule`` falls due for a registrant in ``time_zone``."""
        due_at = self.planned_due_at(rule, starts_at=starts_at, time_zone=time_zone)
        if not self.respects_quiet_hours:
            return due_at
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
