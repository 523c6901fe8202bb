from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from events.models import Event
from events.services import event_cancel, event_save, event_snapshot
from registrations.models import Registration
from registrations.selectors import (
    registration_from_manage_token,
    registration_manage_token,
    waitlist_position,
)
from registrations.services import (
    InvalidTransition,
    RegistrationClosed,
    registration_cancel,
    registration_create,
)
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def register(event: Event, email: str, **overrides: object) -> Registration:
    fields = {"name": "Ana", "email": email, "time_zone": "Asia/Tehran", **overrides}
    return registration_create(event=event, **fields).registration  # type: ignore[arg-type]


def test_registrations_are_confirmed_until_capacity_then_waitlisted_in_order() -> None:
    event = EventFactory(capacity=2)
    first, second, third, fourth = (register(event, f"p{n}@example.org") for n in range(4))
    assert [first.status, second.status] == ["confirmed", "confirmed"]
    assert [third.status, fourth.status] == ["waitlisted", "waitlisted"]
    assert [waitlist_position(third), waitlist_position(fourth)] == [1, 2]
    event.refresh_from_db()
    assert event.seats_taken == 2
    assert event.seats_left == 0


def test_unlimited_capacity_confirms_everyone() -> None:
    event = EventFactory(capacity=None)
    statuses = {register(event, f"p{n}@example.org").status for n in range(5)}
    assert statuses == {"confirmed"}


def test_cancelling_a_confirmed_seat_promotes_the_first_waitlisted_person() -> None:
    event = EventFactory(capacity=1)
    confirmed = register(event, "a@example.org")
    first_waiting = register(event, "b@example.org")
    second_waiting = register(event, "c@example.org")

    registration_cancel(registration=confirmed)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed"
    assert first_waiting.confirmed_at is not None
    assert second_waiting.status == "waitlisted"
    assert waitlist_position(second_waiting) == 1
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_cancelling_a_waitlisted_registration_frees_no_seat() -> None:
    event = EventFactory(capacity=1)
    register(event, "a@example.org")
    waiting = register(event, "b@example.org")
    registration_cancel(registration=waiting)
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert Registration.objects.get(pk=waiting.pk).status == "cancelled"


def test_cancelling_twice_is_a_no_op() -> None:
    event = EventFactory(capacity=1)
    registration = register(event, "a@example.org")
    registration_cancel(registration=registration)
    cancelled_at = Registration.objects.get(pk=registration.pk).cancelled_at
    registration_cancel(registration=registration)
    event.refresh_from_db()
    assert event.seats_taken == 0
    assert Registration.objects.get(pk=registration.pk).cancelled_at == cancelled_at


def test_raising_capacity_promotes_the_waitlist_in_order() -> None:
    event = EventFactory(capacity=1)
    register(event, "a@example.org")
    waiting = [register(event, f"w{n}@example.org") for n in range(3)]
    previous = event_snapshot(event)
    event.capacity = 3
    event_save(event=event, previous=previous)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_after_the_event_ended_a_cancellation_is_refused_and_nobody_moves_up() -> None:
    event = EventFactory(capacity=1)
    confirmed = register(event, "a@example.org")
    waiting = register(event, "b@example.org")
    mail.outbox.clear()

    with time_machine.travel(event.ends_at + timedelta(minutes=1)):
        with pytest.raises(InvalidTransition, match="already taken place"):
            registration_cancel(registration=confirmed)
        previous = event_snapshot(event)
        event.capacity = 2
        event_save(event=event, previous=previous)

    assert Registration.objects.get(pk=confirmed.pk).status == "confirmed"
    assert Registration.objects.get(pk=waiting.pk).status == "waitlisted"
    assert mail.outbox == []


def test_capacity_cannot_drop_below_confirmed_seats() -> None:
    from django.core.exceptions import ValidationError

    event = EventFactory(capacity=3)
    register(event, "a@example.org")
    register(event, "b@example.org")
    previous = event_snapshot(event)
    event.capacity = 1
    with pytest.raises(ValidationError):
        event_save(event=event, previous=previous)


def test_same_email_in_other_case_and_spaces_returns_the_existing_registration() -> None:
    event = EventFactory(capacity=5)
    first = registration_create(event=event, name="Ana", email="Ana@Example.org", time_zone="UTC")
    again = registration_create(
        event=event, name="Ana B", email="  ana@example.ORG ", time_zone="UTC"
    )
    assert first.created and not again.created
    assert again.registration.pk == first.registration.pk
    assert Registration.objects.filter(event=event).count() == 1


def test_after_cancelling_the_same_email_may_register_again() -> None:
    event = EventFactory(capacity=5)
    first = register(event, "a@example.org")
    registration_cancel(registration=first)
    second = register(event, "a@example.org")
    assert second.pk != first.pk
    assert second.status == "confirmed"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": Event.Status.DRAFT}, "not open"),
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        (
            {
                "starts_at": timezone.now() - timedelta(days=2),
                "ends_at": timezone.now() - timedelta(days=2) + timedelta(hours=1),
            },
            "already taken place",
        ),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "not opened"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "closed"),
    ],
)
def test_registration_outside_the_window_is_refused_without_a_row(
    overrides: dict[str, object], message: str
) -> None:
    event = EventFactory(**overrides)
    with pytest.raises(RegistrationClosed, match=message):
        register(event, "a@example.org")
    assert not Registration.objects.exists()


def test_approval_required_makes_registrations_pending_without_taking_a_seat() -> None:
    event = EventFactory(capacity=1, approval_required=True)
    registration = register(event, "a@example.org")
    event.refresh_from_db()
    assert registration.status == "pending"
    assert event.seats_taken == 0


def test_manage_token_round_trips_and_rejects_tampering() -> None:
    event = EventFactory()
    registration = register(event, "a@example.org")
    token = registration_manage_token(registration)
    assert registration_from_manage_token(token) == registration
    assert registration_from_manage_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert registration_from_manage_token("nonsense") is None
    assert registration_from_manage_token("") is None


def test_cancelling_an_event_leaves_registrations_to_the_listeners() -> None:
    event = EventFactory(capacity=2)
    register(event, "a@example.org")
    event_cancel(event=event)
    event.refresh_from_db()
    assert event.is_cancelled
    with pytest.raises(RegistrationClosed):
        register(event, "b@example.org")


def test_an_event_cannot_take_a_reserved_slug() -> None:
    from django.core.exceptions import ValidationError

    event = EventFactory.build(slug="past", organization=EventFactory().organization)
    with pytest.raises(ValidationError, match="reserved"):
        event_save(event=event)


def test_an_event_read_before_the_last_seat_went_still_waitlists() -> None:
    event = EventFactory(capacity=1)
    read_when_one_seat_was_left = Event.objects.get(pk=event.pk)
    register(event, "first@example.org")

    late = register(read_when_one_seat_was_left, "late@example.org")

    late.refresh_from_db()
    assert late.status == "waitlisted"
    assert late.confirmed_at is None
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_an_event_read_while_full_confirms_when_a_seat_was_freed_meanwhile() -> None:
    event = EventFactory(capacity=1)
    leaving = register(event, "leaving@example.org")
    read_while_full = Event.objects.get(pk=event.pk)
    registration_cancel(registration=leaving)

    lucky = register(read_while_full, "lucky@example.org")

    lucky.refresh_from_db()
    assert lucky.status == "confirmed"
    assert lucky.confirmed_at is not None
    event.refresh_from_db()
    assert event.seats_taken == 1
