"""Every workspace read is scoped to the signed-in user's memberships (DESIGN: Exports)."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from events.models import Event, Organization


def organizations_for_member(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user)


def events_for_member(user: User) -> QuerySet[Event]:
    return Event.objects.filter(organization__memberships__user=user).select_related("organization")


def event_for_member_or_404(user: User, event_id: int) -> Event:
    """The event if the user belongs to its organization; otherwise 404, never a hint."""
    event = events_for_member(user).filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event.")
    return event
