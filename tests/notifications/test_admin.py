"""The outbox in the admin: failures in sight, nothing editable, requeue on demand."""

from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from notifications.models import OutboxEmail
from tests.factories import OutboxEmailFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/notifications/outboxemail/"


@pytest.fixture
def admin_client_logged_in(client: Client) -> Client:
    admin = User.objects.create_superuser(email="admin@example.org", password="pw-for-admin")
    client.force_login(admin)
    return client


def test_failed_emails_are_one_filter_away_with_their_error_visible(
    admin_client_logged_in: Client,
) -> None:
    OutboxEmailFactory(
        recipient="bounce@example.org", status="failed", last_error="550 No such mailbox"
    )
    OutboxEmailFactory(recipient="fine@example.org", status="sent")

    page = admin_client_logged_in.get(CHANGELIST, {"problem": "failed"}).content.decode()

    assert "bounce@example.org" in page
    assert "550 No such mailbox" in page
    assert "fine@example.org" not in page


def test_search_finds_a_recipient(admin_client_logged_in: Client) -> None:
    OutboxEmailFactory(recipient="needle@example.org")
    OutboxEmailFactory(recipient="hay@example.org")

    page = admin_client_logged_in.get(CHANGELIST, {"q": "needle"}).content.decode()

    assert "needle@example.org" in page
    assert "hay@example.org" not in page


def test_an_email_can_be_viewed_but_not_edited(admin_client_logged_in: Client) -> None:
    email = OutboxEmailFactory(recipient="ana@example.org")

    page = admin_client_logged_in.get(f"{CHANGELIST}{email.pk}/change/")
    admin_client_logged_in.post(f"{CHANGELIST}{email.pk}/change/", {"recipient": "x@y.org"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    email.refresh_from_db()
    assert email.recipient == "ana@example.org"


def test_requeue_sends_failed_emails_again_and_leaves_sent_ones(
    admin_client_logged_in: Client, django_capture_on_commit_callbacks: Any
) -> None:
    failed = OutboxEmailFactory(status="failed", attempts=8, last_error="421 Busy")
    sent = OutboxEmailFactory(status="sent")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_logged_in.post(
            CHANGELIST,
            {"action": "requeue", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    page = response.content.decode()
    assert "1 email requeued." in page
    assert "1 email was already sent and was left alone." in page
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert OutboxEmail.objects.get(pk=sent.pk).attempts == 0
