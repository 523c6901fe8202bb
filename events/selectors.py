"""Reads for the public event pages."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from events.models import CoHost, Event, EventQuerySet, Organization, OrganizationSlugRedirect


def events_upcoming() -> QuerySet[Event]:
    return Event.objects.published().upcoming().select_related("organization").order_by("starts_at")


def events_past() -> QuerySet[Event]:
    return Event.objects.published().past().select_related("organization").order_by("-starts_at")


def accepted_cohosts() -> Prefetch:
    """Prefetch an event's accepted co-hosts, with their organizations, as ``public_cohosts``."""
    return Prefetch(
        "cohosts",
        queryset=CoHost.objects.filter(
            status=CoHost.Status.ACCEPTED, organization__status=Organization.Status.ACTIVE
        ).select_related("organization"),
        to_attr="public_cohosts",
    )


def event_public(*, slug: str) -> Event | None:
    """A published or cancelled event by slug (drafts are not public)."""
    return (
        Event.objects.published()
        .select_related("organization")
        .prefetch_related("cosponsors", "speakers", "questions", accepted_cohosts())
        .filter(slug=slug)
        .first()
    )


# --- Organizations' public pages and feeds --------------------------------------------------

# A cancelled event stays in an organization's calendar feed this long, with STATUS:CANCELLED,
# so calendars that subscribed take it out rather than keep a stale entry.
FEED_KEEPS_CANCELLED = timedelta(days=30)
# Past events stay in the feed this long, so a subscribed calendar keeps its history.
FEED_KEEPS_PAST = timedelta(days=365)
ORGANIZATION_PAGE_PAST_EVENTS = 20


def organization_public(*, slug: str) -> Organization | None:
    """An active organization by its current slug (waiting or declined ones are not public)."""
    return Organization.objects.filter(slug=slug, status=Organization.Status.ACTIVE).first()


def organization_renamed_slug(*, old_slug: str) -> str | None:
    """The current slug of an active organization that was once ``old_slug``."""
    return (
        OrganizationSlugRedirect.objects.filter(
            old_slug=old_slug, organization__status=Organization.Status.ACTIVE
        )
        .values_list("organization__slug", flat=True)
        .first()
    )


def organization_events(organization: Organization) -> EventQuerySet:
    """The events an organization's public page and feeds list: its own and those it
    co-hosts."""
    cohosted = CoHost.objects.filter(
        organization=organization, status=CoHost.Status.ACCEPTED
    ).values_list("event_id", flat=True)
    return (
        Event.objects.published()
        .filter(Q(organization=organization) | Q(pk__in=cohosted))
        .select_related("organization")
    )


def organization_events_upcoming(organization: Organization) -> QuerySet[Event]:
    return organization_events(organization).upcoming().order_by("starts_at", "id")


def organization_events_past(organization: Organization) -> QuerySet[Event]:
    return organization_events(organization).past().order_by("-starts_at", "-id")


def organization_feed_events(
    organization: Organization, *, now: datetime | None = None
) -> QuerySet[Event]:
    """What the calendar feed carries: published events from the last year on, and cancelled
    ones for 30 days after their cancellation."""
    now = now or timezone.now()
    return (
        organization_events(organization)
        .filter(ends_at__gt=now - FEED_KEEPS_PAST)
        .filter(
            Q(status=Event.Status.PUBLISHED)
            | Q(status=Event.Status.CANCELLED, cancelled_at__gt=now - FEED_KEEPS_CANCELLED)
        )
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class FeedVersion:
    """What a conditional GET compares: changes whenever the feed's content would."""

    etag: str
    last_modified: datetime | None


def organization_feed_version(organization: Organization, *, language: str) -> FeedVersion:
    """One aggregate query: the number of events in the feed, their latest change and the
    sum of their SEQUENCEs, with the organization's own last change and the language."""
    summary = (
        organization_feed_events(organization)
        .order_by()
        .aggregate(count=Count("id"), changed=Max("updated_at"), sequences=Sum("feed_sequence"))
    )
    changed = max(
        (moment for moment in (summary["changed"], organization.updated_at) if moment),
        default=None,
    )
    fingerprint = "|".join(
        str(part)
        for part in (
            organization.pk,
            organization.slug,
            organization.updated_at.isoformat(),
            summary["count"],
            summary["changed"].isoformat() if summary["changed"] else "",
            summary["sequences"] or 0,
            language,
        )
    )
    return FeedVersion(
        etag=hashlib.sha256(fingerprint.encode()).hexdigest()[:32], last_modified=changed
    )
