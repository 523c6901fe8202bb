"""Reads about reminders: the unsubscribe token, a registration's schedule, and whether a
reminder about to be sent still applies."""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from notifications.models import OutboxEmail, ReminderOptOut, ScheduledReminder
from notifications.reminders.rules import reminder_unwanted_reason
from registrations.models import Registration
from registrations.selectors import (
    registration_from_signed_token,
    registration_signed_token,
    token_link_affixes,
)

# Its own salt: an unsubscribe token cannot be replayed as a manage link, nor the reverse.
_UNSUBSCRIBE_SALT = "notifications.reminders.unsubscribe"


def reminder_unsubscribe_token(registration: Registration) -> str:
    """A signed token naming one registration; it never expires (RFC 8058 links must work)."""
    return registration_signed_token(registration, salt=_UNSUBSCRIBE_SALT)


def _unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("reminders:unsubscribe", kwargs={"token": token})


def reminder_unsubscribe_url(registration: Registration) -> str:
    """The absolute one-click unsubscribe URL, for the List-Unsubscribe header and the body."""
    return _unsubscribe_url(reminder_unsubscribe_token(registration))


def reminder_unsubscribe_urls(registrations: Iterable[Registration]) -> dict[int, str]:
    """``reminder_unsubscribe_url`` for many registrations (by id), resolving the route once.

    The dispatcher writes hundreds of emails per chunk (see ``token_link_affixes``).
    """
    before, after = token_link_affixes("reminders:unsubscribe")
    return {
        registration.pk: before + reminder_unsubscribe_token(registration) + after
        for registration in registrations
    }


def registration_from_unsubscribe_token(token: str) -> Registration | None:
    return registration_from_signed_token(token, salt=_UNSUBSCRIBE_SALT)


def reminders_opted_out(registration: Registration) -> bool:
    return ReminderOptOut.objects.filter(registration=registration).exists()


def reminders_for_registration(registration: Registration) -> QuerySet[ScheduledReminder]:
    """A registration's scheduled reminders, soonest first."""
    return (
        ScheduledReminder.objects.filter(registration=registration)
        .select_related("rule")
        .order_by("due_at", "id")
    )


def reminders_no_longer_wanted(emails: Iterable[OutboxEmail]) -> dict[int, str]:
    """{email id: why} for reminder emails that should not go out any more.

    The dispatcher writes a reminder's email when it falls due, and a batch may send it
    minutes later (100,000 at once take a few). Meanwhile the person may have cancelled or
    unsubscribed, or the organizers cancelled the event; "starts in an hour" must not follow
    "cancelled". Expects the emails' registrations and events loaded; one query at most.
    """
    reminders = [
        email
        for email in emails
        if email.kind == OutboxEmail.Kind.REMINDER and email.registration is not None
    ]
    if not reminders:
        return {}
    opted_out = set(
        ReminderOptOut.objects.filter(
            registration_id__in=[email.registration_id for email in reminders]
        ).values_list("registration_id", flat=True)
    )
    reasons: dict[int, str] = {}
    for email in reminders:
        registration = email.registration
        assert registration is not None
        unwanted = reminder_unwanted_reason(
            status=registration.status,
            event_cancelled=registration.event.is_cancelled,
            opted_out=registration.pk in opted_out,
        )
        if unwanted is not None:
            reasons[email.pk] = f"Not sent: {unwanted} after the reminder fell due."
    return reasons
