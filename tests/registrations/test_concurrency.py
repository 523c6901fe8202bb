"""Registration under real concurrency on PostgreSQL: never more confirmed people than seats.

Each scenario starts its threads on a barrier so their queries hit the database together,
then checks the invariants a person would notice (docs/design.md, "Capacity"):

- no more confirmed registrations than seats, and the seat counter agrees with the rows;
- nobody waits on the waitlist while a seat is free, and the waitlist moves in FIFO order;
- one person (one email) is one registration, however many times they press the button.

``test_the_storm_detects_overbooking_when_the_seat_claim_is_naive`` swaps the seat claim for
read-then-write versions and shows the very same checks catch the overbooking: these tests
can fail.

Each person in a storm holds a connection of their own, so a storm is sized to what the server
has free (``storm_people``): up to 80 people, which shows the race as well as 200 did, and
fits a stock PostgreSQL (``max_connections`` 100).
"""

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.db.models import F

from events.models import Event
from registrations import services
from registrations.models import Registration
from registrations.services import RegistrationResult, registration_cancel, registration_create
from tests.factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Confirmed = Registration.Status.CONFIRMED
Waitlisted = Registration.Status.WAITLISTED

STORM_MAX_PEOPLE = 80
# Fewer than this many at once no longer reliably shows the naive claims' race.
STORM_MIN_PEOPLE = 40
# Connections left for this process's own and for whatever else starts meanwhile.
CONNECTION_MARGIN = 10


