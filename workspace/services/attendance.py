"""Recording an attendance report and writing the follow-ups, audited."""

from django.db import transaction

from accounts.models import User
from events.models import Event
from notifications.reminders.follow_ups import follow_up_delete, follow_up_save
from registrations.attendance.services import AttendancePreview, attendance_record
from workspace.audit import Actor, audit_record


def attendance_import(*, actor: User, event: Event, preview: AttendancePreview) -> int:
    """Record the preview's matched people; return how many registrations changed."""
    with transaction.atomic():
        changed = attendance_record(event=event, preview=preview)
        audit_record(
            actor=actor,
            action="attendance.imported",
            organization=event.organization,
            event=event,
            details={
                "matched": len(preview.matched),
                "attended": preview.attended_count,
                "changed": changed,
                "ambiguous": len(preview.ambiguous),
                "unmatched": len(preview.unmatched),
            },
        )
    return changed


def follow_up_update(
    *, actor: Actor, event: Event, audience: str, minutes_after: int, subject: str, message: str
) -> None:
    """Save the follow-up for ``audience``, or remove it when ``message`` is empty."""
    with transaction.atomic():
        if message.strip():
            follow_up_save(
                event=event,
                audience=audience,
                minutes_after=minutes_after,
                subject=subject,
                message=message,
            )
        else:
            follow_up_delete(event=event, audience=audience)
        audit_record(
            actor=actor,
            action="follow_up.saved" if message.strip() else "follow_up.removed",
            organization=event.organization,
            event=event,
            details={"audience": audience},
        )
