"""Webhook event types, one small class each, looked up by name like the export formats.

Each type says which domain fact it reports (``events/facts.py``, ``registrations/facts.py``)
and what data it sends; ``webhooks.handlers`` subscribes to every fact some type listens to.
A new type is one class in this package plus one line below.
"""

from django.utils.module_loading import import_string

from webhooks.event_types.base import WebhookEventType

EVENT_TYPES = {
    "registration.created": "webhooks.event_types.registration.Created",
    "registration.confirmed": "webhooks.event_types.registration.Confirmed",
    "registration.waitlisted": "webhooks.event_types.registration.Waitlisted",
    "registration.promoted": "webhooks.event_types.registration.Promoted",
    "registration.cancelled": "webhooks.event_types.registration.Cancelled",
    "checkin.created": "webhooks.event_types.registration.CheckedIn",
    "event.published": "webhooks.event_types.event.Published",
    "event.updated": "webhooks.event_types.event.Updated",
    "event.cancelled": "webhooks.event_types.event.Cancelled",
}

# Sent only by "Send a test message" in the workspace, to any endpoint whatever it picked.
TEST_EVENT_TYPE = "webhook.test"


def event_type(name: str) -> WebhookEventType:
    """The event type called ``name``; ``LookupError`` if there is none."""
    try:
        type_class: type[WebhookEventType] = import_string(EVENT_TYPES[name])
    except KeyError:
        raise LookupError(name) from None
    return type_class()


def all_event_types() -> list[WebhookEventType]:
    return [event_type(name) for name in EVENT_TYPES]
