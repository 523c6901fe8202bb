"""The public calendar feed of an event."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from events.selectors import event_public
from notifications.invites import event_feed


@require_GET
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """``METHOD:PUBLISH`` .ics of a public event (no attendee, no join link)."""
    event = event_public(slug=slug)
    if event is None:
        raise Http404(_("No such event."))
    response = HttpResponse(event_feed(event=event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response
