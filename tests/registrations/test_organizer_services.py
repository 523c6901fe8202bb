"""Approvals, people added by hand, promoting one person, and check-in."""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import close_old_connections
from django.utils import timezone

from events import lifecycle
from events.models import Event
from registrations.facts import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationRejected,
    RegistrationWaitlisted,
)
from registrations.models import Registration
from registrations.organizer_services import (
    registration_add_by_organizer,
    registration_approve,
    registration_check_in,
    registration_promote,
    registration_reject,
    registration_undo_check_in,
)
from registrations.services import (
    AlreadyRegistered,
    EventFull,
    InvalidTransition,
    RegistrationClosed,
)
from tests.factories import EventFactory, register

pytestmark = pytest.mark.django_db

FACT_TYPES = (
    RegistrationConfirmed,
    RegistrationWaitlisted,
    RegistrationRejected,
    RegistrationCancelled,
)


@pytest.fixture
def facts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every registration fact published during the test, in order."""
    published: list[object] = []
    for fact_type in FACT_TYPES:
        handlers = [*lifecycle._handlers[fact_type], published.append]
        monkeypatch.setitem(lifecycle._handlers, fact_type, handlers)
    yield published


def approval_event(**fields: object) -> Event:
    return EventFactory(approval_required=True, **fields)


def seats_taken(event: Event) -> int:
    return Event.objects.get(pk=event.pk).seats_taken


def test_pending_registrations_take_no_seat() -> None:
    event = approval_event(capacity=1)
    pending = register(event, "a@example.org")
    assert pending.status == Registration.Status.PENDING
    assert seats_taken(event) == 0


def test_approving_gives_a_free_seat_and_tells_the_person(facts: list[object]) -> None:
    event = approval_event(capacity=1)
    pending = register(event, "a@example.org")
    approved = registration_approve(registration=pending)
    assert approved.status == Registration.Status.CONFIRMED
    assert approved.confirmed_at is not None
    assert seats_taken(event) == 1
    assert facts == [RegistrationConfirmed(registration=approved)]


def test_approving_when_full_puts_the_person_on_the_waitlist(facts: list[object]) -> None:
    event = approval_event(capacity=1)
    first, second = register(event, "a@example.org"), register(event, "b@example.org")
    registration_approve(registration=first)
    approved = registration_approve(registration=second)
    assert approved.status == Registration.Status.WAITLISTED
    assert seats_taken(event) == 1
    assert facts[-1] == RegistrationWaitlisted(registration=approved)


def test_only_pending_registrations_can_be_approved_or_declined() -> None:
    event = EventFactory(capacity=5)
    confirmed = register(event, "a@example.org")
    with pytest.raises(InvalidTransition):
        registration_approve(registration=confirmed)
    with pytest.raises(InvalidTransition):
        registration_reject(registration=confirmed, reason="no")
    assert Registration.objects.get(pk=confirmed.pk).status == Registration.Status.CONFIRMED


def test_declining_cancels_with_the_reason_and_a_rejection_fact(facts: list[object]) -> None:
    event = approval_event(capacity=1)
    pending = register(event, "a@example.org")
    rejected = registration_reject(registration=pending, reason="  Members only, sorry.  ")
    assert rejected.status == Registration.Status.CANCELLED
    assert rejected.rejection_reason == "Members only, sorry."
    assert rejected.cancelled_at is not None
    assert facts == [RegistrationRejected(registration=rejected)]
    assert seats_taken(event) == 0


def test_a_declined_person_may_register_again() -> None:
    event = approval_event()
    registration_reject(registration=register(event, "a@example.org"))
    again = register(event, "A@example.org")
    assert again.status == Registration.Status.PENDING


def test_cancelling_a_confirmed_seat_does_not_promote_pending_people() -> None:
    event = EventFactory(capacity=1)
    confirmed = register(event, "a@example.org")
    Event.objects.filter(pk=event.pk).update(approval_required=True)
    event.refresh_from_db()
    pending = register(event, "b@example.org")
    from registrations.services import registration_cancel

    registration_cancel(registration=confirmed)
    assert Registration.objects.get(pk=pending.pk).status == Registration.Status.PENDING
    assert seats_taken(event) == 0


def test_an_organizer_adds_someone_even_when_registration_is_closed_or_needs_approval() -> None:
    event = approval_event(capacity=2, registration_closes_at=timezone.now() - timedelta(minutes=1))
    added = registration_add_by_organizer(
        event=event, name="Ziba Karimi", email="ziba@example.org", time_zone="Asia/Tehran"
    )
    assert added.status == Registration.Status.CONFIRMED
    assert added.source == Registration.Source.ORGANIZER
    assert added.checked_in_at is None
    assert seats_taken(event) == 1


def test_someone_added_to_a_full_event_joins_the_waitlist(facts: list[object]) -> None:
    event = EventFactory(capacity=1)
    register(event, "a@example.org")
    added = registration_add_by_organizer(
        event=event, name="B", email="b@example.org", time_zone="UTC"
    )
    assert added.status == Registration.Status.WAITLISTED
    assert facts[-1] == RegistrationWaitlisted(registration=added, created=True)
    assert seats_taken(event) == 1


def test_a_walk_in_is_confirmed_and_checked_in_at_once() -> None:
    event = EventFactory(kind=Event.Kind.IN_PERSON, venue_name="Hall", capacity=2)
    walk_in = registration_add_by_organizer(
        event=event, name="Nasrin", email="nasrin@example.org", time_zone="UTC", walk_in=True
    )
    assert walk_in.status == Registration.Status.CONFIRMED
    assert walk_in.source == Registration.Source.WALK_IN
    assert walk_in.checked_in_at is not None


def test_a_walk_in_never_exceeds_capacity() -> None:
    event = EventFactory(kind=Event.Kind.IN_PERSON, venue_name="Hall", capacity=1)
    register(event, "a@example.org")
    with pytest.raises(EventFull):
        registration_add_by_organizer(
            event=event, name="Late", email="late@example.org", time_zone="UTC", walk_in=True
        )
    assert not Registration.objects.filter(email_normalized="late@example.org").exists()
    assert seats_taken(event) == 1


def test_walk_ins_are_only_for_events_with_a_door() -> None:
    event = EventFactory(kind=Event.Kind.WEBINAR)
    with pytest.raises(InvalidTransition):
        registration_add_by_organizer(
            event=event, name="W", email="w@example.org", time_zone="UTC", walk_in=True
        )


def test_adding_someone_already_registered_names_their_registration() -> None:
    event = EventFactory(capacity=5)
    existing = register(event, "ana@example.org")
    with pytest.raises(AlreadyRegistered) as raised:
        registration_add_by_organizer(
            event=event, name="Ana", email=" ANA@example.org ", time_zone="UTC"
        )
    assert raised.value.registration == existing
    assert "ana@example.org" in raised.value.message


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.CANCELLED])
def test_nobody_can_be_added_to_a_draft_or_cancelled_event(status: str) -> None:
    event = EventFactory(status=status)
    with pytest.raises(RegistrationClosed):
        registration_add_by_organizer(event=event, name="X", email="x@example.org", time_zone="UTC")


def test_promoting_one_waitlisted_person_out_of_turn_needs_a_free_seat() -> None:
    event = EventFactory(capacity=1)
    register(event, "a@example.org")
    first_in_line = register(event, "b@example.org")
    chosen = register(event, "c@example.org")
    with pytest.raises(EventFull):
        registration_promote(registration=chosen)
    # A seat frees up without the automatic promotion (e.g. capacity raised in the admin).
    Event.objects.filter(pk=event.pk).update(capacity=2)
    promoted = registration_promote(registration=chosen)
    assert promoted.status == Registration.Status.CONFIRMED
    assert Registration.objects.get(pk=first_in_line.pk).status == Registration.Status.WAITLISTED
    assert seats_taken(event) == 2


def test_only_waitlisted_people_can_be_promoted() -> None:
    event = EventFactory(capacity=3)
    with pytest.raises(InvalidTransition):
        registration_promote(registration=register(event, "a@example.org"))


def test_check_in_records_the_first_arrival_and_can_be_undone() -> None:
    event = EventFactory(kind=Event.Kind.HYBRID, venue_name="Hall", capacity=3)
    registration = register(event, "a@example.org")
    first = registration_check_in(registration=registration).checked_in_at
    assert first is not None
    assert registration_check_in(registration=registration).checked_in_at == first
    assert registration_undo_check_in(registration=registration).checked_in_at is None


@pytest.mark.parametrize("kind", [Event.Kind.WEBINAR, Event.Kind.AUDIO_ROOM])
def test_online_only_events_have_no_check_in(kind: str) -> None:
    registration = register(EventFactory(kind=kind), "a@example.org")
    with pytest.raises(InvalidTransition):
        registration_check_in(registration=registration)


def test_only_confirmed_people_can_be_checked_in() -> None:
    event = EventFactory(kind=Event.Kind.IN_PERSON, venue_name="Hall", capacity=1)
    register(event, "a@example.org")
    waitlisted = register(event, "b@example.org")
    with pytest.raises(InvalidTransition):
        registration_check_in(registration=waitlisted)
    assert Registration.objects.get(pk=waitlisted.pk).checked_in_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_overbook() -> None:
    event = approval_event(capacity=3)
    pending = [register(event, f"p{n}@example.org") for n in range(12)]
    barrier = threading.Barrier(len(pending))
    errors: list[BaseException] = []

    def approve(registration: Registration) -> None:
        try:
            barrier.wait(timeout=10)
            registration_approve(registration=registration)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=approve, args=(r,)) for r in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == 3
    assert statuses.count(Registration.Status.WAITLISTED) == 9
    assert seats_taken(event) == 3
