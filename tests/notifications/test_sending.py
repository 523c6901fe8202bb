"""Delivery over a real SMTP server on loopback: structure, retries, failures, batches."""

import threading
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
import vobject
from django.db import connection
from django.utils import timezone

from notifications.delivery_errors import retry_delay
from notifications.models import OutboxEmail
from notifications.sending import (
    Outcome,
    SendingInterrupted,
    outbox_claim,
    outbox_requeue_stuck,
    outbox_send,
    outbox_send_many,
)
from notifications.tasks import requeue_stuck_outbox_emails, send_outbox_batch
from tests.factories import EventFactory, OutboxEmailFactory
from tests.notifications.backends import SLOW_RECIPIENT
from tests.notifications.helpers import register
from tests.notifications.smtp import SmtpServer, free_port

pytestmark = pytest.mark.django_db


def confirmation_row() -> OutboxEmail:
    """A confirmation as the registration flow writes it (its task not run)."""
    registration = register(EventFactory(title="Poetry night"), "ana@example.org")
    return OutboxEmail.objects.get(registration=registration, kind="confirmation")


def test_received_confirmation_has_the_mime_structure_calendar_clients_expect(
    smtp_server: SmtpServer,
) -> None:
    email = confirmation_row()

    assert outbox_send(email_id=email.pk).outcome is Outcome.SENT

    (message,) = smtp_server.handler.received
    assert message["Message-ID"] == email.message_id
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "You're registered: Poetry night"
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert isinstance(alternative, EmailMessage) and isinstance(attachment, EmailMessage)
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar = alternative.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_content() == calendar.get_content().encode()
    invite = vobject.readOne(calendar.get_content())
    assert invite.method.value == "REQUEST"
    assert invite.vevent.attendee.value == "mailto:ana@example.org"


@pytest.mark.parametrize(
    "title",
    [
        "Café",
        "Prisoners of conscience: a long evening of letters, talks and songs — with friends",
        "شب شعر: نامه‌هایی برای زندانیان سیاسی، با موسیقی و گفت‌وگو تا پاسی از شب",
        "Поэтический вечер 🎉 und Übung macht den Meister, 诗歌之夜, noch viel mehr Text",
    ],
)
def test_a_non_ascii_subject_arrives_without_a_leading_space(
    smtp_server: SmtpServer, title: str
) -> None:
    registration = register(EventFactory(title=title), "ana@example.org")
    email = OutboxEmail.objects.get(registration=registration, kind="confirmation")

    assert outbox_send(email_id=email.pk).outcome is Outcome.SENT

    (message,) = smtp_server.handler.received
    assert message["Subject"] == f"You're registered: {title}"


def test_a_421_is_retried_with_the_same_message_id_until_accepted(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.OUTBOX_RETRY_BASE_DELAY = 0  # due again at once
    email = OutboxEmailFactory(recipient="busy@example.org")
    smtp_server.handler.scripted["busy@example.org"] = ["421 Try again later"] * 3

    outcomes = [outbox_send(email_id=email.pk).outcome for _ in range(4)]

    assert outcomes == [Outcome.RETRY] * 3 + [Outcome.SENT]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 4)
    assert "421 Try again later" in email.last_error
    assert {attempt.message_id for attempt in smtp_server.handler.attempts} == {email.message_id}


def test_a_retry_is_not_claimed_before_it_is_due(smtp_server: SmtpServer) -> None:
    email = OutboxEmailFactory(recipient="busy@example.org")
    smtp_server.handler.scripted["busy@example.org"] = ["451 Greylisted"]

    first = outbox_send(email_id=email.pk)
    second = outbox_send(email_id=email.pk)

    assert first.outcome is Outcome.RETRY
    assert first.retry_in is not None and first.retry_in >= 0.8 * 30
    assert second.outcome is Outcome.SKIPPED
    email.refresh_from_db()
    assert email.status == "queued"
    assert email.next_attempt_at is not None and email.next_attempt_at > timezone.now()


