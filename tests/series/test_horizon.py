"""The rolling horizon: N days ahead, and at most the next N sessions, whichever comes first
(docs/series.md, "Sessions are generated over a rolling horizon")."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from events.models import Event
from series.forms import SeriesForm
from series.models import Series, SeriesSession
from series.services import series_generate, series_update_from
from tests.series.helpers import make_series, series_form_data

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 20, tzinfo=UTC)


def session_dates(series: Series) -> list[date]:
    return list(SeriesSession.objects.filter(series=series).values_list("occurrence", flat=True))


def test_the_next_n_sessions_are_made_once_and_the_window_rolls_on() -> None:
    # Weekly on Sundays at 11:00 New York time, from 3 January 2027.
    series = make_series(
        starts_on=date(2027, 1, 3),
        rrule="FREQ=WEEKLY;BYDAY=SU;COUNT=20",
        horizon_days=366,
        horizon_sessions=2,
    )
    with time_machine.travel(NOW, tick=False):
        first = series_generate(series=series)
        again = series_generate(series=series)
    assert [event.starts_at.date() for event in first] == [date(2027, 1, 3), date(2027, 1, 10)]
    assert again == []

    # Sunday 3 January, 17:00Z: that session has begun, so the next two are the 10th and 17th.
    with time_machine.travel(datetime(2027, 1, 3, 17, tzinfo=UTC), tick=False):
        later = series_generate(series=series)
        assert series_generate(series=series) == []
    assert [event.starts_at.date() for event in later] == [date(2027, 1, 17)]
    assert session_dates(series) == [date(2027, 1, 3), date(2027, 1, 10), date(2027, 1, 17)]


@time_machine.travel(NOW, tick=False)
def test_whichever_limit_comes_first_holds() -> None:
    # Monthly: 40 days reach only January's session, though five are allowed.
    by_days = make_series(horizon_days=40, horizon_sessions=5)
    # Weekly: 90 days would hold 13 sessions; three are asked for.
    by_count = make_series(
        starts_on=date(2027, 1, 3),
        rrule="FREQ=WEEKLY;BYDAY=SU;COUNT=20",
        horizon_days=90,
        horizon_sessions=3,
    )

    assert [e.starts_at.date() for e in series_generate(series=by_days)] == [date(2027, 1, 10)]
    assert len(series_generate(series=by_count)) == 3


@time_machine.travel(NOW, tick=False)
def test_a_shorter_horizon_keeps_the_sessions_already_made() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    assert len(session_dates(series)) == 3

    series.horizon_sessions = 1
    series.start_time = time(12, 0)
    series_update_from(series=series, occurrence=date(2027, 1, 10))

    # The horizon says how far ahead to create, never what to take away.
    events = Event.objects.filter(series_session__series=series).order_by("starts_at")
    assert [(e.starts_at.date(), e.starts_at.hour, e.is_cancelled) for e in events] == [
        (date(2027, 1, 10), 17, False),
        (date(2027, 2, 14), 17, False),
        (date(2027, 3, 14), 16, False),
    ]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("61", "Ensure this value is less than or equal to 60."),
        ("two", "Enter a whole number."),
    ],
)
def test_the_form_refuses_an_odd_number_of_sessions(value: str, error: str) -> None:
    form = SeriesForm(series_form_data(horizon_sessions=value), instance=Series())

    assert not form.is_valid()
    assert form.errors["horizon_sessions"] == [error]
