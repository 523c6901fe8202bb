"""Facts to deliveries: one handler, subscribed to every fact some event type reports.

It runs last among each fact's handlers (``webhooks`` comes after ``notifications`` in
INSTALLED_APPS; docs/design.md, "The event bus"), inside the publisher's transaction: a change
that rolls back sends nothing, and one that commits cannot lose its webhooks.
"""

from collections import defaultdict
from typing import Any

from events.lifecycle import subscribe
from webhooks.event_types import WebhookEventType, all_event_types
from webhooks.services import webhook_deliveries_enqueue


def _types_by_fact() -> dict[type, list[WebhookEventType]]:
    by_fact: defaultdict[type, list[WebhookEventType]] = defaultdict(list)
    for event_type in all_event_types():
        for fact_type in event_type.fact_types:
            by_fact[fact_type].append(event_type)
    return dict(by_fact)


TYPES_BY_FACT = _types_by_fact()


def deliver_webhooks(fact: Any) -> None:
    """Write a delivery for each event type that reports ``fact``, in the registry's order.

    Every fact costs one query (the organization's endpoints), also when it has none: a
    registration's budget in tests/registrations/test_views.py counts it.
    """
    organization_id = None
    messages: list[tuple[str, dict[str, Any]]] = []
    for event_type in TYPES_BY_FACT.get(type(fact), []):
        data = event_type.data(fact)
        if data is not None:
            organization_id = event_type.organization_id(fact)
            messages.append((event_type.name, data))
    if organization_id is not None:
        webhook_deliveries_enqueue(organization_id=organization_id, messages=messages)


def subscribe_webhook_handlers() -> None:
    for fact_type in TYPES_BY_FACT:
        subscribe(fact_type, deliver_webhooks)
