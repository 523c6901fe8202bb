"""The generator, registering once for every session, leaving, editing later sessions, ending.

What a registrant would notice: one registration (and invite UID) per session, one email per
session, reminders that follow each session's own time, CANCELs only for future sessions.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from events.models import Event
from events.services import event_save, event_snapshot
from notifications.models import OutboxEmail, ReminderRule
from notifications.reminders.services import reminder_rule_save
from registrations.models import Registration
from registrations.services import registration_cancel
from series.models import SeriesQuestion, SeriesRegistration, SeriesSession
from series.services import (
    series_end,
    series_generate,
    series_register,
    series_registration_leave,
    series_update_from,
)
from tests.factories import register
from tests.notifications.reminder_helpers import schedule_of
from tests.series.helpers import make_series

pytestmark = pytest.mark.django_db

Confirmed = Registration.Status.CONFIRMED
Waitlisted = Registration.Status.WAITLISTED
Cancelled = Registration.Status.CANCELLED
NOW = datetime(2026, 12, 20, tzinfo=UTC)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sessions(series: object) -> list[Event]:
    return list(Event.objects.filter(series_session__series=series).order_by("starts_at"))


def join(series: object, email: str = "ana@example.org", time_zone: str = "Asia/Tehran"):  # type: ignore[no-untyped-def]
    return series_register(series=series, name="Ana", email=email, time_zone=time_zone)  # type: ignore[arg-type]


@time_machine.travel(NOW, tick=False)
def test_the_generator_makes_the_sessions_up_to_the_horizon_once() -> None:
    series = make_series(horizon_days=90)

    created = series_generate(series=series)
    again = series_generate(series=series)

    # 20 Dec 2026 + 90 days = 20 Mar 2027: January, February and March's second Sundays.
    assert [event.starts_at for event in created] == [
        _utc(2027, 1, 10, 16),
        _utc(2027, 2, 14, 16),
        _utc(2027, 3, 14, 15),
    ]
    assert again == []
    assert SeriesSession.objects.filter(series=series).count() == 3
    event = created[0]
    assert event.status == Event.Status.PUBLISHED
    assert event.time_zone == "America/New_York"
    assert event.ends_at - event.starts_at == timedelta(hours=1)
    assert event.join_url == "https://meet.example.org/audio"
    # Each session gets the default reminder rules, as any new event.
    assert event.reminder_rules.count() == 2


def test_the_horizon_rolls_forward_and_a_session_moved_alone_is_not_made_again() -> None:
    series = make_series(horizon_days=40)
    with time_machine.travel(NOW, tick=False):
        first = series_generate(series=series)
        assert [event.starts_at.date() for event in first] == [date(2027, 1, 10)]
        moved = first[0]
        previous = event_snapshot(moved)
        moved.starts_at += timedelta(days=1)
        moved.ends_at += timedelta(days=1)
        event_save(event=moved, previous=previous)
    with time_machine.travel(datetime(2027, 1, 20, tzinfo=UTC), tick=False):
        later = series_generate(series=series)
    assert [event.starts_at.date() for event in later] == [date(2027, 2, 14)]
    assert SeriesSession.objects.filter(series=series).count() == 2


@time_machine.travel(NOW, tick=False)
def test_registering_once_gives_a_registration_invite_and_email_per_session() -> None:
    series = make_series()
    series_generate(series=series)

    result = join(series)

    assert result.created
    registrations = Registration.objects.filter(email_normalized="ana@example.org")
    assert [r.event.starts_at for r in registrations.order_by("event__starts_at")] == [
        event.starts_at for event in sessions(series)
    ]
    assert {r.status for r in registrations} == {Confirmed}
    # One UID per registration, so three distinct calendar entries.
    assert len({r.public_id for r in registrations}) == 3
    confirmations = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.CONFIRMATION)
    assert sorted(confirmations.values_list("registration__event_id", flat=True)) == sorted(
        event.pk for event in sessions(series)
    )
    welcome = OutboxEmail.objects.get(kind=OutboxEmail.Kind.SERIES)
    assert welcome.recipient == "ana@example.org"
    assert "/series/r/" in welcome.text_body
    # Joining again changes nothing and sends nothing new.
    emails = OutboxEmail.objects.count()
    again = join(series, email=" ANA@example.org ")
    assert not again.created
    assert registrations.count() == 3
    assert OutboxEmail.objects.count() == emails


def test_a_new_session_takes_series_registrants_once_and_a_full_one_waitlists_them() -> None:
    series = make_series(horizon_days=40, capacity=1)
    with time_machine.travel(NOW, tick=False):
        series_generate(series=series)
        join(series, email="ana@example.org")
        join(series, email="bo@example.org")
    with time_machine.travel(datetime(2027, 1, 20, tzinfo=UTC), tick=False):
        series_generate(series=series)
        series_generate(series=series)
    february = sessions(series)[1]
    rows = Registration.objects.filter(event=february).order_by("created_at", "id")
    assert [(r.email, r.status) for r in rows] == [
        ("ana@example.org", Confirmed),
        ("bo@example.org", Waitlisted),
    ]
    # Bo is told about the waitlist for that session.
    assert OutboxEmail.objects.filter(
        kind=OutboxEmail.Kind.WAITLISTED, registration=rows[1]
    ).exists()


@time_machine.travel(NOW, tick=False)
def test_the_series_answers_are_copied_to_each_session() -> None:
    series = make_series()
    question = SeriesQuestion.objects.create(series=series, label="Your city?", kind="short_text")
    series_generate(series=series)
    series_register(
        series=series,
        name="Ana",
        email="ana@example.org",
        time_zone="Asia/Tehran",
        answers={str(question.pk): "Shiraz"},
    )
    for event in sessions(series):
        session_question = event.questions.get()
        registration = Registration.objects.get(event=event)
        assert registration.answers == {str(session_question.pk): "Shiraz"}


def test_a_tehran_registrants_reminders_follow_each_sessions_own_time() -> None:
    series = make_series(horizon_days=366)
    with time_machine.travel(NOW, tick=False):
        series_generate(series=series)
        for event in sessions(series):
            reminder_rule_save(
                rule=ReminderRule(
                    event=event, kind=ReminderRule.Kind.DAY_BEFORE_AT, local_time=time(9, 0)
                )
            )
        join(series, time_zone="Asia/Tehran")
    for event in sessions(series):
        registration = Registration.objects.get(event=event)
        schedule = schedule_of(registration)
        summer = date(2027, 3, 14) <= event.starts_at.date() < date(2027, 11, 7)
        assert event.starts_at.hour == (15 if summer else 16)
        assert schedule["1440 minutes before"] == ("pending", event.starts_at - timedelta(days=1))
        assert schedule["60 minutes before"] == ("pending", event.starts_at - timedelta(hours=1))
        # Sunday 18:30 or 19:30 in Tehran (+03:30): the day before at 09:00 is Saturday 05:30Z.
        saturday = event.starts_at.date() - timedelta(days=1)
        assert schedule["the day before at 09:00"] == (
            "pending",
            datetime.combine(saturday, time(5, 30), tzinfo=UTC),
        )


@time_machine.travel(NOW, tick=False)
def test_leaving_the_series_cancels_every_future_session_and_stops_new_ones() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    member = join(series).series_registration

    cancelled = series_registration_leave(series_registration=member)

    assert len(cancelled) == 3
    assert set(Registration.objects.values_list("status", flat=True)) == {Cancelled}
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.CANCELLATION).count() == 3
    member.refresh_from_db()
    assert member.status == SeriesRegistration.Status.LEFT
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        new = series_generate(series=series)
    assert new and not Registration.objects.filter(event__in=new).exists()


def test_leaving_after_a_session_took_place_cancels_only_the_future_ones() -> None:
    series = make_series(horizon_days=90)
    with time_machine.travel(NOW, tick=False):
        series_generate(series=series)
        member = join(series).series_registration
    with time_machine.travel(datetime(2027, 1, 20, tzinfo=UTC), tick=False):
        series_registration_leave(series_registration=member)
    statuses = [Registration.objects.get(event=event).status for event in sessions(series)]
    assert statuses[0] == Confirmed  # January's took place
    assert set(statuses[1:]) == {Cancelled}


@time_machine.travel(NOW, tick=False)
def test_leaving_one_session_keeps_the_others() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    join(series)
    first = Registration.objects.filter(event=sessions(series)[0]).get()

    registration_cancel(registration=first)

    assert [Registration.objects.get(event=event).status for event in sessions(series)] == [
        Cancelled,
        Confirmed,
        Confirmed,
    ]
    assert SeriesRegistration.objects.get().is_active


@time_machine.travel(NOW, tick=False)
def test_this_and_all_later_sessions_moves_those_with_registrants_with_an_update() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    join(series)
    february = SeriesSession.objects.get(series=series, occurrence=date(2027, 2, 14))

    series.start_time = time(12, 0)
    series.title = "English audio room (noon)"
    moved = series_update_from(series=series, occurrence=february.occurrence)

    starts = [event.starts_at for event in sessions(series)]
    assert starts == [_utc(2027, 1, 10, 16), _utc(2027, 2, 14, 17), _utc(2027, 3, 14, 16)]
    assert len(moved) == 2
    updates = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.EVENT_UPDATED)
    assert sorted(updates.values_list("registration__event__starts_at", flat=True)) == starts[1:]
    assert sessions(series)[0].title == "English audio room"


@time_machine.travel(NOW, tick=False)
def test_a_new_recurrence_from_a_session_on_cancels_dropped_sessions_and_makes_new_ones() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    _january, february, march = sessions(series)
    register(february, "solo@example.org")
    previous_rrule = series.rrule

    # From February on: the last Sunday instead of the second.
    series.rrule = "FREQ=MONTHLY;BYDAY=-1SU;COUNT=10"
    series_update_from(series=series, occurrence=date(2027, 2, 14), previous_rrule=previous_rrule)

    february.refresh_from_db()
    assert february.is_cancelled  # it had a registrant: they are told
    assert not Event.objects.filter(pk=march.pk).exists()  # empty: simply removed
    assert [event.starts_at.date() for event in sessions(series) if not event.is_cancelled] == [
        date(2027, 1, 10),
        date(2027, 2, 28),
    ]
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.EVENT_CANCELLED).count() == 1


@time_machine.travel(NOW, tick=False)
def test_ending_a_series_cancels_its_future_sessions_and_tells_registrants() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    join(series)

    series_end(series=series, message="We move to a new room.")

    assert all(event.is_cancelled for event in sessions(series))
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.EVENT_CANCELLED).count() == 3
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        assert series_generate(series=series) == []
