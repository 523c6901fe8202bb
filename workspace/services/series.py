"""Series actions in the workspace: create, edit "this and all later sessions", end."""

from datetime import date

from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from series.models import Series
from series.services import series_end as end_series
from series.services import series_generate, series_update_from
from workspace.audit import audit_record


def unique_series_slug(title: str) -> str:
    base = (slugify(title) or "series")[:200].strip("-")
    taken = set(Series.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken or candidate == "r":
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def series_create(*, actor: User, series: Series) -> Series:
    """Save a new series (as its form built it) and generate its first sessions."""
    with transaction.atomic():
        series.slug = unique_series_slug(series.title)
        series.full_clean()
        series.save()
        series_generate(series=series)
        audit_record(
            actor=actor,
            action="series.created",
            organization=series.organization,
            details={"series_id": series.pk, "title": series.title},
        )
    return series


def series_update(*, actor: User, series: Series, occurrence: date, previous_rrule: str) -> Series:
    """Save the edited series for the session of ``occurrence`` and every later one."""
    with transaction.atomic():
        moved = series_update_from(
            series=series, occurrence=occurrence, previous_rrule=previous_rrule
        )
        audit_record(
            actor=actor,
            action="series.updated",
            organization=series.organization,
            details={
                "series_id": series.pk,
                "from": occurrence.isoformat(),
                "sessions": len(moved),
            },
        )
    return series


def series_end(*, actor: User, series: Series, message: str = "") -> Series:
    with transaction.atomic():
        cancelled = end_series(series=series, message=message)
        audit_record(
            actor=actor,
            action="series.ended",
            organization=series.organization,
            details={"series_id": series.pk, "sessions_cancelled": len(cancelled)},
        )
    return series
