"""Delivering outbox rows over SMTP: claim, render, send, mark — at least once.

Exactly-once is impossible over SMTP (the server may accept a message and the connection
drop before we hear so). Convene sends at least once, and every copy of a row carries the same
Message-ID and the same invite UID/SEQUENCE, so a duplicate collapses in the mailbox and in
the calendar.

Lifecycle of a row: ``queued`` → (claimed) ``sending`` → ``sent``; a transient failure puts it
back to ``queued`` with ``next_attempt_at`` and the task schedules a retry; a permanent one
(or too many attempts) makes it ``failed`` with the server's answer in ``last_error``.

Every update that makes a row final (sent, failed, withdrawn) also empties ``text_body`` and
``html_body``: account and invitation emails store their rendered bodies, which hold live
sign-in codes and confirmation or invitation links, and the database must not keep those
once nobody will send them. The subject, recipient, status and error stay as the record.
Registration emails never store bodies, so for them this changes nothing.
"""

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import F, Q
from django.utils import timezone

from events.models import Event
from notifications.delivery_errors import classify_delivery_error, retry_delay
from notifications.models import OutboxEmail
from notifications.reminders.selectors import reminders_no_longer_wanted
from notifications.rendering import SharedParts, email_message_build

logger = logging.getLogger(__name__)

# A retry's countdown may fire a hair before the stored time on another worker's clock.
_RETRY_CLOCK_TOLERANCE = timedelta(seconds=1)
_SWEEP_LIMIT = 1000


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SendResult:
    email_id: int
    outcome: Outcome
    retry_in: float | None = None


class SendingInterrupted(Exception):
    """The task's time limit stopped a batch: what was done, and the ids not yet tried."""

    def __init__(self, results: list[SendResult], remaining: list[int]) -> None:
        super().__init__(f"interrupted with {len(remaining)} emails left")
        self.results = results
        self.remaining = remaining


def _claimable(now: datetime) -> Q:
    stuck_since = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + _RETRY_CLOCK_TOLERANCE)
    return (Q(status=OutboxEmail.Status.QUEUED) & due) | Q(
        status=OutboxEmail.Status.SENDING, updated_at__lt=stuck_since
    )


def outbox_claim_many(*, email_ids: Iterable[int], now: datetime | None = None) -> set[int]:
    """Take rows for sending in one statement; returns the ids this caller now owns.

    A row is skipped if it is sent, failed, not yet due, or someone else has it. One
    conditional ``UPDATE … RETURNING id`` does it, on PostgreSQL and SQLite alike: PostgreSQL
    locks each row and re-checks the WHERE clause after any concurrent update commits (so of
    two workers only one sees ``queued``), and SQLite allows one writer at a time. No
    transaction stays open while SMTP talks. A row left ``sending`` for longer than
    OUTBOX_STUCK_AFTER lost its worker and may be claimed again; the send tasks' time limits
    stay under it, so a batch's claimed rows stay its own until the batch ends.
    """
    ids = list(email_ids)
    if not ids:
        return set()
    now = now or timezone.now()
    # Django's update() cannot return the updated ids: compile the same filter the ORM
    # would use and add RETURNING, which PostgreSQL and SQLite (3.35+) both understand.
    claimable = OutboxEmail.objects.filter(_claimable(now), pk__in=ids)
    where, params = claimable.query.get_compiler(using=claimable.db).compile(claimable.query.where)
    db = connections[claimable.db]
    table = db.ops.quote_name(OutboxEmail._meta.db_table)
    status, attempts, updated_at, pk = (
        db.ops.quote_name(column) for column in ("status", "attempts", "updated_at", "id")
    )
    # Only quoted names and the ORM's compiled filter go into the text; values are parameters.
    sql = (
        f"UPDATE {table} SET {status} = %s, {attempts} = {attempts} + 1, "  # noqa: S608
        f"{updated_at} = %s WHERE {where} RETURNING {pk}"
    )
    updated_at_value = OutboxEmail._meta.get_field("updated_at").get_db_prep_value(
        now, connection=db
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [OutboxEmail.Status.SENDING, updated_at_value, *params])
        return {row[0] for row in cursor.fetchall()}


