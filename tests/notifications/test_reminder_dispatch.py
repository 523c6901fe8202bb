"""The dispatcher claims due reminders once, writes their emails, and drops useless late ones."""

from datetime import UTC, datetime, timedelta
from itertools import chain

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from time_machine import TimeMachineFixture

from config.celery import app
from notifications.models import OutboxEmail, ReminderOptOut, ScheduledReminder
from notifications.reminders import dispatch, tasks
from notifications.reminders.dispatch import reminder_send_deadline, reminders_dispatch_due
from notifications.reminders.services import reminder_opt_out
from notifications.tasks import send_outbox_batch
from registrations.models import Registration
from tests.notifications.reminder_helpers import create_event, register

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2025, 3, 10, 18, 30, tzinfo=UTC)
ONE_HOUR_BEFORE = START - timedelta(hours=1)
ONE_DAY_BEFORE = START - timedelta(days=1)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The email-id batches handed to the send task (recorded instead of reaching a broker)."""
    batches: list[list[int]] = []
    monkeypatch.setattr(send_outbox_batch, "delay", batches.append)
    return batches


@pytest.fixture(autouse=True)
def _registration_time(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def test_a_due_reminder_becomes_one_outbox_email_with_its_unsubscribe_link(
    time_machine: TimeMachineFixture,
    queued: list[list[int]],
    django_capture_on_commit_callbacks: object,
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "Ana@Example.org", language="fa")
    time_machine.move_to(ONE_DAY_BEFORE + timedelta(seconds=5), tick=False)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = reminders_dispatch_due()

    assert (result.queued, result.skipped) == (1, 0)
    email = OutboxEmail.objects.get(kind="reminder")
    assert email.kind == "reminder"
    assert email.recipient == "Ana@Example.org"
    assert email.language == "fa"
    assert email.registration == registration
    assert email.context["unsubscribe_url"].startswith(
        "https://convene.test/reminders/unsubscribe/"
    )
    assert email.context["rule"]  # the rule as text, in the registrant's language
    assert email.message_id.endswith("@convene.test>")
    reminder = ScheduledReminder.objects.get(registration=registration, rule__minutes_before=1440)
    assert (reminder.status, reminder.email) == ("sent", email)
    assert queued == [[email.pk]]


def test_a_second_pass_sends_nothing_again_and_later_reminders_wait_their_turn(
    time_machine: TimeMachineFixture, queued: list[list[int]]
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    register(event, "ana@example.org")
    time_machine.move_to(ONE_DAY_BEFORE, tick=False)
    assert reminders_dispatch_due().queued == 1
    assert reminders_dispatch_due().queued == 0
    time_machine.move_to(ONE_HOUR_BEFORE - timedelta(seconds=1), tick=False)
    assert reminders_dispatch_due().queued == 0
    time_machine.move_to(ONE_HOUR_BEFORE, tick=False)
    assert reminders_dispatch_due().queued == 1
    assert OutboxEmail.objects.filter(kind="reminder").count() == 2


def test_emails_are_queued_in_batches_of_one_hundred(
    time_machine: TimeMachineFixture,
    queued: list[list[int]],
    django_capture_on_commit_callbacks: object,
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    for number in range(250):
        register(event, f"p{number}@example.org")
    time_machine.move_to(ONE_DAY_BEFORE, tick=False)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = reminders_dispatch_due(chunk_size=200)
    assert result.queued == 250
    assert [len(batch) for batch in queued] == [100, 100, 50]
    assert sorted(chain.from_iterable(queued)) == sorted(
        OutboxEmail.objects.filter(kind="reminder").values_list("pk", flat=True)
    )


def test_the_claim_checks_again_that_the_reminder_is_still_wanted(
    time_machine: TimeMachineFixture, queued: list[list[int]]
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    wanted = register(event, "wanted@example.org")
    cancelled = register(event, "cancelled@example.org")
    opted_out = register(event, "opted-out@example.org")
    # Changes that bypassed the schedule (a bug, a race, a manual fix in the database):
    Registration.objects.filter(pk=cancelled.pk).update(status="cancelled")
    ReminderOptOut.objects.create(registration=opted_out)
    time_machine.move_to(ONE_DAY_BEFORE, tick=False)

    result = reminders_dispatch_due()

    assert (result.queued, result.skipped) == (1, 2)
    reminders = OutboxEmail.objects.filter(kind="reminder")
    assert list(reminders.values_list("registration", flat=True)) == [wanted.pk]
    assert set(
        ScheduledReminder.objects.filter(rule__minutes_before=1440)
        .exclude(registration=wanted)
        .values_list("status", flat=True)
    ) == {"skipped"}


def test_no_reminders_once_the_event_is_cancelled_even_if_rows_were_left_pending(
    time_machine: TimeMachineFixture, queued: list[list[int]]
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    register(event, "ana@example.org")
    type(event).objects.filter(pk=event.pk).update(status="cancelled")
    time_machine.move_to(ONE_DAY_BEFORE, tick=False)
    assert reminders_dispatch_due().queued == 0
    assert not OutboxEmail.objects.filter(kind="reminder").exists()


@pytest.mark.parametrize(
    ("due_at", "deadline"),
    [
        (ONE_DAY_BEFORE, START - timedelta(hours=12)),  # up to half the lead time late
        (ONE_HOUR_BEFORE, START - timedelta(minutes=30)),
        (START - timedelta(minutes=5), START),  # at least 10 minutes, never after the start
        (START - timedelta(minutes=15), START - timedelta(minutes=5)),
    ],
)
def test_lateness_cutoff(due_at: datetime, deadline: datetime) -> None:
    assert reminder_send_deadline(due_at=due_at, starts_at=START) == deadline


def test_a_reminder_too_late_to_help_is_skipped_but_a_little_late_one_still_goes(
    time_machine: TimeMachineFixture, queued: list[list[int]]
) -> None:
    """The workers were down from before the 1-day reminder until 40 minutes before the start."""
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    register(event, "ana@example.org")
    time_machine.move_to(START - timedelta(minutes=40), tick=False)

    result = reminders_dispatch_due()

    assert (result.queued, result.skipped) == (1, 1)
    statuses = dict(ScheduledReminder.objects.values_list("rule__minutes_before", "status"))
    assert statuses == {1440: "skipped", 60: "sent"}


def test_opting_out_before_the_due_time_means_nothing_is_sent(
    time_machine: TimeMachineFixture, queued: list[list[int]]
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    reminder_opt_out(registration=registration)
    time_machine.move_to(ONE_HOUR_BEFORE, tick=False)
    assert reminders_dispatch_due().queued == 0


def test_send_due_reminders_command_runs_one_pass_and_says_how_many(
    time_machine: TimeMachineFixture,
    queued: list[list[int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    register(event, "a@example.org")
    register(event, "b@example.org")
    time_machine.move_to(ONE_DAY_BEFORE, tick=False)
    call_command("send_due_reminders")
    assert "Queued 2 reminder email(s)" in capsys.readouterr().out
    call_command("send_due_reminders")
    assert "Queued 0 reminder email(s)" in capsys.readouterr().out


def test_the_conditional_claim_backs_off_when_another_pass_took_a_row_first(
    time_machine: TimeMachineFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite path: rows read, then another pass claims one before our UPDATE lands."""
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    for number in range(3):
        register(event, f"p{number}@example.org")
    time_machine.move_to(ONE_DAY_BEFORE, tick=False)
    original_due_rows = dispatch._due_rows

    def rows_then_a_rival_claims_one(now: datetime) -> list[ScheduledReminder]:
        rows = list(original_due_rows(now))
        ScheduledReminder.objects.filter(pk=rows[0].pk).update(status="sent")
        return rows

    monkeypatch.setattr(dispatch, "_due_rows", rows_then_a_rival_claims_one)
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)

    assert dispatch._claim_due(now=ONE_DAY_BEFORE, limit=10) == []
    # Our claim was rolled back whole (here with the simulated rival's write, which shares
    # this connection): none of the three rows was taken by this pass.
    assert (
        list(
            ScheduledReminder.objects.filter(rule__minutes_before=1440).values_list(
                "status", flat=True
            )
        )
        == ["pending"] * 3
    )


def test_beat_runs_the_dispatcher_at_the_start_of_every_minute() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["dispatch-due-reminders"]
    assert entry["schedule"] == crontab(minute="*")
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_a_pass_that_runs_out_of_time_hands_over_to_a_fresh_one_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed_over: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        tasks, "reminders_dispatch_due", lambda **_: dispatch.DispatchResult(queued=500, more=True)
    )
    monkeypatch.setattr(
        tasks.dispatch_due_reminders, "delay", lambda *args: handed_over.append(args)
    )
    assert tasks.dispatch_due_reminders() == 500
    assert handed_over == [()]
