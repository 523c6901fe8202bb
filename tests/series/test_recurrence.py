"""Recurrences on the wall clock, and the form's errors for bad ones."""

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from series.forms import SeriesForm
from series.recurrence import (
    Recurrence,
    occurrence_dates,
    recurrence_from_text,
    session_times,
)
from tests.series.helpers import series_form_data


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_second_sunday_at_eleven_new_york_is_15z_in_summer_time_and_16z_in_winter() -> None:
    rule = Recurrence(frequency="monthly", week_of_month=2, weekday=6, count=12).rrule_text()
    assert rule == "FREQ=MONTHLY;BYDAY=+2SU;COUNT=12"
    dates = occurrence_dates(
        rule,
        starts_on=date(2027, 1, 1),
        start_time=time(11, 0),
        extra=[],
        skipped=frozenset(),
        since=date(2027, 1, 1),
        until=date(2027, 12, 31),
    )
    starts = {
        day: session_times(
            day, start_time=time(11, 0), duration_minutes=60, time_zone="America/New_York"
        )[0]
        for day in dates
    }
    assert list(starts) == [
        date(2027, 1, 10),
        date(2027, 2, 14),
        date(2027, 3, 14),  # the very day the clocks go forward (at 02:00)
        date(2027, 4, 11),
        date(2027, 5, 9),
        date(2027, 6, 13),
        date(2027, 7, 11),
        date(2027, 8, 8),
        date(2027, 9, 12),
        date(2027, 10, 10),
        date(2027, 11, 14),  # a week after they went back
        date(2027, 12, 12),
    ]
    for day, start in starts.items():
        summer = date(2027, 3, 14) <= day < date(2027, 11, 7)
        assert start.hour == (15 if summer else 16), day
        assert start.minute == 0
    assert starts[date(2027, 2, 14)] == _utc(2027, 2, 14, 16)
    assert starts[date(2027, 3, 14)] == _utc(2027, 3, 14, 15)


def test_extra_and_skipped_dates() -> None:
    dates = occurrence_dates(
        "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
        starts_on=date(2027, 6, 1),
        start_time=time(19, 0),
        extra=[date(2027, 6, 5), date(2026, 1, 1)],
        skipped=frozenset({date(2027, 6, 8)}),
        since=date(2027, 6, 1),
        until=date(2027, 12, 31),
    )
    assert dates == [date(2027, 6, 1), date(2027, 6, 5), date(2027, 6, 15), date(2027, 6, 22)]


def test_a_session_in_the_dst_gap_starts_after_it() -> None:
    starts_at, ends_at = session_times(
        date(2027, 3, 14), start_time=time(2, 30), duration_minutes=60, time_zone="America/New_York"
    )
    assert starts_at == _utc(2027, 3, 14, 7, 30)  # 03:30 EDT
    # Its end (03:30 on the clock) would be its start: it keeps its length instead.
    assert ends_at == _utc(2027, 3, 14, 8, 30)


def test_rrule_text_reads_back() -> None:
    for recurrence in [
        Recurrence(frequency="weekly", interval=2, weekdays=(0, 3), until=date(2027, 5, 1)),
        Recurrence(frequency="monthly", month_day=31, count=6),
        Recurrence(frequency="monthly", week_of_month=-1, weekday=4, count=3),
        Recurrence(frequency="daily", count=5),
    ]:
        assert recurrence_from_text(recurrence.rrule_text()) == recurrence


@pytest.mark.django_db
def test_a_good_weekly_series_is_valid_and_stores_its_rule() -> None:
    form = SeriesForm(series_form_data())
    assert form.is_valid(), form.errors
    assert form.instance.rrule == "FREQ=WEEKLY;BYDAY=TU;COUNT=10"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"count": "", "until": ""}, "count", "Give the series an end"),
        ({"interval": "0"}, "interval", "greater than or equal to 1"),
        ({"count": "61"}, "count", "less than or equal to 60"),
        ({"count": "", "until": "2029-01-01"}, "until", "at most 60 sessions"),
        ({"frequency": "daily", "count": "", "until": "2026-01-01"}, "until", "before the first"),
        ({"extra_dates": "next tuesday"}, "extra_dates", "is not a date"),
        ({"starts_on": "9999-12-31"}, "starts_on", "between 1900 and 2999"),
        ({"frequency": "monthly", "monthly_by": "weekday"}, "week_of_month", "which weekday"),
        ({"kind": "webinar"}, "join_url", "join link"),
    ],
)
def test_bad_recurrences_are_field_errors(
    overrides: dict[str, Any], field: str, words: str
) -> None:
    form = SeriesForm(series_form_data(**overrides))
    assert not form.is_valid()
    assert words in " ".join(form.errors.get(field, [])), form.errors


@pytest.mark.django_db
def test_monthly_on_the_31st_says_which_months_it_skips() -> None:
    form = SeriesForm(
        series_form_data(frequency="monthly", monthly_by="day", month_day="31", count="6")
    )
    assert form.is_valid(), form.errors
    assert form.instance.rrule == "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=6"
    assert form.note == (
        "Months without a day 31 are skipped: February, April, June, September, November."
    )


@pytest.mark.django_db
def test_the_series_form_page_shows_the_errors_not_a_500(client: Any) -> None:
    from tests.factories import MembershipFactory

    membership = MembershipFactory()
    client.force_login(membership.user)
    url = f"/manage/organizations/{membership.organization.pk}/series/new/"
    response = client.post(url, series_form_data(count="", until="", interval="0"))
    assert response.status_code == 400
    assert "Give the series an end" in response.content.decode()