def outbox_claim(*, email_id: int, now: datetime | None = None) -> bool:
    """Take one row for sending (see ``outbox_claim_many``)."""
    return email_id in outbox_claim_many(email_ids=[email_id], now=now)


class _SentMarker:
    """Marks rows sent, one statement per row, on one cursor for the whole batch.

    One row per statement, right after the SMTP server accepted it: a worker killed
    mid-batch can then leave at most the one email in flight to be sent again
    (docs/design.md, "The outbox relay"). Each statement commits on its own (autocommit),
    as before; only the cursor is shared, because psycopg keeps its parameter adapters per
    cursor and a fresh cursor per email looked them up again each time (about a third of
    the statement's Python). The statement's text never changes, so PostgreSQL prepares it
    once per connection (``prepare_threshold``); written by hand because the ORM's update
    costs more Python than the statement costs the database.
    """

    def __init__(self) -> None:
        self.db = connections[router.db_for_write(OutboxEmail)]
        self.sql = _mark_sent_sql(self.db)
        self.updated_at = OutboxEmail._meta.get_field("updated_at")
        self.cursor: CursorWrapper | None = None

    def mark(self, email_id: int, subject: str) -> None:
        if self.cursor is None:
            self.cursor = self.db.cursor()
        now = self.updated_at.get_db_prep_value(timezone.now(), connection=self.db)
        sent = OutboxEmail.Status.SENT
        self.cursor.execute(self.sql, [sent, subject[:300], now, now, email_id, sent])

    def close(self) -> None:
        if self.cursor is not None:
            self.cursor.close()
            self.cursor = None


def _mark_sent_sql(db: BaseDatabaseWrapper) -> str:
    sql = _MARK_SENT_SQL.get(db.vendor)
    if sql is None:
        table = db.ops.quote_name(OutboxEmail._meta.db_table)
        status, subject_column, sent_at, next_attempt_at, updated_at, pk, text, html = (
            db.ops.quote_name(column)
            for column in (
                "status",
                "subject",
                "sent_at",
                "next_attempt_at",
                "updated_at",
                "id",
                "text_body",
                "html_body",
            )
        )
        # Only quoted names go into the text; values are parameters.
        sql = _MARK_SENT_SQL[db.vendor] = (
            f"UPDATE {table} SET {status} = %s, {subject_column} = %s, "  # noqa: S608
            f"{sent_at} = %s, {next_attempt_at} = NULL, {updated_at} = %s, {text} = '', "
            f"{html} = '' WHERE {pk} = %s AND {status} <> %s"
        )
    return sql


_MARK_SENT_SQL: dict[str, str] = {}


def _release(email_ids: list[int]) -> None:
    """Hand claimed rows that were never tried back to ``queued``, their attempt not counted."""
    if not email_ids:
        return
    OutboxEmail.objects.filter(pk__in=email_ids, status=OutboxEmail.Status.SENDING).update(
        status=OutboxEmail.Status.QUEUED, attempts=F("attempts") - 1, updated_at=timezone.now()
    )


def _mark_unsent(email: OutboxEmail, status: str, description: str) -> None:
    """Make a claimed row final without sending it (failed or withdrawn); bodies dropped."""
    OutboxEmail.objects.filter(pk=email.pk, status=OutboxEmail.Status.SENDING).update(
        status=status,
        last_error=description,
        text_body="",
        html_body="",
        updated_at=timezone.now(),
    )


def _mark_failed(email: OutboxEmail, description: str) -> None:
    _mark_unsent(email, OutboxEmail.Status.FAILED, description)


