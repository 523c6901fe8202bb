"""A registration and a move of its event at the same moment, on PostgreSQL: whichever
commits first, the registrant's reminders end up at the event's new time.

What orders them is the event row: the move locks it FOR UPDATE, and scheduling the
registration's reminders reads it FOR KEY SHARE (notifications.reminders.services.
_current_event). Without that lock both tests fail: Django's foreign keys are deferred, so
nothing else in the registration touches the event row before the seat claim at the end.
"""

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from events import lifecycle
from events.models import Event
from events.services import event_save, event_snapshot
from notifications.models import ScheduledReminder
from registrations.facts import RegistrationConfirmed
from tests.notifications.reminder_helpers import create_event, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # surfaced by the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def move(
    event_id: int,
    new_start: datetime,
    *,
    locked: threading.Event | None = None,
    hold: threading.Event | None = None,
) -> None:
    with transaction.atomic():
        event = Event.objects.get(pk=event_id)
        previous = event_snapshot(event)
        event.starts_at, event.ends_at = new_start, new_start + timedelta(hours=1)
        event_save(event=event, previous=previous)
        if locked is not None:
            locked.set()
        if hold is not None:
            hold.wait(timeout=10)


def one_hour_reminder(email: str) -> ScheduledReminder:
    return ScheduledReminder.objects.get(registration__email=email, rule__minutes_before=60)


@pytest.fixture
def event() -> Event:
    starts_at = timezone.now() + timedelta(days=3)
    return create_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))


def test_a_registration_waiting_on_a_move_schedules_at_the_new_time(event: Event) -> None:
    new_start = event.starts_at + timedelta(days=7)
    locked, release = threading.Event(), threading.Event()
    mover, move_errors = in_thread(lambda: move(event.pk, new_start, locked=locked, hold=release))
    assert locked.wait(timeout=10), move_errors
    # The move holds the event row; scheduling the registration's reminders waits for it.
    registrar, register_errors = in_thread(lambda: register(event, "ana@example.org"))
    registrar.join(timeout=0.5)
    assert registrar.is_alive(), (
        "the registration should wait for the move",
        register_errors,
        move_errors,
    )
    release.set()
    mover.join(timeout=10)
    registrar.join(timeout=10)
    assert not move_errors and not register_errors, (move_errors, register_errors)

    assert one_hour_reminder("ana@example.org").due_at == new_start - timedelta(hours=1)


def test_a_move_waiting_on_a_registration_reschedules_it(
    event: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_start = event.starts_at + timedelta(days=7)
    release, inside = threading.Event(), threading.Event()

    def hold_the_registration_open(fact: RegistrationConfirmed) -> None:
        inside.set()
        release.wait(timeout=10)

    handlers = lifecycle._handlers[RegistrationConfirmed]
    monkeypatch.setitem(
        lifecycle._handlers, RegistrationConfirmed, [*handlers, hold_the_registration_open]
    )
    registrar, register_errors = in_thread(lambda: register(event, "ana@example.org"))
    assert inside.wait(timeout=10)
    # The registration is written (at the old time) but not committed; the move must wait.
    mover, move_errors = in_thread(lambda: move(event.pk, new_start))
    mover.join(timeout=0.5)
    assert mover.is_alive(), ("the move should wait for the registration", move_errors)
    release.set()
    registrar.join(timeout=10)
    mover.join(timeout=10)
    assert not move_errors and not register_errors, (move_errors, register_errors)

    assert one_hour_reminder("ana@example.org").due_at == new_start - timedelta(hours=1)
