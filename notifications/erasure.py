"""Erasing a registrant from the outbox and the reminder machine (privacy requests)."""

import re

from django.db import models, transaction
from django.db.models import QuerySet

from notifications.models import OutboxEmail, ReminderOptOut, ScheduledReminder
from registrations.models import Registration

# Context keys that point at other rows rather than describe the person: they stay so a
# message's delivery report still counts the erased recipient.
REFERENCE_CONTEXT_KEYS = frozenset({"message_id"})
# Row bookkeeping that says nothing about the person; every other text column is content.
_KEPT_TEXT_FIELDS = frozenset({"kind", "status", "message_id", "language"})

NOT_SENT_NOTE = "Not sent: the registrant's data was erased."


def _content_fields() -> list[str]:
    """Every text column that may hold rendered content (subject, bodies), whatever the
    outbox stores now or later."""
    return [
        field.name
        for field in OutboxEmail._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.name not in _KEPT_TEXT_FIELDS | {"recipient", "last_error"}
    ]


def outbox_erase_registration(
    *, registration: Registration, previous_email: str, placeholder_email: str
) -> int:
    """Scrub one registration's emails and stop everything still to come; returns rows changed.

    The emails are scrubbed as ``outbox_erase_emails`` says. Pending reminders are skipped and
    an opt-out stops new ones. Call inside the transaction that erases the registration.
    """
    with transaction.atomic():
        changed = outbox_erase_emails(
            emails=OutboxEmail.objects.filter(registration=registration),
            previous_email=previous_email,
            placeholder_email=placeholder_email,
        )
        ScheduledReminder.objects.filter(
            registration=registration, status=ScheduledReminder.Status.PENDING
        ).update(status=ScheduledReminder.Status.SKIPPED)
        ReminderOptOut.objects.get_or_create(registration=registration)
    return changed


def outbox_erase_emails(
    *, emails: QuerySet[OutboxEmail], previous_email: str, placeholder_email: str
) -> int:
    """Scrub these emails of one person; returns rows changed.

    Recipient becomes the placeholder, rendered content and context go (references kept),
    the address is blanked out of server answers, and emails still queued are marked failed
    so no worker sends them. For emails that belong to no registration (a series
    registration's welcome) as much as for a registration's own.
    """
    content_fields = _content_fields()
    address = re.compile(re.escape(previous_email), re.IGNORECASE) if previous_email else None
    changed = 0
    with transaction.atomic():
        for email in emails.select_for_update():
            email.recipient = placeholder_email
            email.context = {
                key: value for key, value in email.context.items() if key in REFERENCE_CONTEXT_KEYS
            }
            for name in content_fields:
                setattr(email, name, "")
            if address is not None:
                email.last_error = address.sub(placeholder_email, email.last_error)
            if email.status == OutboxEmail.Status.QUEUED:
                email.status = OutboxEmail.Status.FAILED
                email.last_error = NOT_SENT_NOTE
            email.save()
            changed += 1
    return changed
