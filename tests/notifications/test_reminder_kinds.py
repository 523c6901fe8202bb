"""The kind registry: every kind a rule can have is one module, found by its name."""

import pytest
from django.core.exceptions import ValidationError

from notifications.models import ReminderRule
from notifications.reminders.kinds import (
    available_reminder_kinds,
    reminder_kind,
    reminder_rule_clean,
)


def test_every_kind_a_rule_can_have_is_registered_and_named_as_its_choice() -> None:
    kinds = available_reminder_kinds()
    assert [kind.name for kind in kinds] == list(ReminderRule.Kind.values)
    assert [kind.label for kind in kinds] == list(ReminderRule.Kind.labels)


def test_an_unknown_kind_is_a_lookup_error_and_a_clear_field_error() -> None:
    with pytest.raises(LookupError):
        reminder_kind("after_the_end")
    with pytest.raises(ValidationError) as error:
        reminder_rule_clean(kind="after_the_end", minutes_before=60, local_time=None)
    assert error.value.message_dict["kind"] == ["Choose when to send this reminder."]


def test_a_rule_reads_in_the_admin_as_its_kind_says() -> None:
    assert str(ReminderRule(kind="before_start", minutes_before=90)) == "90 minutes before"
    assert str(ReminderRule(kind="after_the_end")) == "reminder of unknown kind 'after_the_end'"
