"""Emails rendered when written (account, invitation): sent as stored, bodies dropped when final."""

from email.message import EmailMessage
from typing import Any

import pytest

from notifications.models import OutboxEmail
from notifications.outbox import outbox_enqueue_rendered
from notifications.sending import Outcome, outbox_requeue, outbox_send
from tests.notifications.smtp import SmtpServer

pytestmark = pytest.mark.django_db


def stored_row(recipient: str = "ana@example.org") -> OutboxEmail:
    return outbox_enqueue_rendered(
        kind=OutboxEmail.Kind.INVITATION,
        recipient=recipient,
        subject="You are invited\n to join",
        text_body="Accept: https://convene.test/join/secret",
        html_body='<p><a href="https://convene.test/join/secret">Accept</a></p>',
        language="fa",
    )


def test_a_stored_email_goes_out_as_written_with_both_parts(smtp_server: SmtpServer) -> None:
    email = stored_row()
    assert (email.subject, email.language) == ("You are invited to join", "fa")

    assert outbox_send(email_id=email.pk).outcome is Outcome.SENT

    (message,) = smtp_server.handler.received
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == "You are invited to join"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    assert "https://convene.test/join/secret" in plain.get_content()
    assert 'href="https://convene.test/join/secret"' in html.get_content()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert (email.subject, email.text_body, email.html_body) == ("You are invited to join", "", "")


def test_a_requeued_email_whose_content_was_dropped_fails_with_the_reason(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.handler.refused_recipients["typo@example.org"] = "550 No such mailbox"
    email = stored_row("typo@example.org")
    assert outbox_send(email_id=email.pk).outcome is Outcome.FAILED
    email.refresh_from_db()
    assert (email.text_body, email.html_body) == ("", "")

    outbox_requeue(email_ids=[email.pk])  # the admin's "requeue"
    assert outbox_send(email_id=email.pk).outcome is Outcome.FAILED

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert "content was dropped" in email.last_error
    assert smtp_server.handler.attempts == []


def test_registration_kinds_cannot_be_written_prerendered() -> None:
    with pytest.raises(ValueError, match="rendered by the worker"):
        outbox_enqueue_rendered(
            kind=OutboxEmail.Kind.CONFIRMATION,
            recipient="a@example.org",
            subject="s",
            text_body="t",
        )


def test_the_admin_never_shows_stored_bodies(admin_client: Any) -> None:
    email = stored_row()

    page = admin_client.get(f"/admin/notifications/outboxemail/{email.pk}/change/")

    assert page.status_code == 200
    assert "You are invited to join" in page.content.decode()
    assert "join/secret" not in page.content.decode()