def storm_people() -> int:
    """How many people a storm can have here: one connection each, within what is free."""
    with connection.cursor() as cursor:
        cursor.execute(
            "select current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (select count(*) from pg_stat_activity where backend_type = 'client backend')"
        )
        (free,) = cursor.fetchone()
    people = min(STORM_MAX_PEOPLE, free - CONNECTION_MARGIN)
    if people < STORM_MIN_PEOPLE:
        reason = (
            f"PostgreSQL has {free} free connections; a storm needs {STORM_MIN_PEOPLE}"
            f" + {CONNECTION_MARGIN}: raise max_connections"
        )
        if os.environ.get("CONVENE_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return people


@dataclass
class Outcome:
    results: list[Any] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def run_together(calls: list[Callable[[], Any]]) -> Outcome:
    """Run each call in its own thread, released at once by a barrier; collect results/errors.

    Every thread connects before the barrier, so the race is about queries, not connection
    set-up, and closes its own connection at the end (Django keeps one per thread).
    """
    barrier = threading.Barrier(len(calls))
    outcome = Outcome(results=[None] * len(calls))
    lock = threading.Lock()

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            outcome.results[index] = call()
        except BaseException as error:
            with lock:
                outcome.errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(index, call), daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return outcome


def register(event: Event, email: str) -> RegistrationResult:
    return registration_create(event=event, name="Guest", email=email, time_zone="Asia/Tehran")


def capacity_violations(event: Event, outcome: Outcome) -> list[str]:
    """What a person could notice is wrong with the event's seats; empty when all is well."""
    event.refresh_from_db()
    assert event.capacity is not None
    confirmed = Registration.objects.filter(event=event, status=Confirmed).count()
    waitlisted = Registration.objects.filter(event=event, status=Waitlisted).count()
    violations = []
    if confirmed > event.capacity:
        violations.append(f"overbooked: {confirmed} confirmed for {event.capacity} seats")
    if event.seats_taken != confirmed:
        violations.append(f"counter says {event.seats_taken} seats taken, {confirmed} confirmed")
    if waitlisted and confirmed < event.capacity:
        violations.append(f"{waitlisted} waiting while {event.capacity - confirmed} seats free")
    violations.extend(f"error: {error!r}" for error in outcome.errors)
    return violations


def storm(event: Event, people: int) -> Outcome:
    """``people`` different people register for ``event`` at the same moment."""
    return run_together(
        [lambda n=n: register(event, f"person{n}@example.org") for n in range(people)]
    )


@pytest.mark.parametrize("round_number", [1, 2, 3])
def test_simultaneous_registrations_four_times_the_seats_confirm_exactly_the_seats(
    round_number: int,
) -> None:
    people = storm_people()
    seats = people // 4
    event = EventFactory(capacity=seats)

    outcome = storm(event, people=people)

    assert capacity_violations(event, outcome) == []
    statuses = [result.registration.status for result in outcome.results]
    assert statuses.count(Confirmed) == seats
    assert statuses.count(Waitlisted) == people - seats
    assert all(result.created for result in outcome.results)
    event.refresh_from_db()
    assert event.seats_taken == seats
    assert event.seats_left == 0


def _naive_claim_counting_rows(event_id: int, **_hints: object) -> bool:
    """Counts confirmed rows (its own new one included), compares in Python, locks nothing."""
    event = Event.objects.get(pk=event_id)
    confirmed = Registration.objects.filter(event_id=event_id, status=Confirmed).count()
    time.sleep(0.002)  # the window between read and write that a busy server also has
    return event.capacity is None or confirmed <= event.capacity


def _naive_claim_read_then_write(event_id: int, **_hints: object) -> bool:
    """Reads the counter, compares in Python, writes back what it read plus one."""
    event = Event.objects.get(pk=event_id)
    if event.capacity is not None and event.seats_taken >= event.capacity:
        return False
    time.sleep(0.002)
    Event.objects.filter(pk=event_id).update(seats_taken=event.seats_taken + 1)
    return True


def _naive_claim_checking_in_python(event_id: int, **_hints: object) -> bool:
    """Compares in Python, then increments in SQL: only the check constraint stops it."""
    event = Event.objects.get(pk=event_id)
    if event.capacity is not None and event.seats_taken >= event.capacity:
        return False
    time.sleep(0.002)
    Event.objects.filter(pk=event_id).update(seats_taken=F("seats_taken") + 1)
    return True


@pytest.mark.parametrize(
    ("naive_claim", "expected_violation"),
    [
        (_naive_claim_counting_rows, "overbooked"),
        (_naive_claim_read_then_write, "overbooked"),
        (_naive_claim_checking_in_python, "error: IntegrityError"),
    ],
    ids=["counting-rows", "read-then-write-counter", "python-check-then-increment"],
)
def test_the_storm_detects_overbooking_when_the_seat_claim_is_naive(
    monkeypatch: pytest.MonkeyPatch,
    naive_claim: Callable[..., bool],
    expected_violation: str,
) -> None:
    """The real test's checks, run against read-then-write claims: they must see the race.

    The last variant never overbooks, because the database's check constraint
    ``event_seats_within_capacity`` refuses the extra seats; people then get errors instead.
    """
    people = storm_people()
    monkeypatch.setattr(services, "claim_seat", naive_claim)
    violations: list[str] = []
    for _attempt in range(5):
        event = EventFactory(capacity=people // 4)
        violations = capacity_violations(event, storm(event, people=people))
        if violations:
            break
    assert any(violation.startswith(expected_violation) for violation in violations), violations


def test_one_email_submitted_20_times_at_once_is_one_registration() -> None:
    event = EventFactory(capacity=50)
    spellings = ["ana@example.org", "Ana@Example.org", "  ANA@EXAMPLE.ORG ", "ana@example.ORG"]

    outcome = run_together(
        [lambda n=n: register(event, spellings[n % len(spellings)]) for n in range(20)]
    )

    assert outcome.errors == []
    rows = Registration.objects.filter(event=event)
    assert rows.count() == 1
    only = rows.get()
    assert only.email_normalized == "ana@example.org"
    assert {result.registration.pk for result in outcome.results} == {only.pk}
    assert sum(result.created for result in outcome.results) == 1
    event.refresh_from_db()
    assert event.seats_taken == 1


def _fill(event: Event, prefix: str, count: int) -> list[Registration]:
    return [register(event, f"{prefix}{n}@example.org").registration for n in range(count)]


def test_cancellations_racing_new_registrations_promote_the_waitlist_in_fifo_order() -> None:
    event = EventFactory(capacity=20)
    confirmed = _fill(event, "confirmed", 20)
    waiting = _fill(event, "waiting", 30)
    assert {registration.status for registration in waiting} == {Waitlisted}

    outcome = run_together(
        [lambda r=r: registration_cancel(registration=r) for r in confirmed[:10]]
        + [lambda n=n: register(event, f"newcomer{n}@example.org") for n in range(30)]
    )

    assert capacity_violations(event, outcome) == []
    event.refresh_from_db()
    assert event.seats_taken == 20
    now_confirmed = list(
        Registration.objects.filter(event=event, status=Confirmed).order_by("confirmed_at", "id")
    )
    promoted = [
        registration
        for registration in now_confirmed
        if registration.pk not in {kept.pk for kept in confirmed[10:]}
    ]
    # The ten freed seats went to the first ten on the waitlist, in the order they joined it;
    # no newcomer jumped the queue.
    assert [registration.pk for registration in promoted] == [r.pk for r in waiting[:10]]
    still_waiting = Registration.objects.filter(event=event, status=Waitlisted).order_by(
        "created_at", "id"
    )
    assert [r.email for r in still_waiting[:20]] == [r.email for r in waiting[10:]]
    assert still_waiting.count() == 20 + 30


def test_a_newcomer_waitlisted_while_a_cancellation_commits_gets_the_freed_seat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A narrow interleaving that a rush of threads rarely hits, so it is forced here.

    The newcomer finds the event full and pauses before writing their waitlist row; a
    cancellation tries to commit in that pause. Either the cancellation waits for the
    newcomer (and then promotes them), or it frees a seat the newcomer never gets: the
    newcomer would wait beside a free seat. (It did, before ``claim_seat`` locked the row
    when the event was full.)
    """
    event = EventFactory(capacity=1)
    (leaving,) = _fill(event, "leaving", 1)
    found_full = threading.Event()
    cancellation_done = threading.Event()
    real_claim_seat = services.claim_seat

    def claim_then_pause_when_full(event_id: int, **hints: bool) -> bool:
        claimed = real_claim_seat(event_id, **hints)
        if not claimed and not found_full.is_set():
            found_full.set()
            cancellation_done.wait(timeout=1)
        return claimed

    def cancel_once_the_newcomer_found_the_event_full() -> Registration:
        assert found_full.wait(timeout=10)
        cancelled = registration_cancel(registration=leaving)
        cancellation_done.set()
        return cancelled

    monkeypatch.setattr(services, "claim_seat", claim_then_pause_when_full)
    outcome = run_together(
        [
            lambda: register(event, "newcomer@example.org"),
            cancel_once_the_newcomer_found_the_event_full,
        ]
    )

    assert capacity_violations(event, outcome) == []
    newcomer = Registration.objects.get(event=event, email="newcomer@example.org")
    assert newcomer.status == Confirmed
