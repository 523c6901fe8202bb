"""registration.* and checkin.created: the registrations' facts as webhooks.

A new registration sends ``registration.created`` and also the type of its first status
(``registration.confirmed`` or ``registration.waitlisted``), so a receiver that only cares
about seats can subscribe to those alone.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from registrations.facts import (
    RegistrationCancelled,
    RegistrationCheckedIn,
    RegistrationConfirmed,
    RegistrationPending,
    RegistrationRejected,
    RegistrationWaitlisted,
)
from webhooks.event_types.base import WebhookEventType
from webhooks.payloads import registration_data

EXAMPLE = {
    "id": "00000000-0000-4000-8000-000000000000",
    "event": {"id": 0, "slug": "example", "title": "Example event"},
    "status": "confirmed",
    "declined": False,
    "source": "online",
    "name": "Example Person",
    "email": "person@example.org",
    "time_zone": "Europe/Berlin",
    "language": "en",
    "created_at": "2026-01-01T12:00:00+00:00",
    "confirmed_at": "2026-01-01T12:00:00+00:00",
    "cancelled_at": None,
    "checked_in_at": None,
}


class RegistrationEventType(WebhookEventType):
    def data(self, fact: Any) -> dict[str, Any] | None:
        if not self.applies(fact):
            return None
        return {"registration": registration_data(fact.registration)}

    def applies(self, fact: Any) -> bool:
        return True

    def organization_id(self, fact: Any) -> int:
        organization_id: int = fact.registration.event.organization_id
        return organization_id

    def example(self) -> dict[str, Any]:
        return {"registration": EXAMPLE}


class Created(RegistrationEventType):
    name = "registration.created"
    label = _("A registration was made (any status)")
    # One type, three facts: a new registration publishes the fact of its first status.
    fact_types = (
        RegistrationConfirmed,
        RegistrationWaitlisted,
        RegistrationPending,
    )

    def applies(self, fact: Any) -> bool:
        return isinstance(fact, RegistrationPending) or bool(getattr(fact, "created", False))


class Confirmed(RegistrationEventType):
    name = "registration.confirmed"
    label = _("A registration was confirmed (new, or approved)")
    fact_types = (RegistrationConfirmed,)

    def applies(self, fact: Any) -> bool:
        return not fact.promoted_from_waitlist


class Waitlisted(RegistrationEventType):
    name = "registration.waitlisted"
    label = _("Someone was put on the waitlist")
    fact_types = (RegistrationWaitlisted,)


class Promoted(RegistrationEventType):
    name = "registration.promoted"
    label = _("Someone got a seat from the waitlist")
    fact_types = (RegistrationConfirmed,)

    def applies(self, fact: Any) -> bool:
        return bool(fact.promoted_from_waitlist)


class Cancelled(RegistrationEventType):
    """Cancelled by the person or the organizers, or declined (``declined`` is then true)."""

    name = "registration.cancelled"
    label = _("A registration was cancelled or declined")
    fact_types = (RegistrationCancelled, RegistrationRejected)


class CheckedIn(RegistrationEventType):
    name = "checkin.created"
    label = _("Someone was checked in at the door")
    fact_types = (RegistrationCheckedIn,)
