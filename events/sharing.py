"""Pages that share well: link previews (Open Graph, Twitter cards) and schema.org JSON-LD.

Chat apps (Telegram, WhatsApp, X) read the ``og:`` tags of a shared link; search engines
read the JSON-LD. Both are data, not script: ``<script type="application/ld+json">`` is not
run by browsers, so a strict Content-Security-Policy does not block it. The JSON is escaped
as ``json_script`` escapes it, so a title cannot close the element.
"""

import html
import json
from typing import Any

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from events.markdown import render_markdown
from events.models import Event, Organization
from events.selectors import EventInLanguage
from events.timezones import localize

# The characters json_script escapes: "</script>" or "<!--" in a title stays data.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
DESCRIPTION_WORDS = 40


def json_ld(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with the data escaped against injection."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def plain_summary(markdown_text: str) -> str:
    """The first words of organizer Markdown as plain text, for a preview."""
    text = " ".join(html.unescape(strip_tags(render_markdown(markdown_text))).split())
    return Truncator(text).words(DESCRIPTION_WORDS)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def organization_image_url(organization: Organization) -> str:
    """The absolute address of the organization's logo for link previews, or "".

    The uploaded logo; else the link given before uploads existed (docs/design.md,
    "Organizations"), which only chat apps and search engines fetch.
    """
    path = organization.get_logo_url()
    if path:
        return absolute(path)
    return organization.logo_url


def organization_structured_data(organization: Organization) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organization.name,
        "url": absolute(organization.get_absolute_url()),
    }
    image = organization_image_url(organization)
    if image:
        data["logo"] = image
    if organization.description:
        data["description"] = organization.description
    return data


def _location(event: Event | EventInLanguage) -> list[dict[str, Any]]:
    places: list[dict[str, Any]] = []
    if event.has_venue:
        place: dict[str, Any] = {"@type": "Place", "name": event.venue_name}
        if event.venue_address:
            place["address"] = " ".join(event.venue_address.split())
        places.append(place)
    if event.is_online:
        # The join link is for confirmed registrants only: the event page stands in for it.
        places.append({"@type": "VirtualLocation", "url": absolute(event.get_absolute_url())})
    return places


def _organizers(event: Event | EventInLanguage) -> dict[str, Any] | list[dict[str, Any]]:
    """The organization, and its co-hosts when ``event_public`` prefetched them."""
    cohosts = getattr(event, "public_cohosts", [])
    organizers = [event.organization, *(cohost.organization for cohost in cohosts)]
    data = [organization_structured_data(organization) for organization in organizers]
    for item in data:
        item.pop("@context")
    return data[0] if len(data) == 1 else data


def event_structured_data(event: Event | EventInLanguage) -> dict[str, Any]:
    """schema.org ``Event``; times carry the event's own offset, as the page shows them.

    The text is what the page shows: ``event_in_language`` on the event page.
    """
    if event.kind == Event.Kind.HYBRID:
        mode = "MixedEventAttendanceMode"
    elif event.has_venue:
        mode = "OfflineEventAttendanceMode"
    else:
        mode = "OnlineEventAttendanceMode"
    location = _location(event)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": absolute(event.get_absolute_url()),
        "startDate": localize(event.starts_at, event.time_zone).isoformat(),
        "endDate": localize(event.ends_at, event.time_zone).isoformat(),
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "location": location[0] if len(location) == 1 else location,
        "organizer": _organizers(event),
    }
    summary = plain_summary(event.description)
    if summary:
        data["description"] = summary
    image = organization_image_url(event.organization)
    if image:
        data["image"] = [image]
    return data
