"""Registration use cases: register, cancel, promote. Capacity is never exceeded.

How overbooking is prevented (docs/design.md, "Capacity"): a seat is claimed with one
``UPDATE event SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity``, in the same
transaction as the registration's INSERT. The UPDATE holds the event row's lock until the
transaction ends, so concurrent registrations for one event queue on that row, and a check
constraint (``seats_taken <= capacity``) backs it in the database. When no seat is free the
row is locked all the same, so putting someone on the waitlist is ordered with cancellations.
Cancelling locks the same row, frees the seat and promotes the next waitlisted person before
anyone else can take it. tests/registrations/test_concurrency.py proves all of this on
PostgreSQL, and shows the same checks fail with a read-then-write claim.

Every registration for an event queues on that one row, so the lock is taken as late as
possible: the registration row and whatever the listeners of its fact write (outbox rows,
invites) come first, with the status the event's seat count predicts, and the claim comes
last. Should the claim disagree (at the last seats, or as cancellations free some), the
transaction is rolled back and retried the other way.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.languages import default_language
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


class EventFull(RegistrationError):
    """No seat is free, and the action needs one (the waitlist is not an option here)."""


class AlreadyRegistered(RegistrationError):
    def __init__(self, message: str, registration: Registration) -> None:
        super().__init__(message)
        self.registration = registration


class InvalidTransition(RegistrationError):
    """The registration is not in the state this action needs (e.g. approving a cancelled one)."""


@dataclass(frozen=True)
class Consent:
    """The consent line a registrant ticked, as shown to them, and the page's language."""

    text: str
    language: str


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool


_EVENT_TABLE = Event._meta.db_table
# The conditional claim (module docstring), written once in SQL: building it with the ORM
# (two Q objects and two F expressions) was a quarter of the service's CPU per registration.
# Table name from the model, no input: nothing here can inject.
_TAKE_FREE_SEAT_SQL = (
    f'UPDATE "{_EVENT_TABLE}" SET "seats_taken" = "seats_taken" + 1 '  # noqa: S608
    'WHERE "id" = %s AND ("capacity" IS NULL OR "seats_taken" < "capacity")'
)


def _take_free_seat(event_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_FREE_SEAT_SQL, [event_id])
        return cursor.rowcount == 1


def claim_seat(event_id: int, *, expect_free: bool = True) -> bool:
    """Take one seat if one is free; True on success. Call inside a transaction.

    Either way the event row stays locked until the transaction ends. An UPDATE whose
    condition fails locks nothing, and a waitlist entry written without the lock could miss
    a cancellation committing meanwhile: that seat would stay free while its owner-to-be
    waits (test_a_newcomer_waitlisted_while_a_cancellation_commits_gets_the_freed_seat).
    ``expect_free=False`` (the event looked full) locks first rather than queueing twice.
    """
    if expect_free and _take_free_seat(event_id):
        return True
    # NO KEY: other transactions may still insert rows that point at this event.
    seats_taken, capacity = (
        Event.objects.select_for_update(no_key=True)
        .values_list("seats_taken", "capacity")
        .get(pk=event_id)
    )
    # A seat freed between the UPDATE and the lock is free now, and stays so until commit.
    if capacity is None or seats_taken < capacity:
        return _take_free_seat(event_id)
    return False


def _release_seat(event_id: int) -> None:
    Event.objects.filter(pk=event_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


class _SeatGuessWrong(Exception):
    """Seats came or went between reading the event and claiming: undo, guess the other way."""


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    time_zone: str,
    language: str | None = None,
    answers: dict[str, Any] | None = None,
    consent: Consent | None = None,
) -> RegistrationResult:
    """Register a person: confirmed while seats last, then waitlisted (FIFO).

    The same email (trimmed, case-insensitive) registering again gets the existing
    registration back, never a second row — also when both submits arrive at once.
    ``consent`` is the line the person ticked, stored with the registration as they saw it.
    """
    reason = registration_closed_reason(event=event)
    if reason:
        raise RegistrationClosed(reason)
    fields: dict[str, Any] = {
        "event": event,
        "name": name,
        "email": email.strip(),
        "email_normalized": normalize_email(email),
        "time_zone": time_zone,
        "language": language or default_language(),
        "answers": answers or {},
    }
    if consent is not None:
        fields.update(
            consent_text=consent.text,
            consent_language=consent.language,
            consented_at=timezone.now(),
        )
    # The event as read predicts the seat; if the claim says otherwise, the other guess; if
    # seats keep coming and going, decide under the lock before telling anyone (None).
    looks_free = event.seats_left != 0
    guesses: list[bool | None] = (
        [None] if event.approval_required else [looks_free, not looks_free, None]
    )
    for seat_expected in guesses:
        registration = Registration(**fields)
        try:
            with transaction.atomic():
                _register(registration, seat_expected=seat_expected)
        except _SeatGuessWrong:
            continue
        except IntegrityError:
            # This email is already registered (the unique constraint said so, also for a
            # concurrent submit that just won); ours rolled back whole, seat claim included.
            # Asking the constraint rather than looking first saves a query per registration.
            existing = registration_active_for_email(event=event, email=email)
            if existing is None:
                raise
            return _registration_repeated(existing)
        break
    return RegistrationResult(registration=registration, created=True)


