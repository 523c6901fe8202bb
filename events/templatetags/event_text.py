"""The organizer's text in the reader's language, for templates that list events.

Views that show one event pass ``events.selectors.event_in_language`` themselves; a list
(the event cards, "My registrations") applies this filter to each event it shows
(docs/design.md, "Languages").
"""

from django import template

from events.models import Event
from events.selectors import EventInLanguage, event_in_language

register = template.Library()


@register.filter
def in_reader_language(event: Event | EventInLanguage) -> EventInLanguage:
    """``event`` with its text in the active language where the organizer gave it."""
    if isinstance(event, EventInLanguage):
        return event
    return event_in_language(event)
