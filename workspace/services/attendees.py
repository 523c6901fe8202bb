"""Attendee actions: approvals, people added by hand, cancelling, promoting, check-in."""

from typing import Any

from django.db import transaction

from events.models import Event
from registrations import organizer_services, services
from registrations.models import Registration
from workspace.audit import Actor, audit_record


def _record(actor: Actor, action: str, registration: Registration, **details: object) -> None:
    event = registration.event
    audit_record(
        actor=actor,
        action=action,
        organization=event.organization,
        event=event,
        details={"registration": registration.pk, **details},
    )


def registration_approve(*, actor: Actor, registration: Registration) -> Registration:
    with transaction.atomic():
        approved = organizer_services.registration_approve(registration=registration)
        _record(actor, "registration.approved", approved, status=approved.status)
    return approved


def registration_reject(*, actor: Actor, registration: Registration, reason: str) -> Registration:
    with transaction.atomic():
        rejected = organizer_services.registration_reject(registration=registration, reason=reason)
        _record(actor, "registration.rejected", rejected)
    return rejected


def registration_cancel(*, actor: Actor, registration: Registration) -> Registration:
    with transaction.atomic():
        previous_status = registration.status
        cancelled = services.registration_cancel(registration=registration)
        if previous_status != Registration.Status.CANCELLED:
            _record(actor, "registration.cancelled", cancelled, previous_status=previous_status)
    return cancelled


def registration_promote(*, actor: Actor, registration: Registration) -> Registration:
    with transaction.atomic():
        promoted = organizer_services.registration_promote(registration=registration)
        _record(actor, "registration.promoted", promoted)
    return promoted


def registration_add(
    *,
    actor: Actor,
    event: Event,
    name: str,
    email: str,
    time_zone: str,
    language: str,
    walk_in: bool,
) -> Registration:
    with transaction.atomic():
        registration = organizer_services.registration_add_by_organizer(
            event=event,
            name=name,
            email=email,
            time_zone=time_zone,
            language=language,
            walk_in=walk_in,
        )
        registration.event = event
        _record(
            actor,
            "registration.walk_in" if walk_in else "registration.added",
            registration,
            status=registration.status,
        )
    return registration


def registration_check_in(*, actor: Actor, registration: Registration) -> Registration:
    with transaction.atomic():
        was_checked_in = registration.checked_in_at is not None
        checked_in = organizer_services.registration_check_in(registration=registration)
        if not was_checked_in:
            _record(actor, "registration.checked_in", checked_in)
    return checked_in


def registration_undo_check_in(*, actor: Actor, registration: Registration) -> Registration:
    with transaction.atomic():
        was_checked_in = registration.checked_in_at is not None
        undone = organizer_services.registration_undo_check_in(registration=registration)
        if was_checked_in:
            _record(actor, "registration.check_in_undone", undone)
    return undone


def registration_register(
    *,
    actor: Actor,
    event: Event,
    name: str,
    email: str,
    time_zone: str,
    language: str,
    answers: dict[str, Any],
) -> services.RegistrationResult:
    """Register someone exactly as the public form does (window, approval, capacity, emails),
    on behalf of the actor (an API client): the audit log records who added them."""
    with transaction.atomic():
        result = services.registration_create(
            event=event,
            name=name,
            email=email,
            time_zone=time_zone,
            language=language,
            answers=answers,
        )
        if result.created:
            _record(
                actor, "registration.added", result.registration, status=result.registration.status
            )
    return result
