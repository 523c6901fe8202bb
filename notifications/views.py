"""Calendar files: the public feed of an event, and a registrant's own invite."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from events.selectors import event_public
from notifications.invites import (
    METHOD_REQUEST,
    event_feed,
    invite_for_registration,
    invite_sequence_sent,
)
from registrations.models import Registration
from registrations.selectors import registration_from_manage_token


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


@require_GET
def registration_invite(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmed registrant's own invite, as emailed: same UID, same SEQUENCE.

    Adding it where the emailed one is already gives the calendar the same event again,
    not a second one (the public feed has another UID). Only while it would be sent.
    """
    registration = registration_from_manage_token(token)
    if (
        registration is None
        or registration.status != Registration.Status.CONFIRMED
        or registration.event.is_cancelled
    ):
        raise Http404(_("No invite for this link."))
    manage_url = settings.SITE_URL + reverse("registrations:manage", kwargs={"token": token})
    # In the registrant's language, as the emailed invite is (notifications.rendering).
    with translation.override(registration.language):
        calendar = invite_for_registration(
            registration=registration,
            method=METHOD_REQUEST,
            sequence=invite_sequence_sent(registration=registration),
            manage_url=manage_url,
        )
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    # It carries the join link: for this person only, never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
