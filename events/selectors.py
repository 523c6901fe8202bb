"""Reads for the public event pages."""

from django.db.models import QuerySet

from events.models import Event


def events_upcoming() -> QuerySet[Event]:
    return Event.objects.published().upcoming().select_related("organization").order_by("starts_at")


def events_past() -> QuerySet[Event]:
    return Event.objects.published().past().select_related("organization").order_by("-starts_at")


def event_public(*, slug: str) -> Event | None:
    """A published or cancelled event by slug (drafts are not public)."""
    return (
        Event.objects.published()
        .select_related("organization")
        .prefetch_related("cosponsors", "speakers", "questions")
        .filter(slug=slug)
        .first()
    )
