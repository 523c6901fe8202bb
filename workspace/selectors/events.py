"""Every workspace read is scoped to the signed-in user's memberships.

See docs/design.md, "Permissions": a stranger gets 404, never a hint that a thing exists.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from events.models import Event
from registrations.models import Registration


def events_for_member(user: User) -> QuerySet[Event]:
    return Event.objects.filter(organization__memberships__user=user).select_related("organization")


def event_for_member_or_404(user: User, event_id: int) -> Event:
    """The event if the user belongs to its organization; otherwise 404, never a hint."""
    event = events_for_member(user).filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event.")
    return event


def _registration_counts(prefix: str = "") -> dict[str, Count]:
    """Count expressions per status; ``prefix`` reaches registrations through a relation."""
    status, checked_in = f"{prefix}status", f"{prefix}checked_in_at__isnull"
    target = prefix.rstrip("_") or "pk"
    return {
        "confirmed_count": Count(target, filter=Q(**{status: Registration.Status.CONFIRMED})),
        "waitlisted_count": Count(target, filter=Q(**{status: Registration.Status.WAITLISTED})),
        "pending_count": Count(target, filter=Q(**{status: Registration.Status.PENDING})),
        "cancelled_count": Count(target, filter=Q(**{status: Registration.Status.CANCELLED})),
        "checked_in_count": Count(
            target, filter=Q(**{status: Registration.Status.CONFIRMED, checked_in: False})
        ),
    }


def events_with_counts_for_member(user: User) -> QuerySet[Event]:
    """The member's events with registration counts per status, in one grouped query."""
    return events_for_member(user).annotate(**_registration_counts("registrations__"))


def event_registration_counts(event: Event) -> dict[str, int]:
    return Registration.objects.filter(event=event).aggregate(**_registration_counts())
