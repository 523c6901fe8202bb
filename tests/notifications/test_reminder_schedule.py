"""Each confirmed registration has one reminder per rule, kept in step with every change."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection, transaction
from time_machine import TimeMachineFixture

from events.models import Event
from events.services import event_cancel, event_save, event_snapshot
from notifications.models import ReminderOptOut, ReminderRule, ScheduledReminder
from notifications.reminders import schedule
from notifications.reminders.schedule import schedule_sync
from notifications.reminders.services import (
    reminder_opt_out,
    reminder_rule_delete,
    reminder_rule_save,
    reminder_schedule_new_registration,
)
from registrations.models import Registration
from registrations.services import registration_cancel, registration_change_time_zone
from tests.notifications.reminder_helpers import create_event, register, schedule_of

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2025, 3, 10, 18, 30, tzinfo=UTC)  # 22:00 in Tehran


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def test_a_new_event_starts_with_one_day_and_one_hour_before() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    assert sorted(str(rule) for rule in event.reminder_rules.all()) == [
        "1440 minutes before",
        "60 minutes before",
    ]


def test_a_confirmed_registrant_gets_one_pending_reminder_per_rule() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    assert schedule_of(registration) == {
        "1440 minutes before": ("pending", START - timedelta(days=1)),
        "60 minutes before": ("pending", START - timedelta(hours=1)),
    }


def test_waitlisted_and_pending_registrants_get_no_reminders() -> None:
    full = create_event(starts_at=START, ends_at=START + timedelta(hours=1), capacity=1)
    register(full, "first@example.org")
    waitlisted = register(full, "second@example.org")
    approval = create_event(
        starts_at=START, ends_at=START + timedelta(hours=1), approval_required=True
    )
    pending = register(approval, "third@example.org")
    assert waitlisted.status == "waitlisted"
    assert pending.status == "pending"
    assert schedule_of(waitlisted) == {}
    assert schedule_of(pending) == {}


def test_a_rule_already_past_at_registration_is_skipped_not_sent_late(
    time_machine: TimeMachineFixture,
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    time_machine.move_to(START - timedelta(hours=3), tick=False)
    registration = register(event, "late@example.org")
    assert schedule_of(registration) == {
        "1440 minutes before": ("skipped", START - timedelta(days=1)),
        "60 minutes before": ("pending", START - timedelta(hours=1)),
    }


def test_someone_promoted_from_the_waitlist_gets_only_the_rules_still_ahead(
    time_machine: TimeMachineFixture,
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1), capacity=1)
    seated = register(event, "seated@example.org")
    waiting = register(event, "waiting@example.org")
    time_machine.move_to(START - timedelta(hours=5), tick=False)
    registration_cancel(registration=seated)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert schedule_of(waiting) == {
        "1440 minutes before": ("skipped", START - timedelta(days=1)),
        "60 minutes before": ("pending", START - timedelta(hours=1)),
    }
    assert {status for status, _ in schedule_of(seated).values()} == {"skipped"}


def test_cancelling_a_registration_skips_its_pending_reminders() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    other = register(event, "other@example.org")
    registration_cancel(registration=registration)
    assert {status for status, _ in schedule_of(registration).values()} == {"skipped"}
    assert {status for status, _ in schedule_of(other).values()} == {"pending"}


def test_moving_the_event_moves_every_reminder_and_arms_a_sent_one_again() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    ScheduledReminder.objects.filter(registration=registration, rule__minutes_before=1440).update(
        status="sent"
    )

    new_start = START + timedelta(days=7)
    previous = event_snapshot(event)
    event.starts_at, event.ends_at = new_start, new_start + timedelta(hours=1)
    event_save(event=event, previous=previous)

    assert schedule_of(registration) == {
        "1440 minutes before": ("pending", new_start - timedelta(days=1)),
        "60 minutes before": ("pending", new_start - timedelta(hours=1)),
    }


def test_moving_the_event_earlier_past_a_rule_skips_it_and_keeps_a_sent_one_sent(
    time_machine: TimeMachineFixture,
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    sent = register(event, "sent@example.org")
    waiting = register(event, "waiting@example.org")
    ScheduledReminder.objects.filter(registration=sent, rule__minutes_before=1440).update(
        status="sent"
    )
    new_start = NOW + timedelta(hours=5)
    previous = event_snapshot(event)
    event.starts_at, event.ends_at = new_start, new_start + timedelta(hours=1)
    event_save(event=event, previous=previous)

    assert schedule_of(sent)["1440 minutes before"] == ("sent", START - timedelta(days=1))
    assert schedule_of(waiting)["1440 minutes before"] == ("skipped", new_start - timedelta(days=1))
    assert schedule_of(waiting)["60 minutes before"] == ("pending", new_start - timedelta(hours=1))


def test_a_new_zone_moves_day_before_reminders_but_not_minutes_before_ones() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    reminder_rule_save(rule=ReminderRule(event=event, kind="day_before_at", local_time=time(9, 0)))
    registration = register(event, "ana@example.org", time_zone="Asia/Tehran")
    assert schedule_of(registration)["the day before at 09:00"] == (
        "pending",
        datetime(2025, 3, 9, 5, 30, tzinfo=UTC),  # 09:00 Tehran (+03:30)
    )
    registration_change_time_zone(registration=registration, time_zone="America/Los_Angeles")
    schedule = schedule_of(registration)
    # 22:00 Tehran on 10 Mar is 11:30 PDT on 10 Mar: the day before at 09:00 PDT (-7).
    assert schedule["the day before at 09:00"] == (
        "pending",
        datetime(2025, 3, 9, 16, 0, tzinfo=UTC),
    )
    assert schedule["60 minutes before"] == ("pending", START - timedelta(hours=1))


def test_cancelling_the_event_stops_every_reminder() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registrations = [register(event, f"p{n}@example.org") for n in range(3)]
    event_cancel(event=event)
    for registration in registrations:
        assert {status for status, _ in schedule_of(registration).values()} == {"skipped"}


def test_republishing_a_cancelled_event_arms_the_reminders_still_ahead() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    event_cancel(event=event)
    previous = event_snapshot(event)
    event.status = "published"
    event_save(event=event, previous=previous)
    assert {status for status, _ in schedule_of(registration).values()} == {"pending"}


def test_an_opted_out_registrant_gets_no_reminders_even_when_the_event_moves() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    reminder_opt_out(registration=registration)
    reminder_opt_out(registration=registration)  # a second click changes nothing
    assert {status for status, _ in schedule_of(registration).values()} == {"skipped"}

    previous = event_snapshot(event)
    event.starts_at, event.ends_at = START + timedelta(days=1), START + timedelta(days=1, hours=1)
    event_save(event=event, previous=previous)
    assert {status for status, _ in schedule_of(registration).values()} == {"skipped"}


def test_adding_a_rule_schedules_it_for_everyone_already_confirmed() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    tehran = register(event, "tehran@example.org", time_zone="Asia/Tehran")
    kathmandu = register(event, "kathmandu@example.org", time_zone="Asia/Kathmandu")
    reminder_rule_save(rule=ReminderRule(event=event, kind="day_before_at", local_time=time(9, 0)))
    assert schedule_of(tehran)["the day before at 09:00"] == (
        "pending",
        datetime(2025, 3, 9, 5, 30, tzinfo=UTC),
    )
    assert schedule_of(kathmandu)["the day before at 09:00"] == (
        "pending",
        # 22:00 in Tehran is already 00:15 on 11 Mar in Kathmandu: 09:00 on 10 Mar, +05:45.
        datetime(2025, 3, 10, 3, 15, tzinfo=UTC),
    )


def test_adding_a_rule_the_event_already_has_adds_nothing() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    existing = event.reminder_rules.get(minutes_before=60)
    again = reminder_rule_save(
        rule=ReminderRule(event=event, kind="before_start", minutes_before=60)
    )
    assert again.pk == existing.pk
    assert event.reminder_rules.count() == 2


def test_editing_a_rule_moves_its_reminders_and_deleting_it_removes_them() -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    registration = register(event, "ana@example.org")
    rule = event.reminder_rules.get(minutes_before=60)
    rule.minutes_before = 30
    reminder_rule_save(rule=rule)
    assert schedule_of(registration)["30 minutes before"] == (
        "pending",
        START - timedelta(minutes=30),
    )

    reminder_rule_delete(rule=rule)
    assert list(schedule_of(registration)) == ["1440 minutes before"]


def test_confirming_a_registration_costs_a_bounded_number_of_queries(
    django_assert_max_num_queries: object,
) -> None:
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    reminder_rule_save(rule=ReminderRule(event=event, kind="day_before_at", local_time=time(9, 0)))
    # BEGIN, the registration, the invite's sequence, the outbox row, the event with its
    # rules, the reminders, the webhook endpoints, the seat, COMMIT. (SQLite reads the rules
    # apart.)
    rules_read = 0 if connection.vendor == "postgresql" else 1
    with django_assert_max_num_queries(9 + rules_read):  # type: ignore[operator]
        registration = register(event, "ana@example.org")
    assert len(schedule_of(registration)) == 3


@pytest.mark.parametrize("event_cancelled", [False, True])
def test_a_new_registration_is_scheduled_as_a_full_sync_would_schedule_it(
    event_cancelled: bool,
) -> None:
    """The shortcut for a registration created confirmed matches ``schedule_sync``."""
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    reminder_rule_save(rule=ReminderRule(event=event, kind="day_before_at", local_time=time(9, 0)))
    # Ten days before the start is already past (NOW is nine days before): skipped.
    reminder_rule_save(rule=ReminderRule(event=event, kind="before_start", minutes_before=14400))
    # Across the date line from the event's UTC start: its "day before" is another date.
    registration = Registration.objects.create(
        event=event,
        name="Kiri",
        email="kiri@example.org",
        email_normalized="kiri@example.org",
        time_zone="Pacific/Kiritimati",
        status=Registration.Status.CONFIRMED,
    )
    if event_cancelled:
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    def outcome() -> list[tuple[object, ...]]:
        return sorted(
            ScheduledReminder.objects.values_list("registration_id", "rule_id", "status", "due_at")
        )

    with transaction.atomic():
        savepoint = transaction.savepoint()
        reminder_schedule_new_registration(registration=registration)
        shortcut = outcome()
        transaction.savepoint_rollback(savepoint)
    schedule_sync(event=Event.objects.get(pk=event.pk), now=NOW, registration_ids=[registration.pk])

    assert shortcut == outcome()
    if event_cancelled:
        assert shortcut == []
    else:
        assert [status for _, _, status, _ in shortcut].count("skipped") == 1
        assert len(shortcut) == 4


@pytest.mark.parametrize("event_cancelled", [False, True])
@pytest.mark.parametrize("rearm_sent", [False, True])
def test_the_row_by_row_and_set_wise_paths_reach_the_same_schedule(
    rearm_sent: bool, event_cancelled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A confirmation takes the row-by-row path, an event move the set-wise one: same answers."""
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=1))
    reminder_rule_save(rule=ReminderRule(event=event, kind="day_before_at", local_time=time(9, 0)))
    zones = ["Asia/Tehran", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
    registrations = [
        register(event, f"p{number}@example.org", time_zone=zones[number % len(zones)])
        for number in range(16)
    ]
    # Every kind of starting point: sent, skipped and pending rows with stale due times,
    # missing rows, a cancelled, a waitlisted and an opted-out registrant.
    rows = list(ScheduledReminder.objects.order_by("id"))
    for number, row in enumerate(rows):
        # Four statuses over three rules per registrant: every rule gets every status.
        row.status = ["pending", "skipped", "sent", "sent"][number % 4]
        row.due_at -= timedelta(hours=number % 5)
    ScheduledReminder.objects.bulk_update(rows, ["status", "due_at"])
    ScheduledReminder.objects.filter(pk__in=[row.pk for row in rows[::5]]).delete()
    Registration.objects.filter(pk=registrations[1].pk).update(status="cancelled")
    Registration.objects.filter(pk=registrations[2].pk).update(status="waitlisted")
    ReminderOptOut.objects.create(registration=registrations[3])
    # The event now starts in 20 hours: "1 day before" is past, "1 hour before" ahead, and
    # "the day before at 09:00" past or ahead depending on the registrant's zone.
    new_start = NOW + timedelta(hours=20)
    Event.objects.filter(pk=event.pk).update(
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=1),
        status="cancelled" if event_cancelled else "published",
    )
    event.refresh_from_db()
    ids = [registration.pk for registration in registrations]

    def outcome() -> list[tuple[object, ...]]:
        return sorted(
            ScheduledReminder.objects.values_list("registration_id", "rule_id", "status", "due_at")
        )

    with transaction.atomic():
        savepoint = transaction.savepoint()
        schedule_sync(event=event, now=NOW, registration_ids=ids, rearm_sent=rearm_sent)
        row_by_row = outcome()
        transaction.savepoint_rollback(savepoint)
    monkeypatch.setattr(schedule, "FEW_REGISTRATIONS", 0)
    schedule_sync(event=event, now=NOW, registration_ids=ids, rearm_sent=rearm_sent)
    set_wise = outcome()

    assert row_by_row == set_wise
    statuses = {status for _, _, status, _ in set_wise}
    if event_cancelled:
        assert "pending" not in statuses
    else:
        assert statuses == {"pending", "skipped", "sent"}
        eligible = {registration.pk for registration in registrations[4:]} | {ids[0]}
        pairs = {(registration, rule) for registration, rule, _, _ in set_wise}
        assert {
            (registration, rule.pk)
            for registration in eligible
            for rule in event.reminder_rules.all()
        } <= pairs
