"""A batch claims in one statement, marks each row as soon as it is sent, and loses no row."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import CoHost
from notifications.models import OutboxEmail
from notifications.rendering import email_message_build
from notifications.sending import Outcome, outbox_claim_many, outbox_requeue_stuck, outbox_send_many
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    OutboxEmailFactory,
    RegistrationFactory,
)
from tests.notifications.backends import DOOMED_RECIPIENT, StatusRecordingBackend
from tests.notifications.smtp import SmtpServer

pytestmark = pytest.mark.django_db


def _reminders(count: int, **registration: Any) -> list[OutboxEmail]:
    event = EventFactory()
    return [
        OutboxEmailFactory(
            kind=OutboxEmail.Kind.REMINDER,
            registration=RegistrationFactory(event=event, **registration),
        )
        for _ in range(count)
    ]


def _statements(emails: list[OutboxEmail]) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        results = outbox_send_many(email_ids=[email.pk for email in emails])
    assert {result.outcome for result in results} == {Outcome.SENT}
    return [query["sql"] for query in queries.captured_queries]


def test_a_batch_costs_one_statement_per_email_beyond_a_fixed_few(
    smtp_server: SmtpServer,
) -> None:
    # One query per batch checks that the reminders still apply (none per email).
    small = _statements(_reminders(2, status="confirmed"))
    large = _statements(_reminders(12, status="confirmed"))

    assert len(large) - len(small) == 10
    assert sum(sql.startswith("UPDATE") for sql in large) == 1 + 12  # claim all, mark each
    assert OutboxEmail.objects.filter(status="sent").count() == 14
    assert len(smtp_server.handler.received) == 14


def test_a_batch_reads_the_co_hosts_once_however_many_variants_it_renders(
    smtp_server: SmtpServer,
) -> None:
    """Each (language, zone) variant renders the event box, the co-hosts are read once."""
    event = EventFactory(organization=OrganizationFactory(name="Shahrzad Books"))
    for name in ("Voices", "Paper Lanterns"):
        CoHost.objects.create(
            event=event, organization=OrganizationFactory(name=name), status="accepted"
        )
    CoHost.objects.create(event=event, organization=OrganizationFactory(name="Invited Only"))
    zones = ["Asia/Tehran", "America/Los_Angeles", "Europe/Berlin", "UTC"]
    emails = [
        OutboxEmailFactory(
            kind=OutboxEmail.Kind.REMINDER,
            language=language,
            registration=RegistrationFactory(
                event=event, status="confirmed", time_zone=zone, language=language
            ),
        )
        for zone in zones
        for language in ("en", "fa")
    ]

    statements = _statements(emails)

    assert sum('"events_cohost"' in sql for sql in statements) == 1
    bodies = [
        message.get_body(("plain",)).get_content() for message in smtp_server.handler.received
    ]
    english = [body for body in bodies if "Hosted by: Shahrzad Books, Voices and Paper" in body]
    persian = [body for body in bodies if "Voices و Paper Lanterns" in body]
    assert (len(bodies), len(english), len(persian)) == (8, 4, 4)
    assert not any("Invited Only" in body for body in bodies)


def test_each_row_is_marked_sent_before_the_next_is_sent_with_its_own_subject(
    settings: Any,
) -> None:
    """A worker killed mid-batch can then leave only the email in flight to be sent again."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.StatusRecordingBackend"
    emails = _reminders(5)
    ids = [email.pk for email in emails]

    outbox_send_many(email_ids=ids)

    # What the database said about the others at the moment each message was handed over.
    seen = StatusRecordingBackend.seen
    for position, email_id in enumerate(ids):
        before, after = ids[:position], ids[position + 1 :]
        assert {seen[email_id][pk] for pk in before} <= {"sent"}
        assert {seen[email_id][pk] for pk in [email_id, *after]} == {"sending"}
    for email in emails:
        email.refresh_from_db()
        assert (email.status, email.attempts) == ("sent", 1)
        assert email.sent_at is not None
        assert email.subject == str(email_message_build(email).subject)


def test_the_waitlist_notice_still_shows_the_place_in_line() -> None:
    event = EventFactory()
    RegistrationFactory(event=event, status="waitlisted")
    notice = OutboxEmailFactory(
        kind=OutboxEmail.Kind.WAITLISTED,
        registration=RegistrationFactory(event=event, status="waitlisted"),
    )

    assert "number 2 in line" in email_message_build(notice).body


def test_a_message_is_encoded_once_and_sent_as_encoded() -> None:
    message = email_message_build(OutboxEmailFactory())

    assert message.message() is message.message()


def test_claiming_a_batch_takes_only_rows_that_are_due_and_free() -> None:
    now = timezone.now()
    free, sent, waiting, taken = OutboxEmailFactory.create_batch(4)
    OutboxEmail.objects.filter(pk=sent.pk).update(status="sent")
    OutboxEmail.objects.filter(pk=waiting.pk).update(next_attempt_at=now + timedelta(minutes=5))
    OutboxEmail.objects.filter(pk=taken.pk).update(status="sending", updated_at=now)

    claimed = outbox_claim_many(email_ids=[free.pk, sent.pk, waiting.pk, taken.pk], now=now)

    assert claimed == {free.pk}
    assert outbox_claim_many(email_ids=[free.pk], now=now) == set()
    free.refresh_from_db()
    assert (free.status, free.attempts) == ("sending", 1)


def test_a_worker_dying_mid_batch_leaves_only_the_email_in_flight_to_be_sent_again(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.WorkerDiesBackend"
    first = OutboxEmailFactory()
    doomed = OutboxEmailFactory(recipient=DOOMED_RECIPIENT)
    last = OutboxEmailFactory()

    with pytest.raises(SystemExit):
        outbox_send_many(email_ids=[first.pk, doomed.pk, last.pk])

    statuses = dict(
        OutboxEmail.objects.filter(pk__in=[first.pk, doomed.pk, last.pk]).values_list(
            "pk", "status"
        )
    )
    # The one in flight may have gone out, so it goes again (same Message-ID); the one
    # already accepted was marked at once and is not sent twice.
    assert statuses == {first.pk: "sent", doomed.pk: "sending", last.pk: "sending"}
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_STUCK_AFTER + 1)
    assert sorted(outbox_requeue_stuck(now=later)) == sorted([doomed.pk, last.pk])
