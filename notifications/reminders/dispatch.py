"""The due-reminder dispatcher: claim due rows, write their outbox emails, queue the sending.

Celery beat runs it every minute (``notifications.reminders.tasks``); ``manage.py
send_due_reminders`` runs one pass by hand. No reminder is ever a delayed Celery task: on
Redis, tasks delayed past the visibility timeout are delivered again and again
(docs/design.md, "Reminders"), so the schedule lives in the database and this pass reads it.

Claiming is safe under concurrency, so overlapping passes (a slow pass still running when
the next minute's starts, several beat-fed workers) split the work instead of doubling it:

* PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` in chunks; a row another pass holds is
  skipped, and the status change to *sent* commits with the outbox rows.
* SQLite (``make run``): a conditional ``UPDATE ... SET status='sent' WHERE id IN (...) AND
  status='pending'``; if it changes fewer rows than were read, another pass got there
  first and the chunk is rolled back untouched.

Each chunk is one transaction: the reminders turn *sent* and their OutboxEmail rows appear
together (``outbox_enqueue_bulk``), and the outbox relay hands them to Celery once
committed, OUTBOX_BATCH_SIZE (100) ids per task (docs/design.md, "The outbox relay").

At claim time each reminder is checked again — registration still confirmed, event not
cancelled, no opt-out — and dropped (status *skipped*) when it is too late to be useful,
see ``reminder_send_deadline``.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation

from events.models import Event
from notifications.models import OutboxEmail, ReminderOptOut, ReminderRule, ScheduledReminder
from notifications.outbox import outbox_email_for, outbox_enqueue_bulk
from notifications.reminders.kinds import reminder_kind
from notifications.reminders.kinds.base import (  # noqa: F401 - also read from here
    MIN_LATENESS_ALLOWED,
    reminder_send_deadline,
)
from notifications.reminders.rules import reminder_unwanted_reason
from notifications.reminders.selectors import reminder_unsubscribe_urls

CLAIM_CHUNK_SIZE = 500

Status = ScheduledReminder.Status


@dataclass
class DispatchResult:
    queued: int = 0
    skipped: int = 0
    # True when the pass stopped on its time budget with due rows possibly left.
    more: bool = False


def reminders_dispatch_due(
    *, chunk_size: int = CLAIM_CHUNK_SIZE, time_budget: float | None = None
) -> DispatchResult:
    """Claim every due pending reminder (chunk by chunk) and queue its email.

    With ``time_budget`` (seconds) the pass stops after the chunk that exceeds it and says
    so in ``more``; the caller may start another pass.
    """
    total = DispatchResult()
    started = time.monotonic()
    while True:
        claimed, chunk = _dispatch_chunk(now=timezone.now(), chunk_size=chunk_size)
        total.queued += chunk.queued
        total.skipped += chunk.skipped
        if claimed < chunk_size:
            # Nothing more is due, or what is left is locked by a concurrent pass.
            return total
        if time_budget is not None and time.monotonic() - started > time_budget:
            total.more = True
            return total


def _dispatch_chunk(*, now: datetime, chunk_size: int) -> tuple[int, DispatchResult]:
    with transaction.atomic():
        reminders = _claim_due(now=now, limit=chunk_size)
        if not reminders:
            return 0, DispatchResult()
        _attach_events_and_rules(reminders)
        deliver: list[ScheduledReminder] = []
        stale: list[ScheduledReminder] = []
        for reminder in reminders:
            (deliver if _still_wanted(reminder, now=now) else stale).append(reminder)
        # Inserted now; the relay hands them to send_outbox_batch once this commits.
        email_ids = outbox_enqueue_bulk(emails=_reminder_emails(deliver))
        _mark_sent(list(zip((reminder.pk for reminder in deliver), email_ids, strict=True)))
        if stale:
            ScheduledReminder.objects.filter(pk__in=[reminder.pk for reminder in stale]).update(
                status=Status.SKIPPED
            )
    return len(reminders), DispatchResult(queued=len(deliver), skipped=len(stale))


def _due_rows(now: datetime) -> QuerySet[ScheduledReminder]:
    return (
        ScheduledReminder.objects.filter(status=Status.PENDING, due_at__lte=now)
        .select_related("registration")
        .annotate(
            opted_out=Exists(
                ReminderOptOut.objects.filter(registration_id=OuterRef("registration_id"))
            )
        )
        .order_by("due_at", "id")
    )


def _attach_events_and_rules(reminders: list[ScheduledReminder]) -> None:
    """One query each for the few events and rules of a chunk (not one copy per row)."""
    events = Event.objects.in_bulk({reminder.registration.event_id for reminder in reminders})
    rules = ReminderRule.objects.in_bulk({reminder.rule_id for reminder in reminders})
    for reminder in reminders:
        reminder.registration.event = events[reminder.registration.event_id]
        reminder.rule = rules[reminder.rule_id]


def _mark_sent(reminder_and_email_ids: list[tuple[int, int]]) -> None:
    """Set status *sent* and each row's own email in one statement.

    ``bulk_update`` builds a CASE expression per row and spent more time in Python than the
    rest of the chunk together; ``UPDATE ... FROM (VALUES ...)`` works on PostgreSQL and
    SQLite (3.33+) alike, both naming the VALUES columns column1, column2.
    """
    if not reminder_and_email_ids:
        return
    table = connection.ops.quote_name(ScheduledReminder._meta.db_table)
    values = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint))"] * len(reminder_and_email_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, email_id = v.column2 "  # noqa: S608 - no input
            f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
            [Status.SENT, *(number for pair in reminder_and_email_ids for number in pair)],
        )


class _LostRace(Exception):
    """Another pass claimed rows this one had read (SQLite path)."""


def _claim_due_skip_locked(*, now: datetime, limit: int) -> list[ScheduledReminder]:
    return list(_due_rows(now).select_for_update(skip_locked=True, of=("self",))[:limit])


def _claim_due_conditional_update(*, now: datetime, limit: int) -> list[ScheduledReminder]:
    reminders = list(_due_rows(now)[:limit])
    ids = [reminder.pk for reminder in reminders]
    claimed = ScheduledReminder.objects.filter(pk__in=ids, status=Status.PENDING).update(
        status=Status.SENT
    )
    if claimed != len(ids):
        raise _LostRace
    return reminders


def _claim_due(*, now: datetime, limit: int) -> list[ScheduledReminder]:
    """Lock up to ``limit`` due pending reminders for this transaction; [] if none are free."""
    if connection.features.has_select_for_update_skip_locked:
        return _claim_due_skip_locked(now=now, limit=limit)
    try:
        with transaction.atomic():
            return _claim_due_conditional_update(now=now, limit=limit)
    except _LostRace:
        return []


def _still_wanted(reminder: ScheduledReminder, *, now: datetime) -> bool:
    registration = reminder.registration
    event = registration.event
    kind = reminder_kind(reminder.rule.kind)
    unwanted = reminder_unwanted_reason(
        status=registration.status,
        event_cancelled=event.is_cancelled,
        opted_out=getattr(reminder, "opted_out", False),
    )
    return (
        unwanted is None
        and now <= kind.send_deadline(due_at=reminder.due_at, starts_at=event.starts_at)
        and kind.applies_to(reminder.rule, registration)
    )


def _reminder_emails(reminders: list[ScheduledReminder]) -> list[OutboxEmail]:
    contexts: dict[tuple[int, str], dict[str, object]] = {}
    unsubscribe_urls = reminder_unsubscribe_urls(reminder.registration for reminder in reminders)
    emails = []
    for reminder in reminders:
        registration = reminder.registration
        kind = reminder_kind(reminder.rule.kind)
        key = (reminder.rule_id, registration.language)
        if key not in contexts:
            with translation.override(registration.language):
                contexts[key] = kind.email_context(reminder.rule)
        emails.append(
            outbox_email_for(
                kind=kind.email_kind,
                registration=registration,
                context={
                    **contexts[key],
                    "reminder_id": reminder.pk,
                    "unsubscribe_url": unsubscribe_urls[registration.pk],
                },
            )
        )
    return emails
