"""Series actions in the workspace: create, edit "this and all later sessions", edit the
questions and reminders, end."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from series.models import Series
from series.services import series_end as end_series
from series.services import series_generate, series_lock, series_update_from
from series.session_lists import (
    series_lists_apply,
    series_lists_read,
    series_reminder_rules_create_defaults,
)
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
        series_reminder_rules_create_defaults(series=series)
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


def series_lists_save(*, actor: User, series: Series, formsets: Mapping[str, Any]) -> int:
    """Save the series' questions and reminders (validated formsets) and apply the change to
    every session still ahead (series.session_lists); how many sessions that was."""
    with transaction.atomic():
        series = series_lock(series=series)
        previous = series_lists_read(series)
        for formset in formsets.values():
            formset.instance = series
            formset.save()
        sessions = series_lists_apply(series=series, previous=previous)
        changed = [prefix for prefix, formset in formsets.items() if formset.has_changed()]
        if changed:
            audit_record(
                actor=actor,
                action="series.lists_changed",
                organization=series.organization,
                details={"series_id": series.pk, "lists": changed, "sessions": len(sessions)},
            )
    return len(sessions)
