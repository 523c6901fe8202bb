"""Link-preview tags and JSON-LD for the public pages (events/sharing.py)."""

from django import template
from django.utils.safestring import SafeString

from events.models import Event, Organization
from events.selectors import EventInLanguage
from events.sharing import (
    event_structured_data,
    json_ld,
    organization_image_url,
    organization_structured_data,
    plain_summary,
)

register = template.Library()


@register.simple_tag
def event_json_ld(event: Event | EventInLanguage) -> SafeString:
    return json_ld(event_structured_data(event))


@register.simple_tag
def organization_json_ld(organization: Organization) -> SafeString:
    return json_ld(organization_structured_data(organization))


@register.filter
def summary(markdown_text: str) -> str:
    return plain_summary(markdown_text)


@register.filter
def share_image(organization: Organization) -> str:
    """The absolute logo address for ``og:image`` and ``twitter:image``; "" for none."""
    return organization_image_url(organization)
