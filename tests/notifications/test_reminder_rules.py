"""Due times: "N minutes before" in UTC; "the day before at HH:MM" on the registrant's calendar.

Expected instants are worked out by hand from the tz database's offsets, not by the code.
"""

from datetime import UTC, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from notifications.models import ReminderRule
from notifications.reminders.kinds import reminder_due_at, reminder_rule_clean, rule_description


def day_before_at(local: str) -> ReminderRule:
    hours, minutes = (int(part) for part in local.split(":"))
    return ReminderRule(kind=ReminderRule.Kind.DAY_BEFORE_AT, local_time=time(hours, minutes))


def minutes_before(minutes: int) -> ReminderRule:
    return ReminderRule(kind=ReminderRule.Kind.BEFORE_START, minutes_before=minutes)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "starts_at", "local", "expected"),
    [
        # +03:30 all year: 22:00 on 10 Jan → 09:00 on 9 Jan = 05:30 UTC.
        ("Asia/Tehran", utc(2025, 1, 10, 18, 30), "09:00", utc(2025, 1, 9, 5, 30)),
        # +05:45: 10:00 on 1 Mar → 09:00 on 28 Feb = 03:15 UTC.
        ("Asia/Kathmandu", utc(2025, 3, 1, 4, 15), "09:00", utc(2025, 2, 28, 3, 15)),
        # Southern DST starts 5 Oct 2025, 02:00 → 03:00: 02:30 does not exist → 03:30 AEDT.
        ("Australia/Sydney", utc(2025, 10, 5, 23, 0), "02:30", utc(2025, 10, 4, 16, 30)),
        # Southern DST ends 6 Apr 2025, 03:00 → 02:00: the first 02:30 is still AEDT (+11).
        ("Australia/Sydney", utc(2025, 4, 7, 0, 0), "02:30", utc(2025, 4, 5, 15, 30)),
        # Lord Howe moves only 30 minutes: 02:00 → 02:30 on 5 Oct, so 02:15 → 02:45 (+11).
        ("Australia/Lord_Howe", utc(2025, 10, 5, 23, 0), "02:15", utc(2025, 10, 4, 15, 45)),
        # …and 02:00 → 01:30 on 6 Apr: the first 01:45 is at +11.
        ("Australia/Lord_Howe", utc(2025, 4, 7, 0, 0), "01:45", utc(2025, 4, 5, 14, 45)),
        # US gap, 9 Mar 2025: 02:30 → 03:30 EDT (-4).
        ("America/New_York", utc(2025, 3, 10, 14, 0), "02:30", utc(2025, 3, 9, 7, 30)),
        # US fold, 2 Nov 2025: the first 01:30 is EDT (-4).
        ("America/New_York", utc(2025, 11, 3, 15, 0), "01:30", utc(2025, 11, 2, 5, 30)),
        # EU gap, 30 Mar 2025: 02:30 → 03:30 CEST (+2).
        ("Europe/Berlin", utc(2025, 3, 31, 8, 0), "02:30", utc(2025, 3, 30, 1, 30)),
        # EU fold, 26 Oct 2025: the first 02:30 is CEST (+2).
        ("Europe/Berlin", utc(2025, 10, 27, 9, 0), "02:30", utc(2025, 10, 26, 0, 30)),
        # An ordinary day on either side of a DST change is untouched.
        ("Europe/Berlin", utc(2025, 3, 30, 8, 0), "09:00", utc(2025, 3, 29, 8, 0)),
        ("America/New_York", utc(2025, 11, 2, 15, 0), "09:00", utc(2025, 11, 1, 13, 0)),
    ],
)
def test_day_before_at_follows_the_registrants_calendar_across_offsets_and_dst(
    zone: str, starts_at: datetime, local: str, expected: datetime
) -> None:
    due = reminder_due_at(rule=day_before_at(local), starts_at=starts_at, time_zone=zone)
    assert due == expected
    assert due.tzinfo is UTC