def test_a_550_fails_at_once_and_keeps_the_servers_answer(smtp_server: SmtpServer) -> None:
    email = OutboxEmailFactory(recipient="nobody@example.org")
    smtp_server.handler.scripted["nobody@example.org"] = ["550 5.1.1 No such mailbox"]

    assert outbox_send(email_id=email.pk).outcome is Outcome.FAILED
    assert outbox_send(email_id=email.pk).outcome is Outcome.SKIPPED

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 1)
    assert "550 5.1.1 No such mailbox" in email.last_error
    assert len(smtp_server.handler.attempts) == 1


def test_transient_failures_give_up_after_the_maximum_attempts(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.OUTBOX_RETRY_BASE_DELAY = 0
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = OutboxEmailFactory(recipient="busy@example.org")
    smtp_server.handler.scripted["busy@example.org"] = ["421 Busy"] * 5

    outcomes = [outbox_send(email_id=email.pk).outcome for _ in range(3)]

    assert outcomes == [Outcome.RETRY, Outcome.FAILED, Outcome.SKIPPED]
    email.refresh_from_db()
    assert email.status == "failed"
    assert "gave up after 2 attempts" in email.last_error


def test_an_unreachable_server_is_a_transient_failure(settings: Any) -> None:
    settings.EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    email = OutboxEmailFactory()

    result = outbox_send(email_id=email.pk)

    assert result.outcome is Outcome.RETRY
    email.refresh_from_db()
    assert email.status == "queued"
    assert "ConnectionRefusedError" in email.last_error


def test_retry_delays_grow_exponentially_with_jitter(settings: Any) -> None:
    settings.OUTBOX_RETRY_BASE_DELAY = 10
    settings.OUTBOX_RETRY_MAX_DELAY = 100
    delays = [retry_delay(attempt) for attempt in (1, 2, 3, 4, 5, 6)]

    for delay, nominal in zip(delays, (10, 20, 40, 80, 100, 100), strict=True):
        assert 0.8 * nominal <= delay <= 1.2 * nominal
    assert len({retry_delay(1) for _ in range(20)}) > 1


def test_a_batch_goes_over_one_smtp_connection(smtp_server: SmtpServer) -> None:
    emails = OutboxEmailFactory.create_batch(5)

    results = outbox_send_many(email_ids=[email.pk for email in emails])

    assert [result.outcome for result in results] == [Outcome.SENT] * 5
    assert sorted(smtp_server.handler.received_ids()) == sorted(e.message_id for e in emails)
    assert len(set(smtp_server.handler.peers)) == 1


def test_one_failure_in_a_batch_touches_only_that_email(smtp_server: SmtpServer) -> None:
    emails = OutboxEmailFactory.create_batch(5)
    smtp_server.handler.scripted[emails[1].recipient] = ["421 Slow down"]
    smtp_server.handler.scripted[emails[3].recipient] = ["550 Unknown user"]

    results = outbox_send_many(email_ids=[email.pk for email in emails])

    assert [result.outcome for result in results] == [
        Outcome.SENT,
        Outcome.RETRY,
        Outcome.SENT,
        Outcome.FAILED,
        Outcome.SENT,
    ]
    statuses = [OutboxEmail.objects.get(pk=email.pk).status for email in emails]
    assert statuses == ["sent", "queued", "sent", "failed", "sent"]
    assert len(smtp_server.handler.received) == 3


def test_sent_and_failed_rows_are_never_sent_again(smtp_server: SmtpServer) -> None:
    sent = OutboxEmailFactory(status="sent")
    failed = OutboxEmailFactory(status="failed")

    results = outbox_send_many(email_ids=[sent.pk, failed.pk, 987654])

    assert [result.outcome for result in results] == [Outcome.SKIPPED] * 3
    assert smtp_server.handler.attempts == []


def test_a_placeholder_address_of_an_erased_registration_is_not_sent(
    smtp_server: SmtpServer,
) -> None:
    email = OutboxEmailFactory(recipient="erased-7@erased.invalid")

    assert outbox_send(email_id=email.pk).outcome is Outcome.FAILED
    email.refresh_from_db()
    assert "placeholder" in email.last_error
    assert smtp_server.handler.attempts == []


def test_a_row_that_cannot_be_rendered_fails_with_the_reason(smtp_server: SmtpServer) -> None:
    email = OutboxEmailFactory(kind="no_such_kind")

    assert outbox_send(email_id=email.pk).outcome is Outcome.FAILED
    email.refresh_from_db()
    assert "TemplateDoesNotExist" in email.last_error


def _age(email: OutboxEmail, seconds: float, **fields: Any) -> None:
    OutboxEmail.objects.filter(pk=email.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds), **fields
    )


