"""event.*: the events' facts as webhooks. Drafts are nobody's business but the organizers'."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from events.facts import EventCancelled, EventChanged
from events.models import Event
from webhooks.event_types.base import WebhookEventType
from webhooks.payloads import event_data

EXAMPLE = {
    "id": 0,
    "slug": "example",
    "title": "Example event",
    "status": "published",
    "kind": "webinar",
    "starts_at": "2026-01-01T18:00:00+00:00",
    "ends_at": "2026-01-01T19:00:00+00:00",
    "time_zone": "Europe/Berlin",
    "venue_name": "",
    "venue_address": "",
    "capacity": 100,
    "seats_taken": 0,
    "approval_required": False,
    "registration_opens_at": None,
    "registration_closes_at": None,
    "url": "/events/example/",
}


class EventEventType(WebhookEventType):
    def data(self, fact: Any) -> dict[str, Any] | None:
        if not self.applies(fact):
            return None
        return {"event": event_data(fact.event)}

    def applies(self, fact: Any) -> bool:
        return True

    def organization_id(self, fact: Any) -> int:
        organization_id: int = fact.event.organization_id
        return organization_id

    def example(self) -> dict[str, Any]:
        return {"event": EXAMPLE}


class Published(EventEventType):
    name = "event.published"
    label = _("An event was published")
    fact_types = (EventChanged,)

    def applies(self, fact: Any) -> bool:
        return bool(fact.published)


class Updated(EventEventType):
    """An edit of a published event; ``changed`` names the fields (not their old values)."""

    name = "event.updated"
    label = _("A published event was changed")
    fact_types = (EventChanged,)

    def data(self, fact: Any) -> dict[str, Any] | None:
        if fact.published or fact.event.status != Event.Status.PUBLISHED:
            return None
        # The join link is not in the data, and neither is the fact that it changed.
        changed = sorted(set(fact.previous) - {"join_url", "joining_instructions"})
        if not changed:
            return None
        return {"event": event_data(fact.event), "changed": changed}

    def example(self) -> dict[str, Any]:
        return {"event": EXAMPLE, "changed": ["starts_at", "ends_at"]}


class Cancelled(EventEventType):
    name = "event.cancelled"
    label = _("An event was cancelled")
    fact_types = (EventCancelled,)
