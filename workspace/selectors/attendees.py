"""The registrations of one event, already fetched through ``event_for_member_or_404``."""

from django.http import Http404

from events.models import Event
from registrations.models import Registration


def registration_for_event_or_404(event: Event, registration_id: int) -> Registration:
    """A registration of this (already membership-checked) event; 404 for any other."""
    registration = (
        Registration.objects.select_related("event").filter(pk=registration_id, event=event).first()
    )
    if registration is None:
        raise Http404("No such registration.")
    return registration


def waitlist_positions(event: Event) -> dict[int, int]:
    """Registration id → place on the waitlist (1 is next), for a whole page at once."""
    waiting = (
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    return {registration_id: place for place, registration_id in enumerate(waiting, start=1)}
