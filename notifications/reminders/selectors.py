"""Reads about reminders: the unsubscribe token, a registration's schedule, and whether a
reminder about to be sent still applies."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, QuerySet
from django.urls import reverse

from events.models import Event
from notifications.models import OutboxEmail, ReminderOptOut, ReminderRule, ScheduledReminder
from notifications.reminders.kinds import reminder_kind
from notifications.reminders.kinds.quiet_hours import QuietHours
from notifications.reminders.rules import reminder_unwanted_reason
from notifications.reminders.schedule import eligible_registrations
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


@dataclass(frozen=True)
class QuietHoursMove:
    """Registrants in one zone whose reminder under one rule quiet hours move earlier."""

    rule: ReminderRule
    time_zone: str
    registrants: int
    due_at: datetime
    planned_due_at: datetime


def reminder_quiet_hours_moves(event: Event) -> list[QuietHoursMove]:
    """Per rule (in the rules' order), the zones whose registrants quiet hours move, most
    people first. Two queries; the due times are those the schedule computes."""
    quiet_hours = QuietHours.of_event(event)
    if quiet_hours is None:
        return []
    rules = [
        rule
        for rule in event.reminder_rules.all()
        if reminder_kind(rule.kind).respects_quiet_hours
        and reminder_kind(rule.kind).in_reminder_form
    ]
    if not rules:
        return []
    zones = list(
        eligible_registrations(event=event)
        .order_by()
        .values_list("time_zone")
        .annotate(registrants=Count("pk"))
        .order_by("-registrants", "time_zone")
    )
    moves = []
    for rule in rules:
        kind = reminder_kind(rule.kind)
        for zone, registrants in zones:
            planned = kind.planned_due_at(rule, starts_at=event.starts_at, time_zone=zone)
            due_at = kind.due_at(
                rule, starts_at=event.starts_at, time_zone=zone, quiet_hours=quiet_hours
            )
            if due_at != planned:
                moves.append(QuietHoursMove(rule, zone, registrants, due_at, planned))
    return moves


@dataclass(frozen=True)
class RegistrantReminder:
    """One reminder as its registrant sees it."""

    rule: ReminderRule
    due_at: datetime
    sent: bool
    moved_for_quiet_hours: bool


def reminders_for_registrant(registration: Registration) -> list[RegistrantReminder]:
    """A registration's reminders still to come or already sent, soonest first."""
    event = registration.event
    reminders = []
    for reminder in reminders_for_registration(registration).exclude(
        status=ScheduledReminder.Status.SKIPPED
    ):
        if not reminder_kind(reminder.rule.kind).in_reminder_form:
            continue  # a follow-up: which one goes is decided after the event
        planned = reminder_kind(reminder.rule.kind).planned_due_at(
            reminder.rule,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            time_zone=registration.time_zone,
        )
        reminders.append(
            RegistrantReminder(
                rule=reminder.rule,
                due_at=reminder.due_at,
                sent=reminder.status == ScheduledReminder.Status.SENT,
                moved_for_quiet_hours=reminder.due_at < planned,
            )
        )
    return reminders


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
        if email.kind in (OutboxEmail.Kind.REMINDER, OutboxEmail.Kind.FOLLOW_UP)
        and email.registration is not None
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
