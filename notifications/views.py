"""Calendar files: the public feed of an event, a registrant's own invite, and an
organization's calendar to subscribe to."""

from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_safe

from events.models import Organization
from events.selectors import (
    FeedVersion,
    event_public,
    organization_feed_events,
    organization_feed_version,
    organization_public,
)
from events.viewer import speak_organization_language
from events.views import redirect_if_renamed
from notifications.invites import (
    METHOD_REQUEST,
    event_feed,
    invite_for_registration,
    invite_sequence_sent,
    organization_feed,
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


def _feed_state(request: HttpRequest, slug: str) -> tuple[Organization, FeedVersion] | None:
    """The organization and its feed's version, looked up once per request.

    ``condition`` asks for the ETag and the Last-Modified separately, and the view needs the
    organization again: one lookup serves all three.
    """
    cached: tuple[Organization, FeedVersion] | None = getattr(request, "_feed_state", None)
    if cached is None:
        organization = organization_public(slug=slug)
        if organization is None:
            return None
        # Calendar apps rarely say which language they want (docs/design.md, "Organizations").
        speak_organization_language(request, organization)
        cached = organization, organization_feed_version(organization, language=get_language())
        request._feed_state = cached  # type: ignore[attr-defined]
    return cached


def _feed_etag(request: HttpRequest, slug: str) -> str | None:
    state = _feed_state(request, slug)
    return state[1].etag if state else None


def _feed_last_modified(request: HttpRequest, slug: str) -> datetime | None:
    state = _feed_state(request, slug)
    return state[1].last_modified if state else None


@require_safe
@condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)
def organization_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """An organization's calendar to subscribe to (webcal://), answering 304 when unchanged.

    Three queries whatever the number of events: the organization, the feed's version, the
    events with their organization (docs/design.md, "Calendar invites").
    """
    state = _feed_state(request, slug)
    if state is None:
        return redirect_if_renamed(request, slug)
    organization, _version = state
    body = organization_feed(
        organization=organization, events=organization_feed_events(organization)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{organization.slug}.ics"'
    # Revalidate every time: the ETag makes an unchanged feed a cheap 304.
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
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
