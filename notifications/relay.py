"""The outbox relay: hands new outbox rows to Celery, so no request waits on the broker.

A request only writes ``OutboxEmail`` rows (``relayed_at`` NULL). One long-running process,
``python manage.py outbox_relay``, publishes them to Celery in batches of OUTBOX_BATCH_SIZE
and marks them relayed. On PostgreSQL it sleeps on ``LISTEN convene_outbox``: a trigger on
the outbox table sends one NOTIFY per inserting statement, delivered when the writing
transaction commits (migration 0006), so the request makes no extra round trip. It also
looks every OUTBOX_RELAY_LISTEN_TIMEOUT seconds, in case a notification was missed while
its connection was being re-opened. SQLite has no NOTIFY: the relay polls every
OUTBOX_RELAY_POLL seconds.

While the broker is away, publishing fails, the rows stay unrelayed and the relay tries
again every second or two, so the mail leaves within seconds of the broker's return. The
sweeper (``requeue_stuck_outbox_emails``) stays as the safety net for a relay that is not
running. A relay that dies between publishing and committing publishes those rows again;
the worker's claim (``notifications.sending.outbox_claim_many``) sends each row once.

With CELERY_TASK_ALWAYS_EAGER (tests, debugging) no relay runs: rows written in a
transaction are handed over, in the same process, when it commits (``outbox_relay_on_commit``).

docs/design.md, "The outbox relay".
"""

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from notifications.models import OutboxEmail

logger = logging.getLogger(__name__)

RELAY_CHANNEL = "convene_outbox"


class BrokerUnavailable(Exception):
    """Publishing to Celery failed; the rows not handed over stay for the next pass."""


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _hand_over(ids: list[int]) -> tuple[list[int], BaseException | None]:
    """Publish these rows in batches; the ids the broker took, and the error that stopped it."""
    from notifications.tasks import send_outbox_batch

    handed: list[int] = []
    for chunk in _chunks(ids):
        try:
            send_outbox_batch.delay(chunk)
        except Exception as error:  # the broker's errors differ by transport
            return handed, error
        handed += chunk
    return handed, None


def _mark_relayed(ids: list[int]) -> None:
    if ids:
        OutboxEmail.objects.filter(pk__in=ids).update(relayed_at=timezone.now())


def outbox_relay_pass(*, limit: int | None = None) -> int:
    """Hand up to ``limit`` unrelayed rows to Celery, oldest first; returns how many.

    The rows stay locked while they are published (``SKIP LOCKED``: a second relay takes
    other rows), and only the batches the broker took are marked relayed. Raises
    ``BrokerUnavailable`` once those are committed if the broker refused a batch.
    """
    limit = limit or settings.OUTBOX_RELAY_PASS_LIMIT
    with transaction.atomic():
        awaiting = OutboxEmail.objects.filter(relayed_at__isnull=True).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            awaiting = awaiting.select_for_update(skip_locked=True)
        ids = list(awaiting.values_list("pk", flat=True)[:limit])
        handed, error = _hand_over(ids)
        _mark_relayed(handed)
    if error is not None:
        raise BrokerUnavailable(f"{len(ids) - len(handed)} emails wait for the broker") from error
    return len(handed)


def outbox_relay_on_commit(email_ids: list[int]) -> None:
    """Under CELERY_TASK_ALWAYS_EAGER, hand these new rows over when the transaction commits.

    Without eager mode this does nothing: the relay process takes them (woken by the
    trigger's NOTIFY on PostgreSQL). Eager mode has no relay, and tests expect the email
    of a request to be sent by the time the response is back, as the tasks did before.
    """
    if not current_app.conf.task_always_eager or not email_ids:
        return

    # A closure, not functools.partial: Django logs a failed robust callback by its
    # __qualname__ (notifications/outbox.py had that bug once).
    def hand_over() -> None:
        handed, error = _hand_over(list(email_ids))
        _mark_relayed(handed)
        if error is not None:
            raise error

    transaction.on_commit(hand_over, robust=True)


def outbox_relay_wake() -> None:
    """Wake the relay at commit for rows made unrelayed again (the admin's requeue).

    Inserts wake it by their trigger; an update does not, so this sends the NOTIFY itself.
    On SQLite the relay polls anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [RELAY_CHANNEL])


class _Waiter:
    """Sleeps until new rows may be there: a NOTIFY on PostgreSQL, a short poll on SQLite."""

    def __init__(self) -> None:
        self.listener: BaseDatabaseWrapper | None = None

    def listen(self) -> Any:
        if self.listener is None:
            listener = connections.create_connection("default")
            listener.ensure_connection()
            listener.set_autocommit(True)
            listener.connection.execute(f"LISTEN {RELAY_CHANNEL}")
            self.listener = listener
        return self.listener.connection

    def wait(self, timeout: float) -> None:
        if connection.vendor != "postgresql":
            time.sleep(min(timeout, settings.OUTBOX_RELAY_POLL))
            return
        try:
            raw = self.listen()
            for _notification in raw.notifies(timeout=timeout, stop_after=1):
                break
            # The others already here belong to the same pass.
            for _notification in raw.notifies(timeout=0):
                pass
        except DatabaseError:
            self.close()
            raise

    def close(self) -> None:
        if self.listener is not None:
            try:
                self.listener.close()
            except DatabaseError:
                logger.debug("Closing the relay's LISTEN connection failed", exc_info=True)
            self.listener = None


def outbox_relay_run(*, should_stop: Callable[[], bool], heartbeat: Path | None = None) -> None:
    """The relay's loop (``manage.py outbox_relay``) until ``should_stop()`` says so.

    Each round: hand everything waiting over, then sleep until notified (or the poll
    interval passes). Passes are at least OUTBOX_RELAY_INTERVAL apart, so a burst of
    registrations goes out in a few batches rather than one task each. ``heartbeat`` is
    touched every round, for the container's health check.
    """
    waiter = _Waiter()
    pause = 0.0
    try:
        while not should_stop():
            started = time.monotonic()
            try:
                # LISTEN before looking, so nothing committed in between is missed.
                if connection.vendor == "postgresql":
                    waiter.listen()
                while outbox_relay_pass() >= settings.OUTBOX_RELAY_PASS_LIMIT:
                    if should_stop():
                        return
                pause = 0.0
            except BrokerUnavailable as error:
                pause = min(pause * 2 or 0.25, settings.OUTBOX_RELAY_RETRY_MAX_DELAY)
                logger.warning(
                    "Outbox relay: %s (%s); trying again in %.2f s", error, error.__cause__, pause
                )
            except DatabaseError:
                logger.exception("Outbox relay: database error; reconnecting")
                waiter.close()
                connection.close()
                pause = settings.OUTBOX_RELAY_RETRY_MAX_DELAY
            if heartbeat is not None:
                heartbeat.touch()
            if pause:
                time.sleep(pause)
                continue
            # Not more often than OUTBOX_RELAY_INTERVAL: let a burst gather.
            time.sleep(max(0.0, settings.OUTBOX_RELAY_INTERVAL - (time.monotonic() - started)))
            try:
                waiter.wait(settings.OUTBOX_RELAY_LISTEN_TIMEOUT)
            except DatabaseError:
                logger.exception("Outbox relay: the LISTEN connection failed; reconnecting")
                time.sleep(settings.OUTBOX_RELAY_RETRY_MAX_DELAY)
    finally:
        waiter.close()
