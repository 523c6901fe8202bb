"""An organization's own settings. Owners decide."""

from django.db import transaction

from accounts.models import User
from events.models import Organization
from workspace.audit import audit_record


def organization_set_attendee_privacy(
    *, organization: Organization, enabled: bool, actor: User
) -> Organization:
    """Turn attendee privacy on or off (README: Attendee privacy); recorded in the audit log."""
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.attendee_privacy == enabled:
            return locked
        locked.attendee_privacy = enabled
        locked.save(update_fields=["attendee_privacy"])
        audit_record(
            actor=actor,
            action="organization.privacy_changed",
            organization=locked,
            details={"attendee_privacy": enabled},
        )
    return locked
