"""Recording what organizers do; call inside the transaction of the action itself."""

from typing import Any

from accounts.models import User
from events.models import Event, Organization
from workspace.models import AuditLogEntry


def audit_record(
    *,
    actor: User | None,
    action: str,
    organization: Organization,
    event: Event | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Append one entry, e.g. ``action="registration.cancelled"`` with the registration id."""
    return AuditLogEntry.objects.create(
        actor=actor, action=action, organization=organization, event=event, details=details or {}
    )
