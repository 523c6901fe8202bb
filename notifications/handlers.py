"""Which email each fact causes; wired in ``NotificationsConfig.ready``.

Handlers run inside the transaction of the change (``events.lifecycle``): the outbox rows
and invite SEQUENCE numbers commit or roll back together with it.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils import timezone

from events.facts import EventCancelled, EventChanged
from events.models import Event
from notifications.invites import (
    INVITE_CANCEL,
    INVITE_REQUEST,
    invite_sequence_bump,
    invite_sequence_current,
    invite_sequence_start,
    invite_sequences_bump,
)
from notifications.models import OutboxEmail
from notifications.outbox import outbox_email_for, outbox_enqueue, outbox_enqueue_bulk
from registrations.facts import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPending,
    RegistrationRejected,
    RegistrationRepeated,
    RegistrationWaitlisted,
)
from registrations.models import Registration

Kind = OutboxEmail.Kind

# Event fields whose change a confirmed registrant hears about (EventChanged.moved).
MOVING_FIELDS = ("starts_at", "ends_at", "kind", "venue_name", "venue_address", "join_url")


def _invite(method: str, sequence: int) -> dict[str, Any]:
    return {"invite": method, "sequence": sequence}


def on_registration_confirmed(fact: RegistrationConfirmed) -> None:
    registration = fact.registration
    sequence = invite_sequence_start(registration=registration)
    outbox_enqueue(
        kind=Kind.PROMOTED if fact.promoted_from_waitlist else Kind.CONFIRMATION,
        registration=registration,
        context=_invite(INVITE_REQUEST, sequence),
    )


def on_registration_waitlisted(fact: RegistrationWaitlisted) -> None:
    outbox_enqueue(kind=Kind.WAITLISTED, registration=fact.registration)


def on_registration_pending(fact: RegistrationPending) -> None:
    outbox_enqueue(kind=Kind.PENDING, registration=fact.registration)


def on_registration_rejected(fact: RegistrationRejected) -> None:
    outbox_enqueue(kind=Kind.REJECTED, registration=fact.registration)


def on_registration_cancelled(fact: RegistrationCancelled) -> None:
    registration = fact.registration
    context: dict[str, Any] = {"previous_status": fact.previous_status}
    if fact.previous_status == Registration.Status.CONFIRMED:
        # Only a confirmed registrant has the event in their calendar to take out.
        context |= _invite(INVITE_CANCEL, invite_sequence_bump(registration=registration))
    outbox_enqueue(kind=Kind.CANCELLATION, registration=registration, context=context)


def on_registration_repeated(fact: RegistrationRepeated) -> None:
    """Send the confirmation (or waitlist/pending notice) again — at most once per cooldown.

    The registration row is locked first, so two repeated submits at once send one email.
    """
    registration = fact.registration
    list(Registration.objects.select_for_update().filter(pk=registration.pk).values("pk"))
    kinds: tuple[str, ...]
    context: dict[str, Any] = {"repeated": True}
    if registration.status == Registration.Status.CONFIRMED:
        kinds = (Kind.CONFIRMATION, Kind.PROMOTED)
        context |= _invite(INVITE_REQUEST, invite_sequence_current(registration=registration))
    elif registration.status == Registration.Status.WAITLISTED:
        kinds = (Kind.WAITLISTED,)
    elif registration.status == Registration.Status.PENDING:
        kinds = (Kind.PENDING,)
    else:
        return
    since = timezone.now() - timedelta(seconds=settings.OUTBOX_RESEND_COOLDOWN)
    recent = OutboxEmail.objects.filter(
        registration=registration, kind__in=kinds, created_at__gte=since
    )
    if recent.exists():
        return
    outbox_enqueue(kind=kinds[0], registration=registration, context=context)


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


def on_event_changed(fact: EventChanged) -> None:
    """A new time or place: every confirmed registrant gets a REQUEST with a higher SEQUENCE."""
    if not fact.moved or fact.event.is_cancelled:
        return
    event = fact.event
    changes = [
        {
            "field": field,
            "old": _json_value(fact.previous[field]),
            "new": _json_value(getattr(event, field)),
        }
        for field in MOVING_FIELDS
        if field in fact.previous
    ]
    confirmed = list(_registrations(event, [Registration.Status.CONFIRMED]))
    sequences = invite_sequences_bump(registration_ids=[r.pk for r in confirmed])
    outbox_enqueue_bulk(
        emails=[
            outbox_email_for(
                kind=Kind.EVENT_UPDATED,
                registration=registration,
                context={"changes": changes} | _invite(INVITE_REQUEST, sequences[registration.pk]),
            )
            for registration in confirmed
        ]
    )


def on_event_cancelled(fact: EventCancelled) -> None:
    """Confirmed registrants get a CANCEL for their calendar; the others a notice."""
    event = fact.event
    confirmed = list(_registrations(event, [Registration.Status.CONFIRMED]))
    waiting = list(
        _registrations(event, [Registration.Status.WAITLISTED, Registration.Status.PENDING])
    )
    sequences = invite_sequences_bump(registration_ids=[r.pk for r in confirmed])
    said: dict[str, Any] = {"message": fact.message} if fact.message else {}
    outbox_enqueue_bulk(
        emails=[
            outbox_email_for(
                kind=Kind.EVENT_CANCELLED,
                registration=registration,
                context=said | _invite(INVITE_CANCEL, sequences[registration.pk]),
            )
            for registration in confirmed
        ]
        + [
            outbox_email_for(kind=Kind.EVENT_CANCELLED, registration=registration, context=said)
            for registration in waiting
        ]
    )


def _registrations(event: Event, statuses: list[str]) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event, status__in=statuses)
        .only("pk", "email", "language", "event_id")
        .order_by("pk")
    )