def _record_failure(email: OutboxEmail, error: BaseException) -> SendResult:
    failure = classify_delivery_error(error)
    attempts = OutboxEmail.objects.filter(pk=email.pk).values_list("attempts", flat=True).first()
    if attempts is None:  # deleted meanwhile, with its registration
        return SendResult(email.pk, Outcome.SKIPPED)
    description = f"Attempt {attempts}: {failure.description}"
    if not failure.transient:
        _mark_failed(email, description)
        return SendResult(email.pk, Outcome.FAILED)
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _mark_failed(email, f"{description} — gave up after {attempts} attempts")
        return SendResult(email.pk, Outcome.FAILED)
    delay = retry_delay(attempts)
    now = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk, status=OutboxEmail.Status.SENDING).update(
        status=OutboxEmail.Status.QUEUED,
        last_error=description,
        next_attempt_at=now + timedelta(seconds=delay),
        updated_at=now,
    )
    return SendResult(email.pk, Outcome.RETRY, retry_in=delay)


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except Exception:  # a broken connection may fail to say goodbye; it is dropped anyway
        logger.debug("Closing the SMTP connection failed", exc_info=True)


def _claimed_rows(email_ids: list[int]) -> dict[int, OutboxEmail]:
    """The rows with their registrations; each event (with its organization) loaded once.

    The emails of a batch are mostly about one event: sharing its instance saves building it
    per row, and lets the rendering make what the event's emails have in common once.
    """
    rows = OutboxEmail.objects.select_related("registration").in_bulk(email_ids)
    registrations = [row.registration for row in rows.values() if row.registration is not None]
    events = Event.objects.select_related("organization").in_bulk(
        {registration.event_id for registration in registrations}
    )
    for registration in registrations:
        registration.event = events[registration.event_id]  # PROTECT: never deleted under it
    return rows


def _send_one(
    email: OutboxEmail, connection: BaseEmailBackend, shared: SharedParts
) -> SendResult | str:
    """Send one claimed row: its subject once it went out (the caller marks it), else a result."""
    if email.recipient.lower().endswith(".invalid"):
        # Erased registrations keep a placeholder address that can reach no one (RFC 2606).
        _mark_failed(email, "Not sent: the address is a placeholder (.invalid).")
        return SendResult(email.pk, Outcome.FAILED)
    try:
        message = email_message_build(email, connection=connection, shared=shared)
        # Encode now (the message keeps what it encoded, and sends exactly that), so a broken
        # template fails here and not mid-SMTP.
        message.message()
    except (SoftTimeLimitExceeded, DatabaseError):
        # Not the row's fault: the time limit is handled by the caller, and a row left
        # "sending" by a database outage is picked up again by the sweeper.
        raise
    except Exception as error:
        logger.exception("Could not render outbox email %s", email.pk)
        _mark_failed(email, f"Could not render: {type(error).__name__}: {error}")
        return SendResult(email.pk, Outcome.FAILED)
    try:
        connection.open()
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("The mail backend reported nothing sent.")
    except SoftTimeLimitExceeded:
        raise
    except Exception as error:
        # After an error the SMTP session is in an unknown state (421 closes it anyway):
        # the next message opens a fresh connection.
        _close_quietly(connection)
        result = _record_failure(email, error)
        logger.warning("Outbox email %s: %s", email.pk, result.outcome.value, exc_info=True)
        return result
    return str(message.subject)


