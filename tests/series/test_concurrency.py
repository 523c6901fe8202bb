"""Series under real concurrency on PostgreSQL (docs/series.md, "Safe to run twice").

- The generator run many times at once makes each session once.
- People joining the series while the generator makes new sessions end up in every session
  exactly once.
- Series registrants and single-session registrants arriving together never overbook a
  session.

Each guarantee has a naive twin (the series lock off, the unique constraint dropped, or a
read-then-write seat claim) that the same checks catch: these tests can fail.
"""

from collections.abc import Iterator
from datetime import date

import pytest
from django.db import connection

from events.models import Event
from registrations import services as registration_services
from registrations.models import Registration
from series import services
from series.models import Series, SeriesRegistration, SeriesSession
from series.services import series_generate, series_register
from tests.registrations.test_concurrency import (
    _naive_claim_read_then_write,
    capacity_violations,
    register,
    run_together,
    storm_people,
)
from tests.series.helpers import weekly_series

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GENERATORS = 12


def _unlocked(*, series: Series) -> Series:
    return Series.objects.get(pk=series.pk)


@pytest.fixture
def without_the_occurrence_constraint() -> Iterator[None]:
    """Drop ``one_session_per_series_occurrence`` for one test, and put it back."""
    constraint = next(
        c for c in SeriesSession._meta.constraints if c.name == "one_session_per_series_occurrence"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(SeriesSession, constraint)
    try:
        yield
    finally:
        SeriesSession.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(SeriesSession, constraint)


def duplicate_sessions(series: Series) -> dict[date, int]:
    counts: dict[date, int] = {}
    for occurrence in SeriesSession.objects.filter(series=series).values_list(
        "occurrence", flat=True
    ):
        counts[occurrence] = counts.get(occurrence, 0) + 1
    return {day: count for day, count in counts.items() if count > 1}


def test_the_generator_run_many_times_at_once_makes_each_session_once() -> None:
    series = weekly_series()

    outcome = run_together([lambda: series_generate(series=series)] * GENERATORS)

    assert outcome.errors == []
    assert duplicate_sessions(series) == {}
    made = sum(len(result) for result in outcome.results)
    assert made == SeriesSession.objects.filter(series=series).count() >= 3
    assert Event.objects.count() == made


def test_without_the_lock_the_unique_constraint_alone_still_makes_each_session_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "series_lock", _unlocked)
    series = weekly_series()

    outcome = run_together([lambda: series_generate(series=series)] * GENERATORS)

    assert outcome.errors == []
    assert duplicate_sessions(series) == {}


def test_the_generator_without_lock_or_constraint_makes_sessions_twice(
    monkeypatch: pytest.MonkeyPatch, without_the_occurrence_constraint: None
) -> None:
    monkeypatch.setattr(services, "series_lock", _unlocked)
    duplicates: dict[date, int] = {}
    for _attempt in range(5):
        series = weekly_series()
        run_together([lambda series=series: series_generate(series=series)] * GENERATORS)
        duplicates = duplicate_sessions(series)
        if duplicates:
            break
    assert duplicates != {}


def _join(series: Series, email: str) -> object:
    return series_register(series=series, name="Guest", email=email, time_zone="Asia/Tehran")


def missing_or_doubled(series: Series) -> list[str]:
    """Every active series registrant is in every session exactly once; what is not so."""
    problems = []
    events = list(Event.objects.filter(series_session__series=series))
    for member in SeriesRegistration.objects.filter(series=series):
        for event in events:
            count = Registration.objects.filter(
                event=event, email_normalized=member.email_normalized
            ).count()
            if count != 1:
                problems.append(f"{member.email} in {event.starts_at:%Y-%m-%d}: {count}")
    return problems


def _joiners_while_generating(series: Series, people: int) -> list[str]:
    # The horizon grows: the generator makes new sessions while people join.
    Series.objects.filter(pk=series.pk).update(horizon_days=60)
    series.refresh_from_db()
    calls = [lambda n=n: _join(series, f"member{n}@example.org") for n in range(people)]
    calls += [lambda: series_generate(series=series)] * 4
    outcome = run_together(calls)
    assert outcome.errors == []
    return missing_or_doubled(series)


def test_people_joining_while_sessions_are_generated_get_every_session_once() -> None:
    series = weekly_series(horizon_days=7)
    series_generate(series=series)

    assert _joiners_while_generating(series, people=24) == []
    assert Event.objects.filter(series_session__series=series).count() > 2


def test_without_the_series_lock_joiners_miss_sessions_generated_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "series_lock", _unlocked)
    problems: list[str] = []
    for _attempt in range(5):
        series = weekly_series(horizon_days=7)
        series_generate(series=series)
        problems = _joiners_while_generating(series, people=24)
        if problems:
            break
    assert problems != []


def _series_and_single_registrants(people: int) -> tuple[Series, list[Event], list[object]]:
    series = weekly_series(horizon_days=14, capacity=people // 4)
    series_generate(series=series)
    events = list(Event.objects.filter(series_session__series=series).order_by("starts_at"))
    first = events[0]
    calls = [lambda n=n: _join(series, f"member{n}@example.org") for n in range(people // 2)]
    calls += [lambda n=n: register(first, f"single{n}@example.org") for n in range(people // 2)]
    outcome = run_together(calls)
    violations = []
    for event in events:
        violations += capacity_violations(event, outcome)
    return series, events, violations


def test_series_and_single_registrants_together_never_overbook_a_session() -> None:
    people = storm_people()

    series, events, violations = _series_and_single_registrants(people)

    assert violations == []
    for event in events:
        event.refresh_from_db()
        assert event.seats_taken == event.capacity
    assert missing_or_doubled(series) == []


def test_with_a_naive_seat_claim_the_same_checks_see_overbooking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = storm_people()
    monkeypatch.setattr(registration_services, "claim_seat", _naive_claim_read_then_write)
    violations: list[str] = []
    for _attempt in range(5):
        _series, _events, violations = _series_and_single_registrants(people)
        if violations:
            break
    assert any(violation.startswith("overbooked") for violation in violations), violations
