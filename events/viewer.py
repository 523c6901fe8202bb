"""What the viewer's browser tells: its time zone (a cookie set by static/js/timezone.js),
and whether it names a language at all."""

from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from events.models import Organization
from events.timezones import is_valid_time_zone

TIME_ZONE_COOKIE = "convene_tz"


def viewer_time_zone(request: HttpRequest) -> str | None:
    # The script percent-encodes the value ("Asia%2FTehran"); Django hands cookies over raw.
    zone = unquote(request.COOKIES.get(TIME_ZONE_COOKIE, ""))
    return zone if is_valid_time_zone(zone) else None


def names_no_language(request: HttpRequest) -> bool:
    """No language picked here (cookie) and none asked for by the browser (Accept-Language)."""
    return settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.META.get(
        "HTTP_ACCEPT_LANGUAGE", ""
    ).strip(" ,*")


def speak_organization_language(request: HttpRequest, organization: Organization) -> None:
    """Answer in the organization's language a request that names none.

    Calendar apps polling a feed, feed readers and the bots of chat apps fetching a link
    preview usually send no Accept-Language; Django would answer them in the site's default
    (LANGUAGE_CODE). The organization's default language is the better guess for its own
    page and feeds (docs/design.md, "Organizations"). A person's choice, or their browser's,
    still wins.
    """
    if names_no_language(request) and organization.language in dict(settings.LANGUAGES):
        translation.activate(organization.language)
        request.LANGUAGE_CODE = organization.language
