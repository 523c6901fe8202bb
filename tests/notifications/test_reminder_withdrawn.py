"""A reminder written to the outbox but not yet sent is withdrawn if it no longer applies."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from time_machine import TimeMachineFixture

from events.services import event_cancel
from notifications.models import OutboxEmail
from notifications.reminders.dispatch import reminders_dispatch_due
from notifications.reminders.services import reminder_opt_out
from notifications.sending import Outcome, outbox_send_many
from notifications.tasks import send_outbox_batch
from registrations.models import Registration
from registrations.services import registration_cancel
from tests.notifications.reminder_helpers import create_event, register

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2025, 3, 10, 18, 30, tzinfo=UTC)
ONE_DAY_BEFORE = START - timedelta(days=1)


def _cancel_registration(registration: Registration) -> None:
    registration_cancel(registration=registration)


def _cancel_event(registration: Registration) -> None:
    event_cancel(event=registration.event)


def _unsubscribe(registration: Registration) -> None:
    reminder_opt_out(registration=registration)


def _nothing(registration: Registration) -> None:
    pass


@pytest.mark.parametrize(
    ("meanwhile", "expected_status", "reason"),
    [
        (_nothing, "sent", ""),
        (_cancel_registration, "withdrawn", "stopped being confirmed"),
        (_cancel_event, "withdrawn", "event was cancelled"),
        (_unsubscribe, "withdrawn", "unsubscribed from reminders"),
    ],
)
def test_what_happens_between_dispatch_and_sending_decides_whether_the_reminder_goes(
    time_machine: TimeMachineFixture,
    monkeypatch: pytest.MonkeyPatch,
    meanwhile: Callable[[Registration], None],
    expected_status: str,
    reason: str,
) -> None:
    time_machine.move_to(NOW, tick=False)
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    # The dispatcher's emails wait in the broker (a batch of 100,000 takes minutes).
    monkeypatch.setattr(send_outbox_batch, "delay", lambda *args: None)
    time_machine.move_to(ONE_DAY_BEFORE + timedelta(seconds=5), tick=False)
    reminders_dispatch_due()
    reminder = OutboxEmail.objects.get(kind=OutboxEmail.Kind.REMINDER)
    meanwhile(registration)
    mail.outbox.clear()

    [result] = outbox_send_many(email_ids=[reminder.pk])

    reminder.refresh_from_db()
    assert reminder.status == expected_status
    assert reason in reminder.last_error
    sent_reminders = [message for message in mail.outbox if "Reminder" in message.subject]
    if expected_status == "sent":
        assert result.outcome is Outcome.SENT
        assert len(sent_reminders) == 1
    else:
        assert result.outcome is Outcome.SKIPPED
        assert sent_reminders == []
        # Withdrawn is final: the sweeper and later batches leave it alone.
        assert outbox_send_many(email_ids=[reminder.pk])[0].outcome is Outcome.SKIPPED