def test_day_before_on_opposite_sides_of_the_date_line_uses_each_registrants_own_day() -> None:
    # 09:00 on 10 Jun in Kiritimati (+14) is 08:00 on 9 Jun in Pago Pago (-11).
    starts_at = utc(2025, 6, 9, 19, 0)
    rule = day_before_at("09:00")
    kiritimati = reminder_due_at(rule=rule, starts_at=starts_at, time_zone="Pacific/Kiritimati")
    pago_pago = reminder_due_at(rule=rule, starts_at=starts_at, time_zone="Pacific/Pago_Pago")
    assert kiritimati == utc(2025, 6, 8, 19, 0)  # 09:00 on 9 Jun, Kiritimati
    assert pago_pago == utc(2025, 6, 8, 20, 0)  # 09:00 on 8 Jun, Pago Pago — an hour later


def test_day_before_for_an_auckland_evening_event_is_two_days_earlier_in_honolulu() -> None:
    # 19:00 on 15 Jul in Auckland (+12) is 21:00 on 14 Jul in Honolulu (-10).
    starts_at = utc(2025, 7, 15, 7, 0)
    rule = day_before_at("09:00")
    assert reminder_due_at(rule=rule, starts_at=starts_at, time_zone="Pacific/Auckland") == utc(
        2025, 7, 13, 21, 0
    )
    assert reminder_due_at(rule=rule, starts_at=starts_at, time_zone="Pacific/Honolulu") == utc(
        2025, 7, 13, 19, 0
    )


@pytest.mark.parametrize(
    "zone", ["Asia/Tehran", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Kiritimati"]
)
def test_minutes_before_is_utc_arithmetic_whatever_the_zone(zone: str) -> None:
    starts_at = utc(2025, 10, 5, 23, 0)
    assert reminder_due_at(rule=minutes_before(60), starts_at=starts_at, time_zone=zone) == utc(
        2025, 10, 5, 22, 0
    )


def test_one_day_before_across_a_dst_change_is_24_real_hours_not_the_same_wall_clock() -> None:
    # 10:00 CEST on 30 Mar 2025 (08:00 UTC); 24 hours earlier it was 09:00 CET.
    starts_at = utc(2025, 3, 30, 8, 0)
    due = reminder_due_at(rule=minutes_before(1440), starts_at=starts_at, time_zone="Europe/Berlin")
    assert due == utc(2025, 3, 29, 8, 0)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        reminder_due_at(rule=minutes_before(60), starts_at=datetime(2025, 1, 1), time_zone="UTC")


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (None, "Say how many minutes before the start"),
        (0, "Choose between 1 minute and 86400 minutes (60 days)"),
        (86401, "Choose between 1 minute and 86400 minutes (60 days)"),
    ],
)
def test_minutes_before_must_be_between_one_minute_and_sixty_days(
    minutes: int | None, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        reminder_rule_clean(kind="before_start", minutes_before=minutes, local_time=time(9, 0))
    assert message in error.value.message_dict["minutes_before"][0]


def test_day_before_at_needs_a_local_time() -> None:
    with pytest.raises(ValidationError) as error:
        reminder_rule_clean(kind="day_before_at", minutes_before=60, local_time=None)
    assert "Give the time of day" in error.value.message_dict["local_time"][0]


def test_cleaning_clears_the_field_the_kind_does_not_use() -> None:
    assert reminder_rule_clean(
        kind="before_start", minutes_before=86400, local_time=time(9, 0)
    ) == (86400, None)
    assert reminder_rule_clean(
        kind="day_before_at", minutes_before=60, local_time=time(9, 0, 30)
    ) == (None, time(9, 0))


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (minutes_before(1440), "1 day before"),
        (minutes_before(2880), "2 days before"),
        (minutes_before(60), "1 hour before"),
        (minutes_before(90), "90 minutes before"),
        (day_before_at("09:00"), "the day before at 09:00 (your time)"),
    ],
)
def test_rules_read_as_people_say_them(rule: ReminderRule, text: str) -> None:
    with translation.override("en"):
        assert rule_description(rule) == text
