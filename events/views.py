from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.feeds import OrganizationEventsFeed
from events.logos import LOGO_CONTENT_TYPES
from events.selectors import (
    ORGANIZATION_PAGE_PAST_EVENTS,
    events_past,
    events_upcoming,
    organization_events_past,
    organization_events_upcoming,
    organization_public,
    organization_renamed_slug,
)
from events.viewer import speak_organization_language, viewer_time_zone

EVENTS_PER_PAGE = 20


def event_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(events_upcoming(), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {"page": page, "viewer_zone": viewer_time_zone(request), "past": False},
    )


def event_list_past(request: HttpRequest) -> HttpResponse:
    page = Paginator(events_past(), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {"page": page, "viewer_zone": viewer_time_zone(request), "past": True},
    )


def redirect_if_renamed(request: HttpRequest, slug: str) -> HttpResponsePermanentRedirect:
    """An organization's old slug leads to the same page under its new one; else 404."""
    new_slug = organization_renamed_slug(old_slug=slug)
    if new_slug is None:
        raise Http404(_("No such organization."))
    path = request.path.replace(f"/o/{slug}/", f"/o/{new_slug}/", 1)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(path + (f"?{query}" if query else ""))


def organization_calendar_links(slug: str) -> dict[str, str]:
    """How to follow: the .ics by webcal://, as a Google Calendar subscription, and Atom."""
    ics_path = reverse("notifications:organization_calendar", kwargs={"slug": slug})
    webcal = "webcal://" + settings.SITE_URL.split("://", 1)[-1] + ics_path
    return {
        "ics": settings.SITE_URL + ics_path,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "atom": settings.SITE_URL + reverse("events:organization_feed", kwargs={"slug": slug}),
    }


@require_safe
def organization_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An organization's public page: who they are, what is coming, what was, how to follow."""
    organization = organization_public(slug=slug)
    if organization is None:
        return redirect_if_renamed(request, slug)
    speak_organization_language(request, organization)
    return render(
        request,
        "events/organization.html",
        {
            "organization": organization,
            "upcoming": organization_events_upcoming(organization),
            "past": organization_events_past(organization)[:ORGANIZATION_PAGE_PAST_EVENTS],
            "viewer_zone": viewer_time_zone(request),
            "follow": organization_calendar_links(organization.slug),
            "canonical_url": settings.SITE_URL + organization.get_absolute_url(),
        },
    )


_atom_feed = OrganizationEventsFeed()


@require_safe
def organization_feed(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_public(slug=slug)
    if organization is None:
        return redirect_if_renamed(request, slug)
    speak_organization_language(request, organization)
    return _atom_feed(request, slug=slug)


# A logo's address names its content (events/logos.py): a year in any cache, never revalidated.
LOGO_CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def organization_logo(request: HttpRequest, slug: str, filename: str) -> HttpResponseBase:
    """The organization's logo, from the default storage, so it is served the same under
    ``make run``, gunicorn and docker compose with no media server.

    An older logo's address leads to the current one (a link preview made before a change);
    an organization without a logo, or one that is not public, is 404.
    """
    organization = organization_public(slug=slug)
    if organization is None:
        return redirect_if_renamed(request, slug)
    current = organization.get_logo_url()
    if not current:
        raise Http404(_("This organization has no logo."))
    if current != request.path:
        return redirect(current)
    extension = filename.rsplit(".", 1)[-1]
    try:
        stored = default_storage.open(organization.logo.name, "rb")
    except FileNotFoundError as error:
        raise Http404(_("This organization has no logo.")) from error
    response = FileResponse(stored, content_type=LOGO_CONTENT_TYPES.get(extension))
    response["Cache-Control"] = LOGO_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
