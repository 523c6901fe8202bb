"""Quiet hours: an "N before the start" reminder that would reach a registrant during the
event's quiet hours, on the registrant's own clock, comes earlier — never later.

Expected instants are worked out by hand from the tz database's offsets, not by the code.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from time_machine import TimeMachineFixture

from events.models import Event
from events.services import event_save, event_snapshot
from notifications.models import ReminderRule, ScheduledReminder
from notifications.reminders.kinds import reminder_due_at
from notifications.reminders.kinds.quiet_hours import QuietHours
from notifications.reminders.schedule import schedule_sync
from notifications.reminders.services import reminder_rule_save
from registrations.services import registration_change_time_zone
from tests.notifications.reminder_helpers import create_event, register, schedule_of

NIGHT = QuietHours(start=time(22, 0), end=time(8, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def minutes_before(minutes: int) -> ReminderRule:
    return ReminderRule(kind=ReminderRule.Kind.BEFORE_START, minutes_before=minutes)


def due(
    minutes: int, starts_at: datetime, zone: str, quiet_hours: QuietHours | None = NIGHT
) -> datetime:
    return reminder_due_at(
        rule=minutes_before(minutes), starts_at=starts_at, time_zone=zone, quiet_hours=quiet_hours
    )


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


# The seed's webinar: Sunday 11 Jan 2026, 13:00 in Los Angeles (PST, -8) = 21:00 UTC
# = 00:30 on Monday 12 Jan in Tehran (+03:30).
SEED_START = utc(2026, 1, 11, 21, 0)


def test_seed_case_one_day_before_comes_at_2159_tehran_two_evenings_before_its_local_start() -> (
    None
):
    # Unmoved: 21:00 UTC on 10 Jan = 00:30 on Sunday 11 Jan in Tehran, inside 22:00-08:00.
    moved = due(1440, SEED_START, "Asia/Tehran")
    assert moved == utc(2026, 1, 10, 18, 29)
    assert local(moved, "Asia/Tehran") == datetime(2026, 1, 10, 21, 59)  # Saturday evening
    local_start_date = local(SEED_START, "Asia/Tehran").date()
    assert local_start_date - local(moved, "Asia/Tehran").date() == timedelta(days=2)


def test_seed_case_one_hour_before_is_never_moved_at_2330_tehran() -> None:
    unmoved = due(60, SEED_START, "Asia/Tehran")
    assert unmoved == SEED_START - timedelta(hours=1)
    assert local(unmoved, "Asia/Tehran") == datetime(2026, 1, 11, 23, 30)


def test_seed_case_registrants_whose_reminder_is_in_their_daytime_are_not_moved() -> None:
    # 13:00 on Saturday in Los Angeles.
    assert due(1440, SEED_START, "America/Los_Angeles") == SEED_START - timedelta(days=1)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        # 120 minutes before = 22:30 Tehran, within 2 hours of the start: never moved.
        (120, SEED_START - timedelta(minutes=120)),
        # 121 minutes before = 22:29 Tehran: moved to 21:59 Sunday.
        (121, utc(2026, 1, 11, 18, 29)),
    ],
)
def test_a_reminder_due_within_two_hours_of_the_start_is_never_moved(
    minutes: int, expected: datetime
) -> None:
    assert due(minutes, SEED_START, "Asia/Tehran") == expected


def test_day_before_at_is_an_explicit_local_time_and_never_moves() -> None:
    rule = ReminderRule(kind=ReminderRule.Kind.DAY_BEFORE_AT, local_time=time(23, 0))
    due_at = reminder_due_at(
        rule=rule, starts_at=SEED_START, time_zone="Asia/Tehran", quiet_hours=NIGHT
    )
    assert local(due_at, "Asia/Tehran") == datetime(2026, 1, 11, 23, 0)


def test_with_quiet_hours_switched_off_nothing_moves() -> None:
    assert due(1440, SEED_START, "Asia/Tehran", quiet_hours=None) == SEED_START - timedelta(days=1)
    off = Event(quiet_hours_enabled=False, quiet_hours_start=time(22), quiet_hours_end=time(8))
    assert QuietHours.of_event(off) is None


def test_a_window_that_does_not_cross_midnight() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(14, 0))
    zone = "Asia/Tehran"  # +03:30: 12:00 Tehran = 08:30 UTC
    starts_at = utc(2026, 1, 11, 20, 0)
    # One day before the start plus 10:00 = 13:30 Tehran on 10 Jan: moved to 11:59.
    inside = due(24 * 60 + 10 * 60, starts_at, zone, lunch)
    assert local(inside, zone) == datetime(2026, 1, 10, 11, 59)
    # 14:00 is the end, not in the window; 11:30 is before it; 23:30 is night, not quiet.
    for offset_hours in (9.5, 12, 24):
        unmoved = starts_at - timedelta(hours=24 + offset_hours)
        minutes = int((starts_at - unmoved).total_seconds() // 60)
        assert due(minutes, starts_at, zone, lunch) == unmoved


def test_the_edge_of_the_window_itself_is_quiet_and_its_end_is_not() -> None:
    zone = "Asia/Tehran"
    # 22:00 Tehran sharp on 10 Jan (18:30 UTC) is inside: 21:59.
    starts_at = utc(2026, 1, 11, 18, 30)
    assert local(due(1440, starts_at, zone), zone) == datetime(2026, 1, 10, 21, 59)
    # 08:00 Tehran sharp (04:30 UTC) is outside.
    starts_at = utc(2026, 1, 11, 4, 30)
    assert due(1440, starts_at, zone) == utc(2026, 1, 10, 4, 30)


def test_quiet_hours_spanning_the_spring_forward_night_end_at_0800_summer_time() -> None:
    zone = "Europe/Berlin"  # 30 Mar 2025: 02:00 CET → 03:00 CEST
    # The night: 22:00 CET on 29 Mar (21:00 UTC) to 08:00 CEST on 30 Mar (06:00 UTC).
    # 05:30 UTC = 07:30 CEST, inside: moved to 21:59 CET the evening before.
    assert due(1440, utc(2025, 3, 31, 5, 30), zone) == utc(2025, 3, 29, 20, 59)
    # 06:30 UTC = 08:30 CEST, outside (on the winter offset it would look like 07:30).
    assert due(1440, utc(2025, 3, 31, 6, 30), zone) == utc(2025, 3, 30, 6, 30)


def test_quiet_hours_spanning_the_fall_back_night_end_at_0800_winter_time() -> None:
    zone = "America/New_York"  # 2 Nov 2025: 02:00 EDT → 01:00 EST
    # The night: 22:00 EDT on 1 Nov (02:00 UTC) to 08:00 EST on 2 Nov (13:00 UTC).
    # 12:30 UTC = 07:30 EST, inside (on the summer offset it would look like 08:30).
    assert due(1440, utc(2025, 11, 3, 12, 30), zone) == utc(2025, 11, 2, 1, 59)
    assert local(utc(2025, 11, 2, 1, 59), zone) == datetime(2025, 11, 1, 21, 59)
    assert due(1440, utc(2025, 11, 3, 13, 0), zone) == utc(2025, 11, 2, 13, 0)


def test_a_window_edge_in_a_dst_gap_follows_the_documented_gap_rule() -> None:
    zone = "Europe/Berlin"
    early = QuietHours(start=time(2, 30), end=time(6, 0))
    # 02:30 does not exist on 30 Mar 2025: read on the offset before the jump, 03:30 CEST
    # (01:30 UTC). 03:15 CEST (01:15 UTC) is before quiet hours began; 03:45 CEST is inside.
    assert due(1440, utc(2025, 3, 31, 1, 15), zone, early) == utc(2025, 3, 30, 1, 15)
    assert due(1440, utc(2025, 3, 31, 1, 45), zone, early) == utc(2025, 3, 30, 1, 29)


def test_a_window_edge_in_a_dst_fold_is_its_first_occurrence() -> None:
    zone = "America/New_York"
    early = QuietHours(start=time(1, 30), end=time(6, 0))
    # 01:30 happens twice on 2 Nov 2025; the window begins at the first, 01:30 EDT (05:30 UTC).
    # 01:45 EST (06:45 UTC) is inside and moves to 01:29 EDT.
    assert due(1440, utc(2025, 11, 3, 6, 45), zone, early) == utc(2025, 11, 2, 5, 29)


@pytest.mark.django_db
class TestTheSchedule:
    NOW = utc(2026, 1, 1, 12, 0)

    @pytest.fixture(autouse=True)
    def _frozen_clock(self, time_machine: TimeMachineFixture) -> None:
        time_machine.move_to(self.NOW, tick=False)

    def seed_event(self, **fields: object) -> Event:
        return create_event(
            starts_at=SEED_START,
            ends_at=SEED_START + timedelta(minutes=90),
            time_zone="America/Los_Angeles",
            quiet_hours_enabled=True,
            **fields,
        )

    def test_new_events_have_quiet_hours_on_from_22_to_08(self) -> None:
        event = Event()
        assert (event.quiet_hours_enabled, event.quiet_hours_start, event.quiet_hours_end) == (
            True,
            time(22, 0),
            time(8, 0),
        )

    def test_a_tehran_registrant_of_the_seed_webinar_gets_the_day_before_at_2159(self) -> None:
        event = self.seed_event()
        tehran = register(event, "ana@example.org", time_zone="Asia/Tehran")
        los_angeles = register(event, "bo@example.org", time_zone="America/Los_Angeles")
        assert schedule_of(tehran) == {
            "1440 minutes before": ("pending", utc(2026, 1, 10, 18, 29)),
            "60 minutes before": ("pending", SEED_START - timedelta(hours=1)),
        }
        assert schedule_of(los_angeles) == {
            "1440 minutes before": ("pending", SEED_START - timedelta(days=1)),
            "60 minutes before": ("pending", SEED_START - timedelta(hours=1)),
        }

    def test_the_set_wise_path_moves_the_same_reminders(self) -> None:
        event = self.seed_event()
        people = [
            register(event, f"p{number}@example.org", time_zone=zone)
            for number, zone in enumerate(
                ["Asia/Tehran", "Asia/Tehran", "Europe/Berlin", "America/Los_Angeles"]
            )
        ]
        row_by_row = {person.pk: schedule_of(person) for person in people}
        ScheduledReminder.objects.all().delete()
        schedule_sync(event=event, now=self.NOW)  # every registration: the set-wise path
        assert {person.pk: schedule_of(person) for person in people} == row_by_row
        # Berlin: 22:00 CET on 10 Jan is inside too: moved to 21:59 CET (20:59 UTC).
        assert row_by_row[people[2].pk]["1440 minutes before"] == (
            "pending",
            utc(2026, 1, 10, 20, 59),
        )

    def test_a_reminder_moved_into_the_past_is_skipped_as_any_past_reminder(
        self, time_machine: TimeMachineFixture
    ) -> None:
        event = self.seed_event()
        # 22:30 Tehran on 10 Jan: the day-before reminder (00:30) is still ahead, but its
        # moved time, 21:59, has passed.
        time_machine.move_to(utc(2026, 1, 10, 19, 0), tick=False)
        registration = register(event, "ana@example.org", time_zone="Asia/Tehran")
        assert schedule_of(registration)["1440 minutes before"] == (
            "skipped",
            utc(2026, 1, 10, 18, 29),
        )
        assert schedule_of(registration)["60 minutes before"][0] == "pending"

    def test_changing_the_window_reschedules_reminders_already_scheduled(self) -> None:
        event = self.seed_event()
        registration = register(event, "ana@example.org", time_zone="Asia/Tehran")
        previous = event_snapshot(event)
        event.quiet_hours_start = time(23, 0)
        event_save(event=event, previous=previous)
        # 00:30 is still quiet; quiet hours now begin at 23:00 → 22:59 Tehran = 19:29 UTC.
        assert schedule_of(registration)["1440 minutes before"] == (
            "pending",
            utc(2026, 1, 10, 19, 29),
        )
        previous = event_snapshot(event)
        event.quiet_hours_enabled = False
        event_save(event=event, previous=previous)
        assert schedule_of(registration)["1440 minutes before"] == (
            "pending",
            SEED_START - timedelta(days=1),
        )

    def test_a_new_window_never_sends_a_reminder_again(self) -> None:
        event = self.seed_event()
        registration = register(event, "ana@example.org", time_zone="Asia/Tehran")
        ScheduledReminder.objects.filter(registration=registration).update(status="sent")
        previous = event_snapshot(event)
        event.quiet_hours_enabled = False
        event_save(event=event, previous=previous)
        assert {status for status, _due in schedule_of(registration).values()} == {"sent"}

    def test_a_registrant_who_changes_zone_gets_their_new_zones_quiet_hours(self) -> None:
        event = self.seed_event()
        registration = register(event, "ana@example.org", time_zone="America/Los_Angeles")
        registration_change_time_zone(registration=registration, time_zone="Asia/Tehran")
        assert schedule_of(registration)["1440 minutes before"] == (
            "pending",
            utc(2026, 1, 10, 18, 29),
        )

    def test_an_added_rule_is_moved_too(self) -> None:
        event = self.seed_event()
        registration = register(event, "ana@example.org", time_zone="Asia/Tehran")
        reminder_rule_save(
            rule=ReminderRule(event=event, kind="before_start", minutes_before=3 * 60)
        )
        # 3 hours before = 21:30 Tehran on Sunday: before quiet hours, unmoved.
        assert schedule_of(registration)["180 minutes before"] == (
            "pending",
            SEED_START - timedelta(hours=3),
        )