def outbox_send_many(*, email_ids: Iterable[int]) -> list[SendResult]:
    """Send these rows over one SMTP connection; each row succeeds or fails on its own.

    The batch is claimed in one statement, and each row is marked sent as soon as the SMTP
    server accepted it: a worker that dies mid-batch leaves the rest ``sending``, and the
    sweeper sends them (the one in flight may go twice, with the same Message-ID). Rows
    that are already sent or failed, or claimed by another worker, are skipped. A transient
    failure of one row (result ``RETRY`` with ``retry_in`` seconds) leaves the others alone;
    the caller schedules the retry. If the task's soft time limit strikes mid-send, that
    row counts as a transient failure, the rows not yet tried go back to ``queued``, and
    ``SendingInterrupted`` tells the caller which ids those are.
    """
    ids = list(dict.fromkeys(email_ids))
    claimed = outbox_claim_many(email_ids=ids)
    rows = _claimed_rows([email_id for email_id in ids if email_id in claimed])
    withdrawn = reminders_no_longer_wanted(rows.values())
    shared = SharedParts()
    results: list[SendResult] = []
    connection = get_connection()
    marker = _SentMarker()
    try:
        for position, email_id in enumerate(ids):
            email = rows.get(email_id)
            if email is None:  # not ours, or deleted with its registration meanwhile
                results.append(SendResult(email_id, Outcome.SKIPPED))
                continue
            if email_id in withdrawn:
                _mark_unsent(email, OutboxEmail.Status.WITHDRAWN, withdrawn[email_id])
                results.append(SendResult(email_id, Outcome.SKIPPED))
                continue
            try:
                outcome = _send_one(email, connection, shared)
            except SoftTimeLimitExceeded as error:
                _close_quietly(connection)
                results.append(_record_failure(email, error))
                remaining = ids[position + 1 :]
                _release([pk for pk in remaining if pk in rows])
                raise SendingInterrupted(results, remaining) from error
            if isinstance(outcome, str):
                marker.mark(email_id, outcome)
                results.append(SendResult(email_id, Outcome.SENT))
            else:
                results.append(outcome)
    finally:
        marker.close()
        _close_quietly(connection)
    return results


def outbox_send(*, email_id: int) -> SendResult:
    """Send one row (see ``outbox_send_many``)."""
    return outbox_send_many(email_ids=[email_id])[0]


def _stuck(now: datetime) -> Q:
    cutoff = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER)
    queued_and_forgotten = Q(status=OutboxEmail.Status.QUEUED) & (
        Q(next_attempt_at__isnull=True, updated_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
    )
    abandoned = Q(status=OutboxEmail.Status.SENDING, updated_at__lt=cutoff)
    return queued_and_forgotten | abandoned


def outbox_requeue_stuck(*, now: datetime | None = None) -> list[int]:
    """Put rows whose task was lost back to ``queued``; returns their ids for sending.

    Stuck means untouched for OUTBOX_STUCK_AFTER while ``queued`` (the broker was down at
    commit, or the message was lost) or ``sending`` (the worker died mid-send; that email
    may have gone out, and goes again with the same Message-ID). The update repeats the
    condition, so a row a worker claims meanwhile is left to that worker.
    """
    now = now or timezone.now()
    candidates = list(
        OutboxEmail.objects.filter(_stuck(now))
        .order_by("updated_at")
        .values_list("pk", flat=True)[:_SWEEP_LIMIT]
    )
    # The sweeper's task publishes them itself: not the relay's any more.
    OutboxEmail.objects.filter(_stuck(now), pk__in=candidates).update(
        status=OutboxEmail.Status.QUEUED, next_attempt_at=None, updated_at=now, relayed_at=now
    )
    return list(
        OutboxEmail.objects.filter(
            pk__in=candidates, status=OutboxEmail.Status.QUEUED, updated_at=now
        ).values_list("pk", flat=True)
    )


def outbox_requeue(*, email_ids: Iterable[int]) -> list[int]:
    """Give rows that are not sent a fresh start (the admin's "requeue"); returns their ids.

    Their attempt count starts again from zero; the last error stays until the next try.
    """
    rows = OutboxEmail.objects.filter(pk__in=list(email_ids)).exclude(
        status=OutboxEmail.Status.SENT
    )
    requeued = list(rows.values_list("pk", flat=True))
    OutboxEmail.objects.filter(pk__in=requeued).exclude(status=OutboxEmail.Status.SENT).update(
        status=OutboxEmail.Status.QUEUED,
        attempts=0,
        next_attempt_at=None,
        updated_at=timezone.now(),
        relayed_at=None,  # for the relay to hand over (the caller wakes it)
    )
    return requeued
