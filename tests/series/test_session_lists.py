"""A series' questions and reminders, edited after the sessions exist (docs/series.md,
"Questions and reminders"): the change reaches every session ahead and each new one, and no
registrant's answer is lost."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from events.models import Event, Question
from notifications.models import ReminderRule
from registrations.models import Registration
from series.models import SeriesQuestion, SeriesReminderRule
from series.services import series_generate, series_register
from series.session_lists import series_lists_apply, series_lists_read
from tests.factories import register
from tests.notifications.reminder_helpers import schedule_of
from tests.series.helpers import make_series

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 20, tzinfo=UTC)
AFTER_JANUARY = datetime(2027, 1, 20, tzinfo=UTC)


def sessions(series: object) -> list[Event]:
    return list(Event.objects.filter(series_session__series=series).order_by("starts_at"))


def labels(event: Event) -> list[str]:
    return list(event.questions.order_by("position", "id").values_list("label", flat=True))


def rules(event: Event) -> set[tuple[str, int | None, time | None]]:
    return set(event.reminder_rules.values_list("kind", "minutes_before", "local_time"))


def test_a_question_and_a_reminder_added_reach_the_sessions_ahead_and_later_ones() -> None:
    series = make_series(horizon_days=90)
    with time_machine.travel(NOW, tick=False):
        series_generate(series=series)
    january = sessions(series)[0]

    with time_machine.travel(AFTER_JANUARY, tick=False):
        previous = series_lists_read(series)
        SeriesQuestion.objects.create(series=series, label="Your city?", kind="short_text")
        SeriesReminderRule.objects.create(
            series=series, kind=ReminderRule.Kind.DAY_BEFORE_AT, local_time=time(9, 0)
        )
        changed = series_lists_apply(series=series, previous=previous)

    assert [event.pk for event in changed] == [event.pk for event in sessions(series)[1:]]
    assert labels(january) == []  # it took place: as it was
    day_before = (ReminderRule.Kind.DAY_BEFORE_AT, None, time(9, 0))
    assert day_before not in rules(january)
    for event in sessions(series)[1:]:
        assert labels(event) == ["Your city?"]
        assert day_before in rules(event)
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        april = series_generate(series=series)[0]
    assert labels(april) == ["Your city?"]
    assert rules(april) == {
        ("before_start", 1440, None),
        ("before_start", 60, None),
        day_before,
    }


@time_machine.travel(NOW, tick=False)
def test_an_edited_question_keeps_its_id_so_answers_stay_with_it() -> None:
    series = make_series(horizon_days=90)
    question = SeriesQuestion.objects.create(series=series, label="Your city?", kind="short_text")
    series_generate(series=series)
    series_register(
        series=series,
        name="Ana",
        email="ana@example.org",
        time_zone="UTC",
        answers={str(question.pk): "Shiraz"},
    )
    before = {event.pk: event.questions.get().pk for event in sessions(series)}

    previous = series_lists_read(series)
    question.label, question.required = "Which city do you live in?", True
    question.save()
    series_lists_apply(series=series, previous=previous)

    for event in sessions(series):
        session_question = event.questions.get()
        assert session_question.pk == before[event.pk]
        assert (session_question.label, session_question.required) == (
            "Which city do you live in?",
            True,
        )
        registration = Registration.objects.get(event=event)
        assert registration.answers == {str(session_question.pk): "Shiraz"}
    # A session made later asks the new label and gets the answer given once.
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        april = series_generate(series=series)[0]
    april_question = april.questions.get()
    assert april_question.label == "Which city do you live in?"
    assert Registration.objects.get(event=april).answers == {str(april_question.pk): "Shiraz"}


@time_machine.travel(NOW, tick=False)
def test_a_removed_question_goes_only_where_nobody_answered_it() -> None:
    series = make_series(horizon_days=90)
    question = SeriesQuestion.objects.create(
        series=series, label="Dietary needs?", kind="short_text"
    )
    series_generate(series=series)
    january, february, march = sessions(series)
    answered = february.questions.get()
    register(february, "bo@example.org", answers={str(answered.pk): "vegan"})
    Question.objects.create(event=march, label="Bring a friend?", kind="checkbox", position=5)

    previous = series_lists_read(series)
    question.delete()
    series_lists_apply(series=series, previous=previous)

    assert labels(january) == []
    assert labels(february) == ["Dietary needs?"]  # Bo's answer stays, with its question
    assert labels(march) == ["Bring a friend?"]  # the session's own question stays


@time_machine.travel(NOW, tick=False)
def test_edited_and_removed_reminders_move_and_stop_each_registrants_schedule() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    series_register(series=series, name="Ana", email="ana@example.org", time_zone="UTC")
    day_rule = SeriesReminderRule.objects.get(series=series, minutes_before=1440)
    hour_rule = SeriesReminderRule.objects.get(series=series, minutes_before=60)

    previous = series_lists_read(series)
    day_rule.minutes_before = 120
    day_rule.save()
    hour_rule.delete()
    series_lists_apply(series=series, previous=previous)

    for event in sessions(series):
        assert rules(event) == {("before_start", 120, None)}
        schedule = schedule_of(Registration.objects.get(event=event))
        assert schedule == {"120 minutes before": ("pending", event.starts_at - timedelta(hours=2))}


@time_machine.travel(NOW, tick=False)
def test_a_reminder_the_session_already_has_on_its_own_is_not_doubled() -> None:
    series = make_series(horizon_days=90)
    series_generate(series=series)
    first = sessions(series)[0]
    ReminderRule.objects.create(event=first, kind=ReminderRule.Kind.BEFORE_START, minutes_before=15)

    previous = series_lists_read(series)
    SeriesReminderRule.objects.create(
        series=series, kind=ReminderRule.Kind.BEFORE_START, minutes_before=15
    )
    series_lists_apply(series=series, previous=previous)

    assert first.reminder_rules.filter(minutes_before=15).count() == 1
