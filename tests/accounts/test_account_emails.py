"""allauth's emails go through the outbox: a mail server's bad day never breaks the page.

The request only writes the row; its send task runs once the transaction commits (eagerly in
tests, within ``django_capture_on_commit_callbacks``) against a real SMTP server on loopback.
"""

import re
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.adapter import AccountAdapter
from notifications.models import OutboxEmail
from notifications.tasks import send_outbox_email
from registrations.services import registration_create
from tests.factories import EventFactory
from tests.notifications.smtp import SmtpServer

pytestmark = pytest.mark.django_db

REQUEST_CODE_URL = reverse("account_request_login_code")
CONFIRM_CODE_URL = reverse("account_confirm_login_code")
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


def sign_up(client: Client, on_commit: Any, email: str, **headers: str) -> str:
    with on_commit(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": email, "password1": "a-long-new-pass", "password2": "a-long-new-pass"},
            **headers,  # type: ignore[arg-type]
        )
    assert response.status_code == 302
    return str(response["Location"])


def plain_text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


def test_signup_to_an_address_the_server_refuses_redirects_and_the_email_is_marked_failed(
    client: Client, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    smtp_server.handler.refused_recipients["typo@example.org"] = "550 No such mailbox"

    location = sign_up(client, django_capture_on_commit_callbacks, "typo@example.org")

    assert location == reverse("account_email_verification_sent")
    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.ACCOUNT)
    assert email.recipient == "typo@example.org"
    assert email.registration is None
    assert email.status == OutboxEmail.Status.FAILED
    assert "550 No such mailbox" in email.last_error
    assert email.subject == "[Convene] Please Confirm Your Email Address"
    assert (email.text_body, email.html_body) == ("", "")  # the link is not kept
    assert smtp_server.handler.received == []


def test_a_sign_in_code_the_server_defers_is_retried_and_then_signs_in(
    client: Client, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    registration_create(
        event=EventFactory(), name="Ana", email="ana@example.org", time_zone="Asia/Tehran"
    )
    smtp_server.handler.scripted["ana@example.org"] = ["451 Greylisted, try again later"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST_CODE_URL, {"email": "ana@example.org"})

    assert response.status_code == 302
    assert response["Location"] == CONFIRM_CODE_URL
    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.ACCOUNT)
    assert email.status == OutboxEmail.Status.QUEUED
    assert email.attempts == 1
    assert "451 Greylisted" in email.last_error
    assert email.next_attempt_at is not None
    assert smtp_server.handler.received == []

    # The retry the worker scheduled comes due.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_outbox_email(email.pk)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert (email.text_body, email.html_body) == ("", "")  # the code is not kept
    assert email.subject == "[Convene] Sign-In Code"
    (message,) = smtp_server.handler.received
    assert message["Message-ID"] == email.message_id
    assert message["To"] == "ana@example.org"
    code = CODE_LINE.search(plain_text(message))
    assert code, plain_text(message)
    response = client.post(CONFIRM_CODE_URL, {"code": code.group(1)})
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ana@example.org").verified


def test_a_delivered_confirmation_link_works_and_is_not_kept_in_the_database(
    client: Client, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    sign_up(client, django_capture_on_commit_callbacks, "new@example.org")

    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.ACCOUNT)
    assert email.status == OutboxEmail.Status.SENT
    assert (email.text_body, email.html_body) == ("", "")
    assert email.subject == "[Convene] Please Confirm Your Email Address"
    (message,) = smtp_server.handler.received
    assert message["Message-ID"] == email.message_id
    link = CONFIRM_LINK.search(plain_text(message))
    assert link, plain_text(message)
    client.post(link.group(0).split("testserver", 1)[1])
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_account_emails_are_written_in_the_language_of_the_request(
    client: Client, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    sign_up(
        client, django_capture_on_commit_callbacks, "leila@example.org", HTTP_ACCEPT_LANGUAGE="fa"
    )

    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.ACCOUNT)
    assert email.language == "fa"
    (message,) = smtp_server.handler.received
    # compat32 folds an encoded subject onto its own line: the parsed value starts with a space.
    assert message["Subject"].strip() == "[Convene] لطفا آدرس ایمیل خود را تایید کنید"
    assert email.subject == "[Convene] لطفا آدرس ایمیل خود را تایید کنید"


def test_with_the_mail_server_down_signup_still_answers_and_the_email_waits(
    client: Client, settings: object, django_capture_on_commit_callbacks: Any
) -> None:
    # Nothing listens on this port: the connection is refused, a transient failure.
    settings.EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = 8799  # type: ignore[attr-defined]

    location = sign_up(client, django_capture_on_commit_callbacks, "new@example.org")

    assert location == reverse("account_email_verification_sent")
    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.ACCOUNT)
    assert email.status == OutboxEmail.Status.QUEUED
    assert "ConnectionRefusedError" in email.last_error
    assert CONFIRM_LINK.search(email.text_body)  # kept until it is delivered


def test_the_adapter_renders_with_the_context_allauth_s_own_send_mail_builds(
    monkeypatch: pytest.MonkeyPatch, rf: Any
) -> None:
    """``AccountAdapter.send_mail`` repeats allauth 65's context before rendering; if allauth
    changes what it passes to ``render_mail``, this fails (docs/design.md, "Framework
    internals we override")."""
    contexts: list[dict[str, Any]] = []

    def capture(self: Any, template_prefix: str, email: str, context: dict[str, Any]) -> Any:
        contexts.append(dict(context))
        return EmailMultiAlternatives("Subject", "Body", to=[email])

    monkeypatch.setattr(DefaultAccountAdapter, "render_mail", capture)
    monkeypatch.setattr(EmailMultiAlternatives, "send", lambda self: 1)
    request = rf.get("/")
    with allauth_context.request_context(request):
        DefaultAccountAdapter(request).send_mail(
            "account/email/login_code", "a@example.org", {"code": "X"}
        )
        AccountAdapter(request).send_mail(
            "account/email/login_code", "a@example.org", {"code": "X"}
        )

    stock, ours = (
        {**context, "current_site": context["current_site"].domain} for context in contexts
    )
    assert ours == stock