def test_sweeper_requeues_forgotten_and_abandoned_rows_but_not_waiting_retries(
    settings: Any,
) -> None:
    settings.OUTBOX_STUCK_AFTER = 600
    forgotten = OutboxEmailFactory()
    _age(forgotten, 700)
    abandoned = OutboxEmailFactory()
    _age(abandoned, 700, status="sending", attempts=1)
    in_flight = OutboxEmailFactory()
    _age(in_flight, 60, status="sending", attempts=1)
    retry_later = OutboxEmailFactory()
    _age(retry_later, 700, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5))
    fresh = OutboxEmailFactory()
    done = OutboxEmailFactory(status="sent")
    _age(done, 700)

    requeued = outbox_requeue_stuck()

    assert sorted(requeued) == sorted([forgotten.pk, abandoned.pk])
    abandoned.refresh_from_db()
    assert abandoned.status == "queued"
    for untouched, status in [(in_flight, "sending"), (retry_later, "queued"), (fresh, "queued")]:
        untouched.refresh_from_db()
        assert untouched.status == status


def test_sweeper_task_sends_what_it_requeues(
    smtp_server: SmtpServer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OUTBOX_STUCK_AFTER = 600
    abandoned = OutboxEmailFactory()
    _age(abandoned, 700, status="sending", attempts=1)

    assert requeue_stuck_outbox_emails() == 1

    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.attempts) == ("sent", 2)
    assert smtp_server.handler.received_ids() == [abandoned.message_id]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_many_workers_claiming_one_row_exactly_one_wins() -> None:
    email = OutboxEmailFactory()
    workers = 8
    barrier = threading.Barrier(workers)
    wins: list[bool] = []

    def claim() -> None:
        try:
            barrier.wait()
            wins.append(outbox_claim(email_id=email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(wins) == [False] * (workers - 1) + [True]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sending", 1)


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("notifications.tasks.send_outbox_email", "mail"),
        ("notifications.tasks.send_outbox_batch", "mail"),
        ("notifications.tasks.requeue_stuck_outbox_emails", "default"),
    ],
)
def test_sending_has_its_own_queue(task: str, queue: str) -> None:
    from config.celery import app

    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_a_time_limit_mid_batch_retries_that_email_and_passes_on_the_rest(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.TimeLimitStrikesBackend"
    first, slow, last = (
        OutboxEmailFactory(),
        OutboxEmailFactory(recipient=SLOW_RECIPIENT),
        OutboxEmailFactory(),
    )

    with pytest.raises(SendingInterrupted) as interruption:
        outbox_send_many(email_ids=[first.pk, slow.pk, last.pk])

    assert [result.outcome for result in interruption.value.results] == [
        Outcome.SENT,
        Outcome.RETRY,
    ]
    assert interruption.value.remaining == [last.pk]
    slow.refresh_from_db()
    assert (slow.status, slow.attempts) == ("queued", 1)
    assert "time limit" in slow.last_error
    last.refresh_from_db()
    assert (last.status, last.attempts) == ("queued", 0)  # claimed with the batch, handed back


def test_the_batch_task_sends_the_rest_after_a_time_limit(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.TimeLimitStrikesBackend"
    first, slow, last = (
        OutboxEmailFactory(),
        OutboxEmailFactory(recipient=SLOW_RECIPIENT),
        OutboxEmailFactory(),
    )

    send_outbox_batch([first.pk, slow.pk, last.pk])  # runs in line, so does what it queues

    statuses = [OutboxEmail.objects.get(pk=email.pk).status for email in (first, slow, last)]
    assert statuses == ["sent", "queued", "sent"]