def _register(registration: Registration, *, seat_expected: bool | None) -> None:
    """Write the registration and its facts' rows, claiming the seat last (module docstring).

    Every registration for an event queues on the event's row, so its lock is taken after
    everything else: only the claim and the commit happen while others wait.
    """
    event = registration.event
    if event.approval_required:
        registration.status = Registration.Status.PENDING
    elif seat_expected is None:
        _set_seated(registration, claim_seat(event.pk))
    else:
        _set_seated(registration, seat_expected)
    registration.save()
    publish(fact_for_new_registration(registration))
    if seat_expected is None:
        return
    seated = claim_seat(event.pk, expect_free=seat_expected)
    if seated != seat_expected:
        raise _SeatGuessWrong


def _set_seated(registration: Registration, seated: bool) -> None:
    if seated:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = timezone.now()
    else:
        registration.status = Registration.Status.WAITLISTED


def fact_for_new_registration(registration: Registration) -> object:
    """The fact a registration just created with its first status publishes."""
    if registration.status == Registration.Status.CONFIRMED:
        return RegistrationConfirmed(registration=registration, created=True)
    if registration.status == Registration.Status.WAITLISTED:
        return RegistrationWaitlisted(registration=registration)
    return RegistrationPending(registration=registration)


def _registration_repeated(registration: Registration) -> RegistrationResult:
    with transaction.atomic():
        publish(RegistrationRepeated(registration=registration))
    return RegistrationResult(registration=registration, created=False)


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; a freed seat goes to the next waitlisted person at once.

    Cancelling an already cancelled registration changes nothing. Once the event has ended
    nothing moves: the cancellation is refused (``InvalidTransition``).
    """
    with transaction.atomic():
        event = Event.objects.select_for_update(no_key=True).get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Registration.Status.CANCELLED:
            return locked
        if event.has_ended:
            raise InvalidTransition(
                _("This event has already taken place; its registrations no longer change.")
            )
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
    """Confirm waitlisted people in order while seats are free. Call inside a transaction.

    Nobody moves up once the event has ended: a seat in the past is no use to anyone, and its
    confirmation would invite them to it.
    """
    promoted: list[Registration] = []
    with transaction.atomic():
        seats_taken, capacity, ends_at = (
            Event.objects.select_for_update(no_key=True)
            .values_list("seats_taken", "capacity", "ends_at")
            .get(pk=event.pk)
        )
        if ends_at <= timezone.now():
            return promoted
        if capacity is not None and seats_taken >= capacity:
            return promoted
        waiting = (
            Registration.objects.select_for_update()
            .filter(event=event, status=Registration.Status.WAITLISTED)
            .order_by("created_at", "id")
        )
        # Lock only the people who can get a seat, not the whole waitlist.
        if capacity is not None:
            waiting = waiting[: capacity - seats_taken]
        for registration in waiting.iterator(chunk_size=100):
            if not _take_free_seat(event.pk):
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
ERASED_TIME_ZONE = "UTC"
# RFC 2606 reserves .invalid: an address there can never reach anyone.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def erased_email(registration_id: int) -> str:
    """The placeholder address of an erased registration, unique per registration."""
    return f"erased-{registration_id}@{ERASED_EMAIL_DOMAIN}"


def registration_erase(*, registration: Registration) -> Registration:
    """Anonymize a registration in place; erasing twice changes nothing.

    Name, email, time zone and answers go (a zone narrows down where a person lives, which
    for some supporters is itself the risk: docs/privacy.md). Status, timestamps, language
    and consent stay, so the event's counts and attendance stay right and no seat moves;
    none of them names a person once the rest is gone. The public id is replaced, so manage
    links and calendar invites already sent no longer lead to the registration. The
    placeholder email is unique per registration, which keeps the
    one-active-registration-per-email constraint satisfied.
    """
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.erased_at is not None:
            return locked
        locked.name = ERASED_NAME
        locked.email = erased_email(locked.pk)
        locked.email_normalized = locked.email
        locked.time_zone = ERASED_TIME_ZONE
        locked.answers = {}
        locked.public_id = uuid.uuid4()
        locked.erased_at = timezone.now()
        locked.save(
            update_fields=[
                "name",
                "email",
                "email_normalized",
                "time_zone",
                "answers",
                "public_id",
                "erased_at",
            ]
        )
    return locked
