"""Concurrent dispatcher passes on PostgreSQL: each due reminder becomes exactly one email.

The second test swaps the claim for a naive read (no lock, no conditional update) and shows
the same scenario then writes duplicates — so the first test can fail, and the claim is
what makes it pass.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import OutboxEmail, ScheduledReminder
from notifications.reminders import dispatch
from notifications.reminders.dispatch import reminders_dispatch_due
from notifications.tasks import send_outbox_batch
from tests.notifications.reminder_helpers import create_event, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REGISTRANTS = 60
PASSES = 4
CHUNK_SIZE = 10


def make_one_reminder_each_due_now() -> None:
    starts_at = timezone.now() + timedelta(hours=2)
    event = create_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    for number in range(REGISTRANTS):
        register(event, f"p{number}@example.org")
    ScheduledReminder.objects.filter(rule__minutes_before=60).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )


def run_concurrent_passes(monkeypatch: pytest.MonkeyPatch, claim: Callable[..., list]) -> list[int]:
    """PASSES threads run the dispatcher at once; returns the email ids handed to the sender."""
    queued: list[int] = []
    monkeypatch.setattr(send_outbox_batch, "delay", queued.extend)

    def claim_and_linger(*, now: datetime, limit: int) -> list[ScheduledReminder]:
        rows = claim(now=now, limit=limit)
        time.sleep(0.05)  # hold the claim a while so the passes overlap
        return rows

    monkeypatch.setattr(dispatch, "_claim_due", claim_and_linger)
    start = threading.Barrier(PASSES)
    errors: list[BaseException] = []

    def one_pass() -> None:
        try:
            start.wait(timeout=10)
            reminders_dispatch_due(chunk_size=CHUNK_SIZE)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_pass) for _ in range(PASSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return queued


def test_concurrent_passes_write_exactly_one_email_per_reminder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_one_reminder_each_due_now()

    queued = run_concurrent_passes(monkeypatch, dispatch._claim_due)

    per_reminder = Counter(
        email.context["reminder_id"] for email in OutboxEmail.objects.filter(kind="reminder")
    )
    assert len(per_reminder) == REGISTRANTS
    assert set(per_reminder.values()) == {1}
    reminder_emails = OutboxEmail.objects.filter(kind="reminder")
    assert sorted(queued) == sorted(reminder_emails.values_list("pk", flat=True))
    due = ScheduledReminder.objects.filter(rule__minutes_before=60)
    assert set(due.values_list("status", flat=True)) == {"sent"}
    assert due.filter(email__isnull=True).count() == 0


def test_without_the_claim_concurrent_passes_send_duplicates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_one_reminder_each_due_now()

    def naive_claim(*, now: datetime, limit: int) -> list[ScheduledReminder]:
        return list(dispatch._due_rows(now)[:limit])

    run_concurrent_passes(monkeypatch, naive_claim)

    per_reminder = Counter(
        email.context["reminder_id"] for email in OutboxEmail.objects.filter(kind="reminder")
    )
    assert len(per_reminder) == REGISTRANTS
    assert max(per_reminder.values()) > 1, "the naive claim should have doubled some reminders"
