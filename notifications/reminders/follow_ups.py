"""Follow-ups after the end: one message for those who attended, one for those who missed it.

A follow-up is a ``ReminderRule`` of kind "after the end" (``kinds/after_end.py``) carrying
the organizer's subject and message, so the schedule, the dispatcher, the outbox and the
one-click unsubscribe of reminders serve it unchanged (docs/attendance.md).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from events.models import Event
from notifications.models import ReminderRule, ScheduledReminder
from notifications.reminders.kinds import reminder_kind
from notifications.reminders.schedule import schedule_sync

Audience = ReminderRule.Audience


def follow_ups_for_event(event: Event) -> dict[str, ReminderRule | None]:
    """{audience: its follow-up or None}, attended first; each with ``sent_count``."""
    rules = {
        rule.audience: rule
        for rule in ReminderRule.objects.filter(
            event=event, kind=ReminderRule.Kind.AFTER_END
        ).annotate(
            sent_count=Count("scheduled", filter=Q(scheduled__status=ScheduledReminder.Status.SENT))
        )
    }
    return {audience: rules.get(audience) for audience in Audience.values}


def follow_up_save(
    *, event: Event, audience: str, minutes_after: int, subject: str, message: str
) -> ReminderRule:
    """Write the event's follow-up for ``audience`` (create or change) and schedule it.

    Raises ``ValidationError`` keyed by field. A follow-up already sent to someone is never
    sent to them again, whatever the edit (``AfterEnd.rearms_when_moved``).
    """
    if audience not in Audience.values:
        raise ValidationError({"audience": "Unknown audience."})
    values = reminder_kind(ReminderRule.Kind.AFTER_END).clean({"minutes_after": minutes_after})
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        rule, _created = ReminderRule.objects.update_or_create(
            event=locked,
            kind=ReminderRule.Kind.AFTER_END,
            audience=audience,
            defaults={
                "minutes_after": values["minutes_after"],
                "subject": subject.strip(),
                "message": message.strip(),
            },
        )
        schedule_sync(event=locked, rules=[rule], now=timezone.now(), rearm_sent=True)
    return rule


def follow_up_delete(*, event: Event, audience: str) -> None:
    """Remove the follow-up for ``audience``; emails already sent stay in the outbox."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        ReminderRule.objects.filter(
            event=event, kind=ReminderRule.Kind.AFTER_END, audience=audience
        ).delete()


def follow_ups_copy(*, source: Event, target: Event) -> None:
    """Give ``target`` (a duplicate) the follow-ups of ``source``."""
    for rule in follow_ups_for_event(source).values():
        if rule is not None:
            follow_up_save(
                event=target,
                audience=rule.audience,
                minutes_after=rule.minutes_after or 0,
                subject=rule.subject,
                message=rule.message,
            )
