"""Recording what organizers do; call inside the transaction of the action itself.

Every action code recorded anywhere has its human label in ``ACTION_LABELS``: add one there
when you record a new code (the audit log page shows an unknown code as it is).
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from events.models import Event, Organization
from workspace.models import ApiToken, AuditLogEntry

# Who does something in the workspace: a signed-in member, or an API token acting for its
# organization (the log then names the token).
Actor = User | ApiToken

ACTION_LABELS: dict[str, str | Promise] = {
    "event.created": _("Created the event"),
    "event.updated": _("Edited the event"),
    "event.published": _("Published the event"),
    "event.cancelled": _("Cancelled the event"),
    "event.duplicated": _("Created the event as a copy"),
    "event.capacity_changed": _("Changed the capacity"),
    "event.translated": _("Wrote the event in another language"),
    "registration.approved": _("Approved a registration"),
    "registration.rejected": _("Declined a registration"),
    "registration.cancelled": _("Cancelled a registration"),
    "registration.promoted": _("Gave a waitlisted person a seat"),
    "registration.added": _("Added a person"),
    "registration.walk_in": _("Added a walk-in"),
    "registration.checked_in": _("Checked a person in"),
    "registration.check_in_undone": _("Undid a check-in"),
    "registration.erased": _("Erased a registrant's personal data"),
    "registration.exported": _("Downloaded a registrant's personal data"),
    "series_registration.erased": _(
        "Erased a series registrant's personal data, and theirs in every session"
    ),
    "series_registrations.retention_erased": _(
        "Erased the personal data of a series' registrants: the series' retention window had passed"
    ),
    "registrations.retention_erased": _(
        "Erased the attendees' personal data: the event's retention window had passed"
    ),
    "message.sent": _("Sent a message"),
    "attendance.imported": _("Imported an attendance report"),
    "follow_up.saved": _("Saved a follow-up"),
    "follow_up.removed": _("Removed a follow-up"),
    "member.invited": _("Invited a member"),
    "member.added": _("Added a member"),
    "member.joined": _("Joined the organization"),
    "member.invitation_revoked": _("Withdrew an invitation"),
    "member.removed": _("Removed a member"),
    "export.downloaded": _("Exported the attendee list"),
    "api_token.created": _("Created an API token"),
    "api_token.revoked": _("Revoked an API token"),
    "question.added": _("Added a question"),
    "question.deleted": _("Removed a question"),
    "reminder_rule.added": _("Added a reminder"),
    "reminder_rule.deleted": _("Removed a reminder"),
    "organization.created": _("Created the organization"),
    "organization.changed": _("Changed the organization's settings"),
    "member.role_changed": _("Changed a member's role"),
    "cohost.invited": _("Invited a co-host"),
    "cohost.accepted": _("Became a co-host"),
    "cohost.removed": _("Removed a co-host"),
    "cohost.edit_access": _("Changed what a co-host may edit"),
    "organization.privacy_changed": _("Changed attendee privacy"),
    "webhook.endpoint_added": _("Added a webhook endpoint"),
    "webhook.endpoint_removed": _("Removed a webhook endpoint"),
    "webhook.endpoint_enabled": _("Enabled a webhook endpoint again"),
    "webhook.endpoint_changed": _("Changed a webhook endpoint"),
    "webhook.secret_rotated": _("Rotated a webhook endpoint's secret"),
    "webhook.test_sent": _("Sent a test webhook"),
    "webhook.delivery_replayed": _("Sent a webhook again"),
    "series.created": _("Created a series"),
    "series.updated": _("Changed a series from one session on"),
    "series.ended": _("Ended a series"),
    "series.lists_changed": _("Changed a series' questions or reminders"),
}


def audit_action_label(action: str) -> str:
    """ "registration.checked_in" → "Checked a person in"; an unknown code as it is."""
    return str(ACTION_LABELS.get(action, action))


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    organization: Organization,
    event: Event | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Append one entry, e.g. ``action="registration.cancelled"`` with the registration id.

    An API token as ``actor`` is recorded by name and id in ``details`` (``api_token``); a
    token of a co-host organization also by that organization's name, since the entry goes
    to the log of the event's own organization.
    """
    details = dict(details or {})
    if isinstance(actor, ApiToken):
        details["api_token"] = {"id": actor.pk, "name": actor.name}
        if actor.organization_id != organization.pk:
            details["api_token"]["organization"] = actor.organization.name
        actor = None
    return AuditLogEntry.objects.create(
        actor=actor, action=action, organization=organization, event=event, details=details
    )
