"""What every reminder kind is: a small class holding one kind of rule's whole behaviour."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise

from notifications.models import ReminderRule

# The ReminderRule fields that hold a rule's setting; each kind uses some and clears the rest.
RULE_VALUE_FIELDS = ("minutes_before", "local_time")


class ReminderKind:
    """One kind of rule. Subclasses set ``name``, ``label``, ``value_fields`` and implement
    ``due_at``, ``clean_values``, ``describe``, ``summary`` and the form hooks."""

    name: ClassVar[str]
    label: ClassVar[str | Promise]
    # The RULE_VALUE_FIELDS this kind uses.
    value_fields: ClassVar[tuple[str, ...]]

    def due_at(self, rule: ReminderRule, *, starts_at: datetime, time_zone: str) -> datetime:
        """The UTC instant a reminder under ``rule`` falls due for a registrant in ``time_zone``."""
        raise NotImplementedError

    def depends_on_zone(self, rule: ReminderRule) -> bool:
        """Whether registrants in different zones get different due times under ``rule``.

        The schedule computes one due time per zone when it does, one for everyone when not.
        """
        return True

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
