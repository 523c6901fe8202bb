"""Registration use cases: register, cancel, promote. Capacity is never exceeded.

How overbooking is prevented (DESIGN: Capacity): a seat is claimed with one conditional
``UPDATE event SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity``, in the same
transaction as the registration's INSERT. The UPDATE holds the event row's lock until the
transaction ends, so concurrent registrations for one event queue on that row, and a check
constraint (``seats_taken <= capacity``) backs it in the database. Cancelling locks the same
row, frees the seat and promotes the next waitlisted person before anyone else can take it.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from events.lifecycle import publish
from events.models import Event
from registrations.facts import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPending,
    RegistrationRepeated,
    RegistrationTimeZoneChanged,
    RegistrationWaitlisted,
)
from registrations.models import Registration
from registrations.selectors import (
    normalize_email,
    registration_active_for_email,
    registration_closed_reason,
)


class RegistrationError(Exception):
    """A registration request that cannot be honoured; the message is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RegistrationClosed(RegistrationError):
    pass


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool


def claim_seat(event_id: int) -> bool:
    """Take one seat if one is free; True on success. Holds the event row lock until commit."""
    claimed = (
        Event.objects.filter(pk=event_id)
        .filter(Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity")))
        .update(seats_taken=F("seats_taken") + 1)
    )
    return claimed == 1


def _release_seat(event_id: int) -> None:
    Event.objects.filter(pk=event_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    time_zone: str,
    language: str = Registration.Language.ENGLISH,
    answers: dict[str, Any] | None = None,
) -> RegistrationResult:
    """Register a person: confirmed while seats last, then waitlisted (FIFO).

    The same email (trimmed, case-insensitive) registering again gets the existing
    registration back, never a second row — also when both submits arrive at once.
    """
    reason = registration_closed_reason(event=event)
    if reason:
        raise RegistrationClosed(reason)
    existing = registration_active_for_email(event=event, email=email)
    if existing is not None:
        return _registration_repeated(existing)
    try:
        with transaction.atomic():
            registration = Registration(
                event=event,
                name=name,
                email=email.strip(),
                email_normalized=normalize_email(email),
                time_zone=time_zone,
                language=language,
                answers=answers or {},
            )
            now = timezone.now()
            if event.approval_required:
                registration.status = Registration.Status.PENDING
            elif claim_seat(event.pk):
                registration.status = Registration.Status.CONFIRMED
                registration.confirmed_at = now
            else:
                registration.status = Registration.Status.WAITLISTED
            registration.save()
            publish(_fact_for_new(registration))
    except IntegrityError:
        # A concurrent submit with the same email won the unique constraint; ours rolled
        # back whole, seat claim included.
        existing = registration_active_for_email(event=event, email=email)
        if existing is None:
            raise
        return _registration_repeated(existing)
    return RegistrationResult(registration=registration, created=True)


def _fact_for_new(registration: Registration) -> object:
    if registration.status == Registration.Status.CONFIRMED:
        return RegistrationConfirmed(registration=registration)
    if registration.status == Registration.Status.WAITLISTED:
        return RegistrationWaitlisted(registration=registration)
    return RegistrationPending(registration=registration)


def _registration_repeated(registration: Registration) -> RegistrationResult:
    with transaction.atomic():
        publish(RegistrationRepeated(registration=registration))
    return RegistrationResult(registration=registration, created=False)


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; a freed seat goes to the next waitlisted person at once.

    Cancelling an already cancelled registration changes nothing.
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Registration.Status.CANCELLED:
            return locked
        previous_status = locked.status
        locked.status = Registration.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        if previous_status == Registration.Status.CONFIRMED:
            _release_seat(event.pk)
        publish(RegistrationCancelled(registration=locked, previous_status=previous_status))
        waitlist_promote(event=event)
    return locked


def waitlist_promote(*, event: Event) -> list[Registration]:
    """Confirm waitlisted people in order while seats are free. Call inside a transaction."""
    promoted: list[Registration] = []
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        waiting = (
            Registration.objects.select_for_update()
            .filter(event=event, status=Registration.Status.WAITLISTED)
            .order_by("created_at", "id")
        )
        for registration in waiting.iterator(chunk_size=100):
            if not claim_seat(event.pk):
                break
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = timezone.now()
            registration.save(update_fields=["status", "confirmed_at"])
            publish(RegistrationConfirmed(registration=registration, promoted_from_waitlist=True))
            promoted.append(registration)
    return promoted


def registration_change_time_zone(*, registration: Registration, time_zone: str) -> Registration:
    """Change the zone reminders and emails are written in."""
    if registration.time_zone == time_zone:
        return registration
    with transaction.atomic():
        previous = registration.time_zone
        registration.time_zone = time_zone
        registration.full_clean(validate_unique=False, validate_constraints=False)
        registration.save(update_fields=["time_zone"])
        publish(RegistrationTimeZoneChanged(registration=registration, previous_time_zone=previous))
    return registration


# What an erased registration shows instead of the person's name; stored, so not translated.
ERASED_NAME = "Erased registrant"
# RFC 2606 reserves .invalid: an address there can never reach anyone.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def erased_email(registration_id: int) -> str:
    """The placeholder address of an erased registration, unique per registration."""
    return f"erased-{registration_id}@{ERASED_EMAIL_DOMAIN}"


def registration_erase(*, registration: Registration) -> Registration:
    """Anonymize a registration in place; erasing twice changes nothing.

    Name, email and answers go. Status, timestamps, time zone and language stay, so the
    event's counts and statistics stay right and no seat moves; none of them names a person
    once the rest is gone. The public id is replaced, so manage links and calendar invites
    already sent no longer lead to the registration. The placeholder email is unique per
    registration, which keeps the one-active-registration-per-email constraint satisfied.
    """
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.erased_at is not None:
            return locked
        locked.name = ERASED_NAME
        locked.email = erased_email(locked.pk)
        locked.email_normalized = locked.email
        locked.answers = {}
        locked.public_id = uuid.uuid4()
        locked.erased_at = timezone.now()
        locked.save(
            update_fields=["name", "email", "email_normalized", "answers", "public_id", "erased_at"]
        )
    return locked
