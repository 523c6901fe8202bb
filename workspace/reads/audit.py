"""Reads for an organization's audit log."""

from django.db.models import QuerySet

from events.models import Event, Organization
from workspace.models import AuditLogEntry


def audit_log_for_organization(
    organization: Organization, *, event: Event | None = None
) -> QuerySet[AuditLogEntry]:
    """The organization's entries, newest first, optionally only those about one event."""
    entries = AuditLogEntry.objects.filter(organization=organization).select_related(
        "actor", "event"
    )
    if event is not None:
        entries = entries.filter(event=event)
    return entries.order_by("-created_at", "-id")
