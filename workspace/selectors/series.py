"""Series of the user's organizations, with per-session counts (docs/design.md, "Permissions")."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from events.models import Event
from series.models import Series
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
