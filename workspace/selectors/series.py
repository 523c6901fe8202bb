"""Series of the user's organizations, with per-session counts (docs/design.md, "Permissions")."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from events.models import Event
from registrations.models import Registration
from series.models import Series, SeriesRegistration
from workspace.selectors.events import events_with_counts_for_member


def series_for_member(user: User) -> QuerySet[Series]:
    return Series.objects.filter(organization__memberships__user=user).select_related(
        "organization"
    )


def series_for_member_or_404(user: User, series_id: int) -> Series:
    series = series_for_member(user).filter(pk=series_id).first()
    if series is None:
        raise Http404("No such series.")
    return series


def series_sessions_with_counts(user: User, series: Series) -> QuerySet[Event]:
    """Every session, oldest first, with its counts per status (``confirmed_count``, …)."""
    return (
        events_with_counts_for_member(user)
        .filter(series_session__series=series)
        .select_related("series_session")
        .order_by("starts_at", "id")
    )


# One row per person and session (docs/series.md, "The attendee list").
SERIES_EXPORT_HEADERS = [
    "session_starts_at_utc",
    "session",
    "name",
    "email",
    "status",
    "time_zone",
    "registered_at_utc",
    "whole_series",
]


def series_attendee_rows(series: Series) -> Iterator[list[str]]:
    """Every registration of every session, by session then registration, as plain text.

    ``whole_series`` says whether the person is registered for every session."""
    members = set(
        series.registrations.filter(status=SeriesRegistration.Status.ACTIVE).values_list(
            "email_normalized", flat=True
        )
    )
    rows = (
        Registration.objects.filter(event__series_session__series=series)
        .order_by("event__starts_at", "event_id", "created_at", "id")
        .values_list(
            "event__starts_at",
            "event__title",
            "name",
            "email",
            "email_normalized",
            "status",
            "time_zone",
            "created_at",
        )
    )
    for starts_at, title, name, email, normalized, status, zone, created_at in rows.iterator(
        chunk_size=2000
    ):
        yield [
            starts_at.isoformat(),
            title,
            name,
            email,
            status,
            zone,
            created_at.isoformat(),
            "yes" if normalized in members else "no",
        ]
