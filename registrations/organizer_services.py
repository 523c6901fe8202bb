"""Organizer actions on registrations: approvals, people added by hand, one-off promotion,
check-in. Seats are claimed as in ``registrations.services`` (its docstring says how), and
every action locks the event row before the registration, the order all services keep.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.languages import default_language
from events.lifecycle import publish
from events.models import Event
from registrations.facts import (
    RegistrationConfirmed,
    RegistrationRejected,
    RegistrationWaitlisted,
)
from registrations.models import Registration
from registrations.selectors import normalize_email, registration_active_for_email
from registrations.services import (
    AlreadyRegistered,
    EventFull,
    InvalidTransition,
    RegistrationClosed,
    claim_seat,
    fact_for_new_registration,
)


def _locked(registration: Registration) -> tuple[Event, Registration]:
    """Lock the event row first (the order every service here uses), then the registration."""
    # NO KEY: like claim_seat, it orders seat changes without holding up registrations'
    # inserts, which only need the event row's key.
    event = Event.objects.select_for_update(no_key=True).get(pk=registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def registration_approve(*, registration: Registration) -> Registration:
    """Approve a pending registration: confirmed if a seat is free, otherwise waitlisted.

    The waitlist is ordered by registration time, so an early registrant approved late
    keeps their place ahead of later ones.
    """
    with transaction.atomic():
        event, locked = _locked(registration)
        if locked.status != Registration.Status.PENDING:
            raise InvalidTransition(_("Only registrations awaiting approval can be approved."))
        if event.is_cancelled:
            raise InvalidTransition(_("This event has been cancelled."))
        if claim_seat(event.pk):
            locked.status = Registration.Status.CONFIRMED
            locked.confirmed_at = timezone.now()
            locked.save(update_fields=["status", "confirmed_at"])
            publish(RegistrationConfirmed(registration=locked))
        else:
            locked.status = Registration.Status.WAITLISTED
            locked.save(update_fields=["status"])
            publish(RegistrationWaitlisted(registration=locked))
    return locked


def registration_reject(*, registration: Registration, reason: str = "") -> Registration:
    """Decline a pending registration; the person is told (politely) by the listeners."""
    with transaction.atomic():
        _event, locked = _locked(registration)
        if locked.status != Registration.Status.PENDING:
            raise InvalidTransition(_("Only registrations awaiting approval can be declined."))
        locked.status = Registration.Status.CANCELLED
        locked.cancelled_at = locked.declined_at = timezone.now()
        locked.rejection_reason = reason.strip()
        locked.save(update_fields=["status", "cancelled_at", "declined_at", "rejection_reason"])
        publish(RegistrationRejected(registration=locked))
    return locked


def registration_add_by_organizer(
    *,
    event: Event,
    name: str,
    email: str,
    time_zone: str,
    language: str | None = None,
    walk_in: bool = False,
) -> Registration:
    """An organizer registers someone by hand; a walk-in is also checked in at once.

    The organizer's decision replaces approval and the registration window, but never
    capacity: a seat is claimed like any other. Without one, a person added ahead of the
    event joins the waitlist, and a walk-in is refused with ``EventFull`` (a waitlist at the
    door makes no sense; raise the capacity first).
    """
    if event.is_cancelled:
        raise RegistrationClosed(_("This event has been cancelled, so nobody can be added."))
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationClosed(_("People can only be added to a published event."))
    if walk_in and not event.has_venue:
        raise InvalidTransition(_("Walk-ins are only for in-person and hybrid events."))
    existing = registration_active_for_email(event=event, email=email)
    if existing is not None:
        raise _already_registered(existing)
    try:
        with transaction.atomic():
            registration = Registration(
                event=event,
                name=name,
                email=email.strip(),
                email_normalized=normalize_email(email),
                time_zone=time_zone,
                language=language or default_language(),
                source=Registration.Source.WALK_IN if walk_in else Registration.Source.ORGANIZER,
            )
            now = timezone.now()
            if claim_seat(event.pk):
                registration.status = Registration.Status.CONFIRMED
                registration.confirmed_at = now
                registration.checked_in_at = now if walk_in else None
            elif walk_in:
                raise EventFull(
                    _("The event is full. Raise the capacity first, then add the walk-in.")
                )
            else:
                registration.status = Registration.Status.WAITLISTED
            registration.save()
            publish(fact_for_new_registration(registration))
    except IntegrityError:
        existing = registration_active_for_email(event=event, email=email)
        if existing is None:
            raise
        raise _already_registered(existing) from None
    return registration


def _already_registered(registration: Registration) -> AlreadyRegistered:
    return AlreadyRegistered(
        _("%(email)s is already registered (%(status)s).")
        % {"email": registration.email, "status": registration.get_status_display()},
        registration,
    )


def registration_promote(*, registration: Registration) -> Registration:
    """Confirm one specific waitlisted person, out of turn, if a seat is free."""
    with transaction.atomic():
        event, locked = _locked(registration)
        if locked.status != Registration.Status.WAITLISTED:
            raise InvalidTransition(_("Only people on the waitlist can be promoted."))
        if event.is_cancelled:
            raise InvalidTransition(_("This event has been cancelled."))
        if not claim_seat(event.pk):
            raise EventFull(
                _("No seat is free. Raise the capacity to let people in from the waitlist.")
            )
        locked.status = Registration.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        publish(RegistrationConfirmed(registration=locked, promoted_from_waitlist=True))
    return locked


def registration_check_in(*, registration: Registration) -> Registration:
    """Mark a confirmed person as arrived; checking in twice keeps the first arrival time.

    Nobody is checked in at a cancelled event (its registrations stay confirmed, so status
    alone would let them through).
    """
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if not locked.event.has_venue:
            raise InvalidTransition(_("Check-in is only for in-person and hybrid events."))
        if locked.event.is_cancelled:
            raise InvalidTransition(
                _("This event has been cancelled, so nobody can be checked in.")
            )
        if locked.status != Registration.Status.CONFIRMED:
            raise InvalidTransition(_("Only confirmed registrations can be checked in."))
        if locked.checked_in_at is None:
            locked.checked_in_at = timezone.now()
            locked.save(update_fields=["checked_in_at"])
    return locked


def registration_undo_check_in(*, registration: Registration) -> Registration:
    """Take back a check-in made by mistake; also at a cancelled event, where it lets no one in
    and only corrects the record of who came."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.checked_in_at is not None:
            locked.checked_in_at = None
            locked.save(update_fields=["checked_in_at"])
    return locked
