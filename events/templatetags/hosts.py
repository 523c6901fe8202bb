"""Who runs an event, for emails: the organization and its co-hosts."""

from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from events.models import CoHost, Event
from events.selectors import EventInLanguage

register = template.Library()


@register.simple_tag
def cohost_names(event: Event | EventInLanguage) -> str:
    """ "Shahrzad Books and Voices" for a co-hosted event; "" when the event has none.

    One query per render: a batch renders each variant once (docs/design.md, "The outbox").
    """
    names = list(
        CoHost.objects.filter(event_id=event.pk, status=CoHost.Status.ACCEPTED)
        .order_by("created_at", "id")
        .values_list("organization__name", flat=True)
    )
    if not names:
        return ""
    return get_text_list([event.organization.name, *names], _("and"))
