"""Attendee data that does not outlive its use (docs/privacy.md).

Each organization keeps an event's attendee data for ``retention_days`` after the event
ends; then its registrations are erased in place, as an organizer's per-person erase does,
and the audit log says how many. Runs from Celery beat, and is safe to run twice or
concurrently: each registration is locked and erased once (``skip_locked`` hands rows
another run holds to that run), and each run counts only what it erased.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from events.models import Event, Organization
from registrations.models import Registration
from workspace.audit import audit_record
from workspace.services.privacy import registration_erase_everywhere


@dataclass(frozen=True)
class RetentionResult:
    events: int
    registrations: int


def retention_erase_due(*, now: datetime | None = None) -> RetentionResult:
    """Erase every registration whose event ended more than its organization's window ago."""
    now = now or timezone.now()
    events = registrations = 0
    for event in _events_past_retention(now=now):
        erased = _erase_event_registrations(event)
        if erased:
            events += 1
            registrations += erased
    return RetentionResult(events=events, registrations=registrations)


def _events_past_retention(*, now: datetime) -> list[Event]:
    """Events whose retention window has passed and that still hold someone's data."""
    due: list[Event] = []
    for organization in Organization.objects.only("pk", "retention_days"):
        cutoff = now - timedelta(days=organization.retention_days)
        due.extend(
            Event.objects.filter(
                organization=organization,
                ends_at__lte=cutoff,
                registrations__erased_at__isnull=True,
            )
            .select_related("organization")
            .distinct()
        )
    return due


def _unerased_registrations_locked(event: Event) -> list[Registration]:
    """The event's registrations still holding data, locked; rows another run holds are
    skipped (that run erases and counts them)."""
    return list(
        Registration.objects.select_for_update(skip_locked=True)
        .filter(event=event, erased_at__isnull=True)
        .order_by("pk")
    )


def _erase_event_registrations(event: Event) -> int:
    with transaction.atomic():
        registrations = _unerased_registrations_locked(event)
        for registration in registrations:
            registration.event = event
            registration_erase_everywhere(registration=registration)
        if registrations:
            audit_record(
                actor=None,
                action="registrations.retention_erased",
                organization=event.organization,
                event=event,
                details={
                    "registrations": len(registrations),
                    "retention_days": event.organization.retention_days,
                },
            )
    return len(registrations)
