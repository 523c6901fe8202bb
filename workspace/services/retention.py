"""Attendee data that does not outlive its use (docs/privacy.md).

Each organization keeps an event's attendee data for ``retention_days`` after the event
ends; then its registrations are erased in place, as an organizer's per-person erase does,
and the audit log says how many. A series registration (one person, every session) is kept
as long as the series may still need it: until ``retention_days`` after the series is over
and its last session ended, or after the person left it and their last session before that
ended (docs/series.md, "Privacy"). Runs from Celery beat, and is safe to run twice or
concurrently: each registration is locked and erased once (``skip_locked`` hands rows
another run holds to that run), and each run counts only what it erased.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from events.models import Event, Organization
from registrations.models import Registration
from series.erasure import series_registration_erase
from series.models import Series, SeriesRegistration
from series.services import series_is_over
from workspace.audit import audit_record
from workspace.services.privacy import registration_erase_everywhere


@dataclass(frozen=True)
class RetentionResult:
    events: int
    registrations: int
    series_registrations: int = 0


def retention_erase_due(*, now: datetime | None = None) -> RetentionResult:
    """Erase every registration whose event ended more than its organization's window ago,
    and every series registration past its window."""
    now = now or timezone.now()
    events = registrations = 0
    for event in _events_past_retention(now=now):
        erased = _erase_event_registrations(event)
        if erased:
            events += 1
            registrations += erased
    series_registrations = sum(
        _erase_series_registrations(series, due)
        for series, due in _series_registrations_past_retention(now=now)
    )
    return RetentionResult(
        events=events, registrations=registrations, series_registrations=series_registrations
    )


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


def _series_registrations_past_retention(
    *, now: datetime
) -> list[tuple[Series, QuerySet[SeriesRegistration]]]:
    """Per series still holding someone's data: its series registrations past the window.

    All of them once the series is over and its last session that took place (or its end,
    if later) lies ``retention_days`` back; otherwise those who left that long ago and whose
    last session from before they left ended that long ago too.
    """
    due: list[tuple[Series, QuerySet[SeriesRegistration]]] = []
    for organization in Organization.objects.only("pk", "retention_days"):
        cutoff = now - timedelta(days=organization.retention_days)
        holding = (
            Series.objects.filter(organization=organization, registrations__erased_at__isnull=True)
            .select_related("organization")
            # Cancelled sessions never took place: an ended series' last one is its end.
            .annotate(
                last_end=Max(
                    "sessions__event__ends_at",
                    filter=~Q(sessions__event__status=Event.Status.CANCELLED),
                )
            )
            .distinct()
        )
        for series in holding:
            unerased = series.registrations.filter(erased_at__isnull=True)
            last = max(filter(None, [series.last_end, series.ended_at]), default=None)
            if series_is_over(series=series, now=now) and (last is None or last <= cutoff):
                due.append((series, unerased))
                continue
            session_after_cutoff = Event.objects.filter(
                series_session__series=series,
                starts_at__lt=OuterRef("left_at"),
                ends_at__gt=cutoff,
            )
            left = unerased.filter(
                Q(status=SeriesRegistration.Status.LEFT) & Q(left_at__lte=cutoff)
            ).exclude(Exists(session_after_cutoff))
            due.append((series, left))
    return due


def _series_registrations_locked(due: QuerySet[SeriesRegistration]) -> list[SeriesRegistration]:
    """``due``, locked; rows another run holds are skipped (that run erases and counts them)."""
    return list(due.select_for_update(skip_locked=True).order_by("pk"))


def _erase_series_registrations(series: Series, due: QuerySet[SeriesRegistration]) -> int:
    with transaction.atomic():
        members = _series_registrations_locked(due)
        for member in members:
            series_registration_erase(series_registration=member)
        if members:
            audit_record(
                actor=None,
                action="series_registrations.retention_erased",
                organization=series.organization,
                details={
                    "series_id": series.pk,
                    "series_registrations": len(members),
                    "retention_days": series.organization.retention_days,
                },
            )
    return len(members)
